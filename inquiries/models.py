"""Requests to ATMP Danmark: the single point of entry (ToR §2), its thread, triage and referrals.

State changes go through ``inquiries.services``; the models only hold rows and single-row rules.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApplicantType


class Topic(models.TextChoices):
    REGULATORY = "regulatory", _("Regulatory guidance")
    CLINICAL_TRIALS = "clinical_trials", _("Clinical trial collaboration and sites")
    MANUFACTURING = "manufacturing", _("Manufacturing and GMP")
    HOSPITAL_EXEMPTION = "hospital_exemption", _("Hospital exemption")
    HTA = "hta", _("Health technology assessment and reimbursement")
    REAL_WORLD_DATA = "real_world_data", _("Real-world data and follow-up")
    FUNDING = "funding", _("Funding")
    NETWORKING = "networking", _("Networking and knowledge sharing")
    OTHER = "other", _("Other")


class AtmpClass(models.TextChoices):
    GENE_THERAPY = "gene_therapy", _("Gene therapy")
    SOMATIC_CELL = "somatic_cell", _("Somatic cell therapy")
    TISSUE_ENGINEERED = "tissue_engineered", _("Tissue-engineered product")
    COMBINED = "combined", _("Combined ATMP")
    NOT_SURE = "not_sure", _("Not sure")


class DevelopmentStage(models.TextChoices):
    RESEARCH = "research", _("Research")
    PRECLINICAL = "preclinical", _("Preclinical")
    PHASE_1 = "phase_1", _("Phase I")
    PHASE_2 = "phase_2", _("Phase II")
    PHASE_3 = "phase_3", _("Phase III")
    PHASE_4 = "phase_4", _("Phase IV")
    MARKETING_AUTHORISATION = "marketing_authorisation", _("Marketing authorisation")
    HOSPITAL_EXEMPTION = "hospital_exemption", _("Hospital exemption")
    IN_USE = "in_use", _("In use in treatment")
    # An applicant who asks about a product in general, or does not know its stage, is not forced to guess.
    NOT_KNOWN = "not_known", _("Don't know or not relevant")


class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", _("Capital Region of Denmark")
    SJAELLAND = "sjaelland", _("Region Zealand")
    SYDDANMARK = "syddanmark", _("Region of Southern Denmark")
    MIDTJYLLAND = "midtjylland", _("Central Denmark Region")
    NORDJYLLAND = "nordjylland", _("North Denmark Region")
    OUTSIDE = "outside", _("Outside Denmark")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_TRIAGE = "in_triage", _("In triage")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_APPLICANT = "waiting_for_applicant", _("Waiting for applicant")
    ANSWERED = "answered", _("Answered")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The service clock runs while the secretariat owes the applicant something.
CLOCK_RUNNING = (Status.SUBMITTED, Status.IN_TRIAGE, Status.IN_PROGRESS)
FINISHED = (Status.CLOSED, Status.WITHDRAWN)


class Priority(models.IntegerChoices):
    # Integers so that "sort by priority" means what it says.
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class ReferenceCounter(models.Model):
    """The last sequence number handed out per year; locked while the next one is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


# What the applicant writes in the form; the form, the submit service and the admin share it.
APPLICANT_FIELDS = (
    "applicant_type",
    "organisation",
    "region",
    "topic",
    "atmp_class",
    "development_stage",
    "subject",
    "question",
    "wished_answer_date",
    "already_contacted",
    "shareable_summary",
    "confidential_details",
)


