"""Every status change of a project or a deliverable goes through here.

The admin, the demo data and the tests call these, so a project cannot reach "approved"
without a steering group decision by any road, and a deliverable cannot be published
without its file and its approving decision.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import validate_steering_decision
from projects.models import (
    Deliverable,
    DeliverableStatus,
    Health,
    ProgressUpdate,
    Project,
    ProjectStatus,
)

if TYPE_CHECKING:
    from django.db.models import TextChoices

    from accounts.models import User
    from governance.models import Decision


def _status_label(choices: type[TextChoices], value: str) -> str:
    return str(choices(value).label)


@transaction.atomic
def project_transition(
    *,
    project: Project,
    to_status: str,
    decision: Decision | None = None,
    on: datetime.date | None = None,
) -> Project:
    """Move a project along its flow (see ``PROJECT_TRANSITIONS``).

    Leaving "proposed" for "approved" needs the steering group decision that approved the
    work, given here or already on the project. Starting records the start date, and
    completing or stopping the finish date.
    """
    on = on or timezone.localdate()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_status not in project.allowed_transitions():
        raise ValidationError(
            _("A project that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": _status_label(ProjectStatus, project.status),
                "target": _status_label(ProjectStatus, to_status),
            }
        )
    if decision is not None:
        validate_steering_decision(decision)
        project.decision = decision
    if to_status == ProjectStatus.APPROVED and project.decision_id is None:
        raise ValidationError({"decision": _("Name the steering group decision that approves the project.")})
    if to_status == ProjectStatus.IN_PROGRESS and project.started_on is None:
        project.started_on = on
    if to_status in (ProjectStatus.COMPLETED, ProjectStatus.STOPPED):
        project.finished_on = on
    project.status = to_status
    project.save()
    return project


def project_approve(*, project: Project, decision: Decision) -> Project:
    return project_transition(project=project, to_status=ProjectStatus.APPROVED, decision=decision)


@transaction.atomic
def progress_record(
    *,
    project: Project,
    text: str,
    health: str = Health.ON_TRACK,
    reason: str = "",
    by: User | None = None,
    on: datetime.date | None = None,
    is_public: bool = False,
) -> ProgressUpdate:
    """A dated progress update; the project's health follows the newest one."""
    if not text.strip():
        raise ValidationError({"text": _("Write what has happened since the last update.")})
    if health != Health.ON_TRACK and not reason.strip():
        raise ValidationError({"health_reason": _("Say why the project is at risk or off track.")})
    on = on or timezone.localdate()
    project = Project.objects.select_for_update().get(pk=project.pk)
    update = ProgressUpdate.objects.create(
        project=project, date=on, text=text, health=health, is_public=is_public, author=by
    )
    newest = project.updates.order_by("-date", "-pk").first()
    if newest is not None and newest.pk == update.pk:
        project.health = health
        project.health_reason = reason if health != Health.ON_TRACK else ""
        project.save(update_fields=["health", "health_reason", "updated_at"])
    return update


@transaction.atomic
def deliverable_transition(
    *, deliverable: Deliverable, to_status: str, decision: Decision | None = None
) -> Deliverable:
    """Draft → for sign-off → approved (by a steering group decision) → published (public)."""
    deliverable = Deliverable.objects.select_for_update().select_related("project").get(pk=deliverable.pk)
    if to_status not in deliverable.allowed_transitions():
        raise ValidationError(
            _("A deliverable that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": _status_label(DeliverableStatus, deliverable.status),
                "target": _status_label(DeliverableStatus, to_status),
            }
        )
    if decision is not None:
        validate_steering_decision(decision)
        deliverable.decision = decision
    if to_status == DeliverableStatus.APPROVED and deliverable.decision_id is None:
        raise ValidationError(
            {"decision": _("Name the steering group decision that signs off the deliverable.")}
        )
    if to_status == DeliverableStatus.PUBLISHED:
        if not deliverable.file:
            raise ValidationError({"file": _("Upload the final file before publishing.")})
        if not deliverable.project.is_public:
            raise ValidationError(
                _("The project %(code)s is not shown publicly; show it before publishing its deliverables.")
                % {"code": deliverable.project.code}
            )
        deliverable.published_on = timezone.localdate()
    deliverable.status = to_status
    deliverable.save()
    return deliverable


def deliverable_approve(*, deliverable: Deliverable, decision: Decision) -> Deliverable:
    if deliverable.status == DeliverableStatus.DRAFT:
        deliverable = deliverable_transition(
            deliverable=deliverable, to_status=DeliverableStatus.FOR_SIGN_OFF
        )
    return deliverable_transition(
        deliverable=deliverable, to_status=DeliverableStatus.APPROVED, decision=decision
    )


def deliverable_publish(*, deliverable: Deliverable) -> Deliverable:
    return deliverable_transition(deliverable=deliverable, to_status=DeliverableStatus.PUBLISHED)
