"""Analyses I–V and pilot projects (ToR §2), from the steering group's decision to the deliverable.

Status changes go through ``projects.services``; the model holds the rules the database can
keep (a project past "proposed" names its decision, a worrying health names its reason).
"""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.language import LangText, in_language
from governance.models import validate_steering_decision

# ToR §4: "they must be completed by the end of 2027".
MANDATE_END = datetime.date(2027, 12, 31)


class ProjectKind(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis")
    PILOT = "pilot", _("Pilot project")


class TorItem(models.TextChoices):
    I = "I", _("I. International experience")  # noqa: E741
    II = "II", _("II. Regulatory conditions")
    III = "III", _("III. Real-world data")
    IV = "IV", _("IV. Coordination function and financing")
    V = "V", _("V. Pilot projects")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("project status", "Proposed")
    APPROVED = "approved", pgettext_lazy("project status", "Approved")
    IN_PROGRESS = "in_progress", pgettext_lazy("project status", "In progress")
    PAUSED = "paused", pgettext_lazy("project status", "Paused")
    COMPLETED = "completed", pgettext_lazy("project status", "Completed")
    STOPPED = "stopped", pgettext_lazy("project status", "Stopped")


# The moves a project may make. Leaving "proposed" needs the steering group's decision.
PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStatus.PROPOSED: (ProjectStatus.APPROVED, ProjectStatus.STOPPED),
    ProjectStatus.APPROVED: (ProjectStatus.IN_PROGRESS, ProjectStatus.STOPPED),
    ProjectStatus.IN_PROGRESS: (ProjectStatus.PAUSED, ProjectStatus.COMPLETED, ProjectStatus.STOPPED),
    ProjectStatus.PAUSED: (ProjectStatus.IN_PROGRESS, ProjectStatus.STOPPED),
    ProjectStatus.COMPLETED: (),
    ProjectStatus.STOPPED: (),
}


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Project(models.Model):
    """One piece of work the steering group decides on: an analysis (I–IV) or pilot (V, P1, P2…)."""

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^(I|II|III|IV|V|P[1-9][0-9]?)$",
                _("Use I, II, III, IV or V for the ToR's analyses, P1, P2 … for pilot projects."),
            )
        ],
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    tor_item = models.CharField(
        _("Terms of Reference item"),
        max_length=4,
        choices=TorItem.choices,
        help_text=_("The deliverable in ToR §2 this work answers."),
    )
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    purpose_da = models.TextField(_("purpose (Danish)"))
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PROPOSED,
        editable=False,
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("approved by decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        help_text=_("The steering group decision that started the work."),
    )
    related_decisions = models.ManyToManyField(
        "governance.Decision",
        verbose_name=_("later decisions about the project"),
        blank=True,
        related_name="concerned_projects",
        help_text=_(
            "Steering group decisions after the one that started the work: changes, sign-offs of its "
            "deliverables. A deliverable is signed off only by a decision about its own project."
        ),
    )
    lead = models.CharField(
        _("project lead"), max_length=200, blank=True, help_text=_("Name, and organisation if not Amgros.")
    )
    working_group = models.ForeignKey(
        "governance.Body",
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        limit_choices_to={"kind": "working_group"},
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True, editable=False)
    finished_on = models.DateField(
        _("finished"), null=True, blank=True, editable=False, help_text=_("Completed or stopped.")
    )
    health = models.CharField(_("health"), max_length=16, choices=Health.choices, default=Health.ON_TRACK)
    health_reason = models.TextField(
        _("reason for the health"),
        blank=True,
        help_text=_("Required when at risk or off track. Shown to the steering group only."),
    )
    is_public = models.BooleanField(_("shown on the public page"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="proposed") | models.Q(decision__isnull=False),
                name="projects_project_decision_after_proposed",
                violation_error_message=_(
                    "A project can only leave “proposed” with the steering group decision that approved it."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="projects_project_ends_after_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            ),
            models.CheckConstraint(
                condition=models.Q(health="on_track") | ~models.Q(health_reason=""),
                name="projects_project_health_reason",
                violation_error_message=_("Say why the project is at risk or off track."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="analysis", tor_item__in=["I", "II", "III", "IV"])
                | models.Q(kind="pilot", tor_item="V"),
                name="projects_project_kind_matches_tor_item",
                violation_error_message=_("Analyses answer ToR items I–IV; pilot projects answer item V."),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_da, self.title_en)

    @property
    def purpose(self) -> str:
        return in_language(self.purpose_da, self.purpose_en)

    @property
    def ends_after_mandate(self) -> bool:
        return bool(self.planned_end and self.planned_end > MANDATE_END)

    def is_concerned_by(self, decision) -> bool:
        """Is ``decision`` about this project: the one that started it, or a later one linked to it?"""
        return decision.pk == self.decision_id or (
            self.pk is not None and self.related_decisions.filter(pk=decision.pk).exists()
        )

    def allowed_transitions(self) -> tuple[str, ...]:
        return PROJECT_TRANSITIONS.get(self.status, ())

    def next_milestone(self):
        """The first milestone not yet reached (from the prefetched milestones, ordered by due date)."""
        return next((m for m in self.milestones.all() if m.done_date is None), None)

    def clean(self):
        super().clean()
        if self.kind == ProjectKind.PILOT and self.tor_item != TorItem.V:
            raise ValidationError({"tor_item": _("Pilot projects answer ToR item V.")})
        if self.kind == ProjectKind.ANALYSIS and self.tor_item == TorItem.V:
            raise ValidationError({"tor_item": _("Analyses answer ToR items I–IV.")})
        if self.health != Health.ON_TRACK and not self.health_reason.strip():
            raise ValidationError({"health_reason": _("Say why the project is at risk or off track.")})
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The planned end cannot be before the planned start.")})
        if self.decision is not None:
            validate_steering_decision(self.decision)


class ProgressUpdate(models.Model):
    """A dated note on how the work goes; the health at that date is kept beside it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("update"))
    health = models.CharField(_("health"), max_length=16, choices=Health.choices, default=Health.ON_TRACK)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public project page.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["project", "-date", "-pk"]

    def __str__(self):
        return f"{self.project.code} {self.date:%Y-%m-%d}"


class MilestoneQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_date__isnull=True)

    def overdue(self, on: datetime.date | None = None):
        from django.utils import timezone

        return self.open().filter(due_date__lt=on or timezone.localdate())


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    due_date = models.DateField(_("due"))
    done_date = models.DateField(_("done"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_date", "pk"]

    def __str__(self):
        return f"{self.project.code}: {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_da, self.title_en)

    @property
    def after_mandate(self) -> bool:
        return self.due_date > MANDATE_END

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        from django.utils import timezone

        return self.done_date is None and self.due_date < (on or timezone.localdate())


class DeliverableKind(models.TextChoices):
    REPORT = "report", _("Report")
    GUIDELINE = "guideline", _("Guideline")
    CHECKLIST = "checklist", _("Checklist")
    SOLUTION_MODEL = "solution_model", _("Solution model")
    FINANCING_MODEL = "financing_model", _("Financing model")
    OTHER = "other", _("Other")


class DeliverableStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("deliverable status", "Draft")
    FOR_SIGN_OFF = "for_sign_off", pgettext_lazy("deliverable status", "For sign-off")
    APPROVED = "approved", pgettext_lazy("deliverable status", "Approved")
    PUBLISHED = "published", pgettext_lazy("deliverable status", "Published")


DELIVERABLE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DeliverableStatus.DRAFT: (DeliverableStatus.FOR_SIGN_OFF,),
    DeliverableStatus.FOR_SIGN_OFF: (DeliverableStatus.DRAFT, DeliverableStatus.APPROVED),
    DeliverableStatus.APPROVED: (DeliverableStatus.PUBLISHED,),
    DeliverableStatus.PUBLISHED: (),
}


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")


def deliverable_path(instance, filename: str) -> str:
    """A generated name in a private folder; files are served only through the checked view."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"private/projects/{uuid.uuid4().hex}{suffix}"


class DeliverableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=DeliverableStatus.PUBLISHED)


class Deliverable(models.Model):
    """What a project hands over. Published ones are public; the rest is for the steering group."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="deliverables"
    )
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(
        _("title (English)"),
        max_length=300,
        blank=True,
        help_text=_("For the English pages. Leave empty to show the title above there."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeliverableKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default="da")
    file = models.FileField(
        _("file"),
        upload_to=deliverable_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx", "pptx", "txt"])],
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.DRAFT,
        editable=False,
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("approved by decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliverables",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "for_sign_off"]) | models.Q(decision__isnull=False),
                name="projects_deliverable_approved_by_decision",
                violation_error_message=_("An approved deliverable names the decision that approved it."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | (~models.Q(file="") & models.Q(published_on__isnull=False)),
                name="projects_deliverable_published_has_file",
                violation_error_message=_("A published deliverable needs its file."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.original_name = Path(self.file.name).name[:255]
            self.size = self.file.size
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == DeliverableStatus.PUBLISHED

    def allowed_transitions(self) -> tuple[str, ...]:
        return DELIVERABLE_TRANSITIONS.get(self.status, ())

    def clean(self):
        super().clean()
        if self.decision is not None:
            validate_steering_decision(self.decision)
            if self.project_id is not None and not self.project.is_concerned_by(self.decision):
                raise ValidationError(
                    {
                        "decision": _(
                            "Decision %(number)s is not about %(project)s: choose the decision that "
                            "started the project or a later decision about it."
                        )
                        % {"number": self.decision.number, "project": self.project.code}
                    }
                )

    @property
    def shown_title(self) -> LangText:
        """The title in the page's language; the Danish (or only) title where no English is given.

        A deliverable written in English has its English title in ``title``.
        """
        if self.language == "en":
            return LangText(self.title, "en")
        return in_language(self.title, self.title_en)


# What the dashboard's project figures are read from, with governance's (the deciding meeting and
# the working group): kept in the cache under their change stamps (audit.stamps).
STAMPED = (Project, Milestone)