class Inquiry(models.Model):
    """One request for guidance from an applicant, e.g. ATMP-2026-0042 ("request" on screen)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    applicant_type = models.CharField(_("applicant type"), max_length=32, choices=ApplicantType.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    atmp_class = models.CharField(_("ATMP class"), max_length=32, choices=AtmpClass.choices)
    development_stage = models.CharField(
        _("development stage"), max_length=32, choices=DevelopmentStage.choices
    )
    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"), max_length=10_000)
    wished_answer_date = models.DateField(_("wished answer date"), null=True, blank=True)
    already_contacted = models.TextField(_("already contacted"), max_length=2_000, blank=True)
    shareable_summary = models.TextField(_("may be shared in anonymised form"), max_length=5_000, blank=True)
    confidential_details = models.TextField(_("confidential"), max_length=10_000, blank=True)
    consent_given_at = models.DateTimeField(_("consent given"))

    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.SUBMITTED, editable=False
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
        limit_choices_to={"is_staff": True, "is_active": True},
    )

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    # A hidden uuid in the form: sending the same form twice (a double click, a resubmit after
    # an unclear failure) finds the first request instead of making a second.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # Set when the applicant's data was erased (their deletion, or retention after closing):
    # what stays is the reference, dates, status and the classification the statistics count.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The service clock, stored so that the queue sorts and filters by it at 100,000 rows.
    acknowledge_due = models.DateField(_("acknowledgement due"), editable=False)
    answer_due = models.DateField(_("answer due"), editable=False)
    paused_on = models.DateField(_("clock paused since"), null=True, blank=True, editable=False)
    paused_working_days = models.PositiveIntegerField(_("working days paused"), default=0, editable=False)
    # Working days from submission to the acknowledgement and to the first answer (Danish dates),
    # worked out once by the service that sets the moment: the dashboard's medians read them.
    working_days_to_acknowledge = models.PositiveIntegerField(null=True, blank=True, editable=False)
    working_days_to_answer = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Optimistic concurrency: every service write increments it; a stale admin form is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["applicant", "-submitted_at"], name="inq_inquiry_applicant_idx"),
            models.Index(fields=["-submitted_at"], name="inq_inquiry_submitted_idx"),
            models.Index(fields=["answer_due"], name="inq_inquiry_answer_due_idx"),
            models.Index(fields=["status", "answer_due"], name="inq_inquiry_status_due_idx"),
            models.Index(fields=["assignee", "status"], name="inq_inquiry_assignee_idx"),
            # Retention: the finished requests not yet anonymised, by when they closed.
            models.Index(
                fields=["closed_at"],
                condition=Q(anonymised_at__isnull=True, closed_at__isnull=False),
                name="inq_inquiry_retention_idx",
            ),
            # The queue's "unassigned" filter: few rows of many, so a partial index.
            models.Index(
                fields=["-submitted_at"],
                condition=Q(assignee__isnull=True),
                name="inq_inquiry_unassigned_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_due__gte=models.F("acknowledge_due")),
                name="inq_inquiry_answer_after_ack",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="inq_inquiry_status_valid"),
            models.UniqueConstraint(
                fields=["applicant", "submission_key"], name="inq_inquiry_submission_once"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_RUNNING

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.clock_running and self.answer_due < today

    def is_acknowledgement_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == Status.SUBMITTED and self.acknowledge_due < today


class InquiryDailyCount(models.Model):
    """How many requests of one day have one property; kept by ``inquiries.summaries``."""

    day = models.DateField()
    dimension = models.CharField(max_length=32)
    value = models.CharField(max_length=40, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "dimension", "value"], name="inq_daily_count_key"),
        ]
        indexes = [models.Index(fields=["dimension", "day"], name="inq_daily_count_dim_day")]

    def __str__(self):
        return f"{self.day} {self.dimension}={self.value}: {self.count}"


class InquiryMonthlyCount(models.Model):
    """The per-day counts summed by month (``month`` is its first day), kept with them by
    ``inquiries.summaries``: a period of whole months reads a row per month, not per day."""

    month = models.DateField()
    dimension = models.CharField(max_length=32)
    value = models.CharField(max_length=40, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "dimension", "value"], name="inq_monthly_count_key"),
        ]
        indexes = [models.Index(fields=["dimension", "month"], name="inq_monthly_count_dim_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.dimension}={self.value}: {self.count}"


class MessageKind(models.TextChoices):
    APPLICANT = "applicant", _("From the applicant")
    REPLY = "reply", _("Reply to the applicant")
    INTERNAL = "internal", _("Internal note")


PUBLIC_MESSAGE_KINDS = (MessageKind.APPLICANT, MessageKind.REPLY)


class Message(models.Model):
    """One entry of a request's thread. Internal notes are never shown or sent to the applicant."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    body = models.TextField(_("text"), max_length=20_000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("thread")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["inquiry", "created_at"], name="inq_message_inquiry_idx")]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_MESSAGE_KINDS


