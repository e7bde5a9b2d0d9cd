import datetime
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.language import LangText, in_language


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    REGION = "region", _("Region")
    AGENCY = "agency", _("Agency")
    UNIVERSITY = "university", _("University")
    HOSPITAL = "hospital", _("Hospital")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    PATIENT_ORGANISATION = "patient_organisation", _("Patient organisation")
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """An organisation that appoints members, is referred to, or is a partner (ToR §3)."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Stable short identifier, used by the reference data."),
    )
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    appointed_through = models.ForeignKey(
        "self",
        verbose_name=_("appoints through"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointing_for",
        help_text=_(
            "The organisation that makes the appointment on its behalf, "
            "where the Terms of Reference name one."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_da"]
        constraints = [
            models.UniqueConstraint(Lower("name_da"), name="governance_organisation_name_da_ci_unique"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk and self.appointed_through_id == self.pk:
            raise ValidationError({"appointed_through": _("An organisation cannot appoint through itself.")})

    @property
    def name(self) -> str:
        """The name in the language the page is shown in."""
        return in_language(self.name_da, self.name_en)


# --- Bodies, seats and memberships --------------------------------------------------------------


class BodyKind(models.TextChoices):
    STEERING_GROUP = "steering_group", _("Steering group")
    REFERENCE_GROUP = "reference_group", _("Reference group")
    WORKING_GROUP = "working_group", _("Working group")


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    OBSERVER = "observer", _("Observer")
    SECRETARY = "secretary", _("Secretary")


# Roles that fill one of the seats an organisation appoints; substitutes, observers and the
# secretary sit beside the seats.
SEAT_HOLDING_ROLES = (MembershipRole.CHAIR, MembershipRole.CO_CHAIR, MembershipRole.MEMBER)


def validate_reminder_offsets(value: str) -> None:
    try:
        offsets = parse_reminder_offsets(value)
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of days separated by commas, e.g. “14, 2”."), code="invalid"
        ) from None
    if any(offset < 1 or offset > 90 for offset in offsets):
        raise ValidationError(_("Each reminder must be between 1 and 90 days before the meeting."))


def parse_reminder_offsets(value: str) -> list[int]:
    """``"14, 2"`` → ``[14, 2]`` (largest first, no duplicates)."""
    if not value.strip():
        return []
    return sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)


class BodyQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Body(models.Model):
    """The steering group, the reference group, or a working group the steering group sets up."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    mandate_da = models.TextField(_("mandate (Danish)"), blank=True)
    mandate_en = models.TextField(_("mandate (English)"), blank=True)
    set_up_by = models.ForeignKey(
        "self",
        verbose_name=_("set up by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        help_text=_("For a working group: the body that set it up."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    target_meetings_per_year = models.PositiveSmallIntegerField(_("target meetings per year"), default=0)
    reminder_offsets = models.CharField(
        _("reminders (days before)"),
        max_length=40,
        default="14, 2",
        validators=[validate_reminder_offsets],
        help_text=_("Days before each meeting that members get a reminder, e.g. “14, 2”."),
    )
    decision_prefix = models.CharField(
        _("decision number prefix"),
        max_length=8,
        unique=True,
        help_text=_("Decisions are numbered PREFIX-YEAR-MEETING-NUMBER, e.g. SG-2026-02-03."),
    )
    is_public = models.BooleanField(
        _("shown on the public page"), default=True, help_text=_("Mandate, members and meeting dates.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = BodyQuerySet.as_manager()

    # Counted by governance.selectors.public_bodies for the public page; not stored.
    seat_total: int
    vacancies: int

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["position", "name_da"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="working_group") | models.Q(set_up_by__isnull=False),
                name="governance_body_working_group_set_up_by",
                violation_error_message=_("A working group needs the body that set it up."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_da, self.name_en)

    @property
    def mandate(self) -> str:
        return in_language(self.mandate_da, self.mandate_en)

    @property
    def offsets(self) -> list[int]:
        return parse_reminder_offsets(self.reminder_offsets)

    def clean(self):
        super().clean()
        if self.kind == BodyKind.WORKING_GROUP and not self.set_up_by_id:
            raise ValidationError({"set_up_by": _("A working group needs the body that set it up.")})
        if self.pk and self.set_up_by_id == self.pk:
            raise ValidationError({"set_up_by": _("A body cannot set itself up.")})


class Seat(models.Model):
    """How many members an organisation appoints to a body, and in which role (ToR §3)."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats")
    code = models.SlugField(_("code"), max_length=60, help_text=_("Stable identifier within the body."))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("appointing organisation"),
        on_delete=models.PROTECT,
        related_name="seats",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    count = models.PositiveSmallIntegerField(_("number of members"), default=1)
    description_da = models.CharField(_("description (Danish)"), max_length=200, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="governance_seat_code_unique_in_body"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="governance_seat_count_positive"),
        ]

    def __str__(self):
        label = self.description or self.organisation.name
        return f"{self.body.name}: {label}"

    @property
    def description(self) -> str:
        return in_language(self.description_da, self.description_en)


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=on)
        )

    def ending_within(self, days: int, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.active(on).filter(
            end_date__isnull=False, end_date__lte=on + datetime.timedelta(days=days)
        )


class Membership(models.Model):
    """A person's appointment to a body. Active between its dates; an ended one grants nothing."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="memberships"
    )
    seat = models.ForeignKey(
        Seat,
        verbose_name=_("seat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("The appointing organisation's seat this person fills."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Links the person to their login; gives them the body's member pages."),
    )
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Used for reminders if no account is linked.")
    )
    position_title = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("E.g. “Health director, Region Syddanmark”.")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Last day of the term."))
    show_publicly = models.BooleanField(_("shown on the public page"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "seat__position", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="governance_membership_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["user", "start_date", "end_date"])]

    def __str__(self):
        return f"{self.full_name} ({self.body.name})"

    def clean(self):
        super().clean()
        if self.seat is not None and self.body_id and self.seat.body_id != self.body_id:
            raise ValidationError({"seat": _("This seat belongs to another body.")})
        if not self.user_id and not self.email:
            raise ValidationError({"email": _("Give an email address or link a user account.")})

    @property
    def organisation(self) -> Organisation | None:
        return self.seat.organisation if self.seat is not None else None

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user is not None else self.email

    @property
    def language(self) -> str:
        return self.user.preferred_language if self.user is not None else settings.LANGUAGE_CODE

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


# --- Meetings ----------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MinutesStatus(models.TextChoices):
    NONE = "", _("Not written")
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated")
    APPROVED = "approved", _("Approved")


class Meeting(models.Model):
    """A meeting of one body. Status, time, documents and minutes change through services."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveSmallIntegerField(
        _("number"), editable=False, help_text=_("The body's meeting number in the year.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
        editable=False,
    )
    schedule_version = models.PositiveIntegerField(
        _("schedule version"), default=1, editable=False, help_text=_("Goes up each time the meeting moves.")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    documents_published_at = models.DateTimeField(
        _("documents published"), null=True, blank=True, editable=False
    )
    documents_version = models.PositiveIntegerField(default=0, editable=False)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes status"),
        max_length=16,
        choices=MinutesStatus.choices,
        blank=True,
        default="",
        editable=False,
    )
    minutes_circulated_at = models.DateTimeField(
        _("minutes circulated"), null=True, blank=True, editable=False
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        verbose_name=_("minutes approved at"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="approved_minutes_of",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="governance_meeting_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="governance_meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.body.name} {local:%d.%m.%Y}"

    @property
    def label(self) -> str:
        return _("%(body)s, meeting %(number)s/%(year)s") % {
            "body": self.body.name,
            "number": self.number,
            "year": self.year,
        }

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting must end after it starts.")})
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > datetime.timedelta(days=2):
            raise ValidationError({"ends_at": _("A meeting cannot last more than two days.")})

    @property
    def documents_published(self) -> bool:
        return self.documents_published_at is not None


class AgendaItemKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DISCUSSION = "discussion", _("Discussion")
    DECISION = "decision", _("Decision")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("type"), max_length=16, choices=AgendaItemKind.choices, default=AgendaItemKind.INFORMATION
    )
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes allotted"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    concerns = models.CharField(
        _("project or budget item"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Analysis II” or “Budget 2026, communication”."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


def meeting_document_path(instance, filename: str) -> str:
    """A generated name in a private folder: nothing about the file name reaches the disk path."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"private/governance/{uuid.uuid4().hex}{suffix}"


class MeetingDocument(models.Model):
    """A file in the meeting's document pack: members of the body only, once the pack is published."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=meeting_document_path,
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "txt"])],
    )
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("document pack")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.original_name:
            self.original_name = Path(self.file.name).name[:255]
        if self.file:
            self.size = self.file.size
        super().save(*args, **kwargs)


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ONLINE = "online", _("Present online")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(
        _("attendance"), max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="governance_attendance_once"),
        ]

    def __str__(self):
        return f"{self.membership.full_name}: {self.get_status_display()}"


# --- Decisions and action items ----------------------------------------------------------------


class DecisionConcerns(models.TextChoices):
    PROJECT = "project", _("A project to start or change")
    BUDGET = "budget", _("A budget matter")
    FUNDING_APPLICATION = "funding_application", _("A funding application")
    WORKING_GROUP = "working_group", _("A working group")
    OTHER = "other", _("Other")


class Decision(models.Model):
    """The decisions register. The number is given once and never changes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    sequence = models.PositiveSmallIntegerField(_("number in the meeting"), editable=False)
    number = models.CharField(_("decision number"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("decision"))
    # The register is kept in Danish; a public decision may also be written in English for the
    # English pages, which show the Danish text (marked lang="da") where the English is empty.
    title_en = models.CharField(
        _("title (English)"),
        max_length=300,
        blank=True,
        help_text=_("For the English pages. Leave empty to show the Danish title there."),
    )
    text_en = models.TextField(
        _("decision (English)"),
        blank=True,
        help_text=_("For the English pages. Leave empty to show the Danish text there."),
    )
    concerns = models.CharField(
        _("concerns"), max_length=32, choices=DecisionConcerns.choices, default=DecisionConcerns.OTHER
    )
    working_group = models.ForeignKey(
        Body,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions_about",
        limit_choices_to={"kind": BodyKind.WORKING_GROUP},
    )
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public page."))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-meeting__starts_at", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sequence"], name="governance_decision_sequence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def clean(self):
        super().clean()
        if self.concerns == DecisionConcerns.WORKING_GROUP and not self.working_group_id:
            raise ValidationError({"working_group": _("Choose the working group the decision concerns.")})

    @property
    def shown_title(self) -> LangText:
        return in_language(self.title, self.title_en)

    @property
    def shown_text(self) -> LangText:
        return in_language(self.text, self.text_en)


def validate_steering_decision(decision: Decision) -> None:
    """Only the steering group starts analyses and pilots, signs off their deliverables and
    clears spending beyond a year's allocation (ToR §3); anything else is refused, naming the field.
    """
    if decision.meeting.body.kind != BodyKind.STEERING_GROUP:
        raise ValidationError(
            {
                "decision": _("Choose a decision of the steering group; %(number)s is not one.")
                % {"number": decision.number}
            }
        )


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionItemStatus.OPEN)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_date__lt=on or timezone.localdate())


class ActionItem(models.Model):
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    owner_label = models.CharField(
        _("owner (if not a member)"), max_length=200, blank=True, help_text=_("E.g. “Amgros secretariat”.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.title

    @property
    def owner_name(self) -> str:
        return self.owner.full_name if self.owner is not None else self.owner_label

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ActionItemStatus.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


# --- Notices sent to members -------------------------------------------------------------------


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    DOCUMENTS = "documents", _("Documents published")
    RESCHEDULED = "rescheduled", _("Meeting moved")
    CANCELLED = "cancelled", _("Meeting cancelled")


class MeetingNotice(models.Model):
    """One email to one member about one meeting. The unique key makes it exist once; its email
    is a row of the outbox, written in the same transaction, which sends it at least once."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="notices"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    offset_days = models.PositiveSmallIntegerField(_("days before"), default=0)
    generation = models.PositiveIntegerField(
        _("generation"), default=1, help_text=_("Schedule or publication version the notice is about.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    email = models.OneToOneField(
        "outbox.OutboundEmail",
        verbose_name=_("email"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting notice")
        verbose_name_plural = _("meeting notices")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership", "kind", "offset_days", "generation"],
                name="governance_notice_once",
            ),
        ]
        # The scan looks for notices whose email is not written yet.
        indexes = [
            models.Index(
                fields=["meeting"], condition=models.Q(email__isnull=True), name="governance_notice_unqueued"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.membership.full_name}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's personal calendar URL. The token is the secret; resetting it kills the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


# What the dashboard's governance figures are read from: kept in the cache under these models'
# change stamps (audit.stamps; watched from GovernanceConfig.ready).
STAMPED = (Body, Meeting, Membership, Seat, Decision, ActionItem)
