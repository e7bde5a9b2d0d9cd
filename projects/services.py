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

from audit.services import audit_record, changes, snapshot
from governance.models import validate_steering_decision
from projects import publication
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
    actor: User | None,
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
    before = snapshot(project, ["status", "decision", "started_on", "finished_on"])
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
    audit_record(
        actor=actor, obj=project, action=f"projects.project.{to_status}", data=changes(before, project)
    )
    return project


def project_approve(*, actor: User | None, project: Project, decision: Decision) -> Project:
    return project_transition(
        actor=actor, project=project, to_status=ProjectStatus.APPROVED, decision=decision
    )


@transaction.atomic
def progress_record(
    *,
    actor: User | None,
    project: Project,
    text: str,
    health: str = Health.ON_TRACK,
    reason: str = "",
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
    before = snapshot(project, ["health", "health_reason"])
    update = ProgressUpdate.objects.create(
        project=project, date=on, text=text, health=health, is_public=is_public, author=actor
    )
    newest = project.updates.order_by("-date", "-pk").first()
    if newest is not None and newest.pk == update.pk:
        project.health = health
        project.health_reason = reason if health != Health.ON_TRACK else ""
        project.save(update_fields=["health", "health_reason", "updated_at"])
    audit_record(
        actor=actor,
        obj=project,
        action="projects.project.progress_recorded",
        data={
            "update": update.pk,
            "date": on,
            "text": text,
            "is_public": is_public,
            **changes(before, project),
        },
    )
    return update


@transaction.atomic
def deliverable_transition(
    *, actor: User | None, deliverable: Deliverable, to_status: str, decision: Decision | None = None
) -> Deliverable:
    """Draft → for sign-off → approved (by a steering group decision) → published (public)."""
    deliverable = Deliverable.objects.select_for_update().select_related("project").get(pk=deliverable.pk)
    before = snapshot(deliverable, ["status", "decision", "published_on"])
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
    if deliverable.decision is not None and not deliverable.project.is_concerned_by(deliverable.decision):
        raise ValidationError(
            {
                "decision": _(
                    "Decision %(number)s is not about %(project)s: choose the decision that started "
                    "the project or a later decision about it."
                )
                % {"number": deliverable.decision.number, "project": deliverable.project.code}
            }
        )
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
    audit_record(
        actor=actor,
        obj=deliverable,
        action=f"projects.deliverable.{to_status}",
        data=changes(before, deliverable),
    )
    if to_status == DeliverableStatus.PUBLISHED:
        publication.deliverable_published(deliverable=deliverable)
    return deliverable


@transaction.atomic  # sent for sign-off and approved as one step, or neither
def deliverable_approve(*, actor: User | None, deliverable: Deliverable, decision: Decision) -> Deliverable:
    if deliverable.status == DeliverableStatus.DRAFT:
        deliverable = deliverable_transition(
            actor=actor, deliverable=deliverable, to_status=DeliverableStatus.FOR_SIGN_OFF
        )
    return deliverable_transition(
        actor=actor, deliverable=deliverable, to_status=DeliverableStatus.APPROVED, decision=decision
    )


def deliverable_publish(*, actor: User | None, deliverable: Deliverable) -> Deliverable:
    return deliverable_transition(actor=actor, deliverable=deliverable, to_status=DeliverableStatus.PUBLISHED)