def _attachment_path(instance, filename):
    # A generated name: nothing the uploader typed reaches the file system. No MEDIA_URL serves it.
    return f"private/requests/{timezone.now():%Y}/{instance.uuid.hex}"


class Attachment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    is_internal = models.BooleanField(_("internal"), default=False)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    PRIORITY = "priority", _("Priority changed")
    REFERRED = "referred", _("Referred")
    REFERRAL_OUTCOME = "referral_outcome", _("Referral outcome recorded")
    FEASIBILITY = "feasibility", _("Feasibility round")


class Event(models.Model):
    """The history: who changed what, when. Public events are shown to the applicant too."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=32, choices=Status.choices, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    is_public = models.BooleanField(_("shown to applicant"), default=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("history")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["inquiry", "created_at"], name="inq_event_inquiry_idx")]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class Partner(models.TextChoices):
    MEDICINES_AGENCY = "medicines_agency", _("Danish Medicines Agency")
    MEDICINES_COUNCIL = "medicines_council", _("Danish Medicines Council")
    TRIAL_NATION = "trial_nation", _("Trial Nation")
    REGION = "region", _("A region")
    # Made by network's "refer to a directory entry" (network.EntryReferral names the entry).
    DIRECTORY = "directory", _("A site in the directory")
    OTHER = "other", _("Other")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the partner")
    ACCEPTED = "accepted", _("Taken on by the partner")
    ANSWERED = "answered", _("Answered by the partner")
    DECLINED = "declined", _("Declined by the partner")
    NO_RESPONSE = "no_response", _("No response")


class Referral(models.Model):
    """A request passed on to a partner with the expertise, and what came of it."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="referrals")
    partner = models.CharField(_("partner"), max_length=32, choices=Partner.choices)
    organisation = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The partner organisation, where it is in the register."),
    )
    note = models.TextField(_("what was passed on"), max_length=5_000, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    outcome_note = models.TextField(_("what came of it"), max_length=5_000, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referred_at = models.DateTimeField(_("referred"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["referred_at", "pk"]

    def __str__(self):
        return self.get_partner_display()


class CannedReply(models.Model):
    """A reply text the secretariat keeps, in Danish and English."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    body_da = models.TextField(_("text (Danish)"))
    body_en = models.TextField(_("text (English)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def body_for(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_da


class NotificationKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    REPLY = "reply", _("Reply")
    MORE_INFORMATION = "more_information", _("Request for more information")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    NEW_REQUEST = "new_request", _("New request (secretariat)")
    APPLICANT_REPLIED = "applicant_replied", _("Applicant replied (secretariat)")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant (secretariat)")


SECRETARIAT_NOTICES = (
    NotificationKind.NEW_REQUEST,
    NotificationKind.APPLICANT_REPLIED,
    NotificationKind.WITHDRAWN,
)


class Notification(models.Model):
    """Which email a request caused, and why. The email itself is a row of the outbox, written
    in the same transaction; ``key`` is unique, so the same notice twice is one email."""

    key = models.CharField(max_length=120, unique=True)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="notifications")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    to_secretariat = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    email = models.OneToOneField(
        "outbox.OutboundEmail",
        verbose_name=_("email"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at"]

    def __str__(self):
        return self.key
