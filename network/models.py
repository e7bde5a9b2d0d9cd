"""The directory of ATMP capabilities (ToR §2, function 2): entries, capabilities and their history.

State changes go through ``network.services``; the models only hold rows and single-row rules.
ATMP classes and development stages are the requests' own taxonomies (``inquiries.models``), so a
feasibility round can match a request against entries without translating between two lists.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.language import LangText, in_language
from inquiries.models import AtmpClass, DevelopmentStage


class EntryType(models.TextChoices):
    HOSPITAL_UNIT = "hospital_unit", _("Hospital unit")
    FACILITY = "facility", _("ATMP / GMP facility")
    HOSPITAL_PHARMACY = "hospital_pharmacy", _("Hospital pharmacy")
    TRIAL_UNIT = "trial_unit", _("Clinical trial unit")
    UNIVERSITY_GROUP = "university_group", _("University group")
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body or organisation")
    NORDIC_PARTNER = "nordic_partner", _("Nordic partner")


class Region(models.TextChoices):
    # The Danish regions keep the codes of inquiries.models.Region, so a request's region matches.
    HOVEDSTADEN = "hovedstaden", _("Capital Region of Denmark")
    SJAELLAND = "sjaelland", _("Region Zealand")
    SYDDANMARK = "syddanmark", _("Region of Southern Denmark")
    MIDTJYLLAND = "midtjylland", _("Central Denmark Region")
    NORDJYLLAND = "nordjylland", _("North Denmark Region")
    NATIONAL = "national", _("Denmark, national")
    NORWAY = "norway", _("Norway")
    SWEDEN = "sweden", _("Sweden")
    FINLAND = "finland", _("Finland")
    ICELAND = "iceland", _("Iceland")


class NameLanguage(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")
    NORWEGIAN = "nb", _("Norwegian")
    SWEDISH = "sv", _("Swedish")
    FINNISH = "fi", _("Finnish")
    ICELANDIC = "is", _("Icelandic")


DANISH_REGIONS = (
    Region.NORDJYLLAND,
    Region.MIDTJYLLAND,
    Region.SYDDANMARK,
    Region.SJAELLAND,
    Region.HOVEDSTADEN,
)
NORDIC_COUNTRIES = (Region.NORWAY, Region.SWEDEN, Region.FINLAND, Region.ICELAND)

# The ATMP classes an entry can serve ("not sure" is an applicant's answer, not a capability).
SERVED_ATMP_CLASSES = [(value, label) for value, label in AtmpClass.choices if value != AtmpClass.NOT_SURE]


class Capability(models.Model):
    """One item of the maintained taxonomy: GMP manufacturing, apheresis, QP release …"""

    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Stable short identifier, used in links.")
    )
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_da = models.TextField(_("description (Danish)"), max_length=1_000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=1_000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired capabilities stay on entries but are not offered.")
    )

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["position", "name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_da, self.name_en)


class Entry(models.Model):
    """One place in the directory: a hospital unit, a GMP facility, a company, a Nordic partner …"""

    slug = models.SlugField(_("address"), max_length=90, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Most names are Danish whatever the page's language ("Region Hovedstaden"): an English page
    # marks them lang="da", so a screen reader says them in Danish (WCAG 3.1.2).
    name_language = models.CharField(
        _("language of the name"),
        max_length=2,
        choices=NameLanguage.choices,
        default=NameLanguage.DANISH,
        help_text=_("The language the name is written in, so pages in another language mark it."),
    )
    entry_type = models.CharField(_("type"), max_length=32, choices=EntryType.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    parent = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_entries",
        help_text=_("Where the organisation it belongs to is in the register."),
    )
    description_da = models.TextField(_("description (Danish)"), max_length=2_000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2_000, blank=True)
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("capabilities"), related_name="entries", blank=True
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("A role mailbox (e.g. gmp@…), not a person's private address."),
    )
    contact_language = models.CharField(
        _("contact's language"), max_length=2, choices=settings.LANGUAGES, default="da"
    )
    website = models.URLField(_("website"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    last_confirmed = models.DateField(_("last confirmed"), null=True, blank=True, editable=False)
    # What the directory's text search reads: the name, both descriptions, the parent's and the
    # capabilities' names, lower-cased. Kept by the services; a trigram index serves it (0002).
    search_text = models.TextField(blank=True, editable=False)
    # The day the yearly "please confirm or correct" email was last queued (claimed by the scan).
    confirmation_requested_on = models.DateField(
        _("confirmation last requested"), null=True, blank=True, editable=False
    )
    # Part of every personal link: bumping it makes every link sent before unusable.
    link_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["name", "id"], name="net_entry_name_idx"),
            models.Index(fields=["region", "name"], name="net_entry_region_idx"),
            models.Index(fields=["entry_type", "name"], name="net_entry_type_idx"),
            models.Index(fields=["last_confirmed"], name="net_entry_confirmed_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(region__in=Region.values), name="net_entry_region_valid"),
            models.CheckConstraint(condition=Q(entry_type__in=EntryType.values), name="net_entry_type_valid"),
        ]

    def __str__(self):
        return self.shown_name  # a str that knows its language (the record keeps it)

    @property
    def description(self) -> str:
        return in_language(self.description_da, self.description_en)

    @property
    def shown_name(self) -> LangText:
        """The name with its language, for ``|lang_attr`` on a page in another language."""
        return LangText(self.name, self.name_language)

    def confirmation_overdue_since(self, today: datetime.date | None = None) -> datetime.date | None:
        """The date it was last confirmed, when that is longer ago than the yearly round allows.

        An entry never confirmed counts from the day it was created.
        """
        today = today or timezone.localdate()
        since = self.last_confirmed or timezone.localdate(self.created_at)
        allowed = datetime.timedelta(
            days=settings.NETWORK_CONFIRM_EVERY_DAYS + settings.NETWORK_CONFIRM_GRACE_DAYS
        )
        return since if today - since > allowed else None


class EntryAtmpClass(models.Model):
    """An ATMP class an entry serves (the requests' taxonomy)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="atmp_class_rows")
    atmp_class = models.CharField(_("ATMP class"), max_length=32, choices=SERVED_ATMP_CLASSES)

    class Meta:
        verbose_name = _("ATMP class served")
        verbose_name_plural = _("ATMP classes served")
        constraints = [
            models.UniqueConstraint(fields=["entry", "atmp_class"], name="net_entry_atmp_class_unique"),
        ]
        indexes = [models.Index(fields=["atmp_class", "entry"], name="net_entry_atmp_class_idx")]

    def __str__(self):
        return self.get_atmp_class_display()


class EntryStage(models.Model):
    """A development stage an entry serves (the requests' taxonomy)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="stage_rows")
    stage = models.CharField(_("development stage"), max_length=32, choices=DevelopmentStage.choices)

    class Meta:
        verbose_name = _("development stage served")
        verbose_name_plural = _("development stages served")
        constraints = [models.UniqueConstraint(fields=["entry", "stage"], name="net_entry_stage_unique")]

    def __str__(self):
        return self.get_stage_display()


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Replaced by a later correction")


class EntryChange(models.Model):
    """A correction a contact sent through their personal link; public only once approved.

    ``proposed`` holds the whole entry as the contact wants it (the fields of
    ``network.services.ENTRY_FIELDS`` they may edit, and capability codes, ATMP classes and
    stages as lists), so approving applies it in one service call.
    """

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="changes"
    )
    proposed = models.JSONField(_("proposed"))
    note = models.TextField(_("note from the contact"), max_length=2_000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), max_length=2_000, blank=True)

    class Meta:
        verbose_name = _("correction from a contact")
        verbose_name_plural = _("corrections from contacts")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One correction waits per entry: a later one replaces it (ChangeStatus.SUPERSEDED).
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="pending"), name="net_change_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="net_change_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.entry} ({timezone.localtime(self.submitted_at):%Y-%m-%d})"


# --- Feasibility rounds ---------------------------------------------------------------------------


class InterestProfile(models.Model):
    """A standing interest an entry registers in advance: "ask us about somatic cell therapy in
    phase I". Blank parts mean "any"; a round proposes entries with a matching profile first."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="interests")
    capability = models.ForeignKey(
        Capability,
        verbose_name=_("capability"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    atmp_class = models.CharField(_("ATMP class"), max_length=32, choices=SERVED_ATMP_CLASSES, blank=True)
    stage = models.CharField(
        _("development stage"), max_length=32, choices=DevelopmentStage.choices, blank=True
    )

    class Meta:
        verbose_name = _("standing interest")
        verbose_name_plural = _("standing interests")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "capability", "atmp_class", "stage"], name="net_interest_unique"
            ),
        ]

    def __str__(self):
        parts = [
            str(self.capability) if self.capability_id else "",
            self.get_atmp_class_display(),
            self.get_stage_display(),
        ]
        return " · ".join(p for p in parts if p) or str(_("anything"))

    def matches(self, *, capability_ids: set[int], atmp_class: str, stage: str) -> bool:
        return (
            (self.capability_id is None or self.capability_id in capability_ids)
            and (not self.atmp_class or self.atmp_class == atmp_class)
            and (not self.stage or self.stage == stage)
        )


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed at the deadline")
    RELEASED = "released", _("Answers released to the applicant")


class Round(models.Model):
    """A feasibility round: the secretariat asks matching sites about one request.

    The synopsis is the only text of the request a site sees; it is written from the shareable
    part, never from the confidential one.
    """

    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="feasibility_rounds",
    )
    synopsis = models.TextField(_("synopsis sent to the sites"), max_length=5_000)
    atmp_class = models.CharField(_("ATMP class"), max_length=32, choices=SERVED_ATMP_CLASSES, blank=True)
    stage = models.CharField(
        _("development stage"), max_length=32, choices=DevelopmentStage.choices, blank=True
    )
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("capabilities"), blank=True, related_name="+"
    )
    regions = models.JSONField(_("regions"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("feasibility round")
        verbose_name_plural = _("feasibility rounds")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="net_round_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RoundStatus.values), name="net_round_status_valid"),
        ]

    def __str__(self):
        return f"{self.inquiry.reference} ({timezone.localtime(self.started_at):%Y-%m-%d})"


class AnswerChoice(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    NOT_INTERESTED = "not_interested", _("Not interested")
    MORE_INFORMATION = "more_information", _("Need more information")


class Invitation(models.Model):
    """One site asked in a round, why it was matched, and its answer (one per site, which the
    contact can change until the deadline; an answer after it is kept and marked late)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    entry = models.ForeignKey(
        Entry, verbose_name=_("site"), on_delete=models.PROTECT, related_name="invitations"
    )
    reason = models.CharField(_("why matched"), max_length=500, blank=True)
    email = models.EmailField(_("sent to"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="da")
    link_version = models.PositiveIntegerField(default=1, editable=False)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    # Set when the one reminder is claimed (a conditional UPDATE), so a site never gets two.
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=AnswerChoice.choices, blank=True)
    capacity = models.TextField(_("capacity"), max_length=2_000, blank=True)
    time_frame = models.CharField(_("time frame"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    comments = models.TextField(_("comments"), max_length=5_000, blank=True)
    consent_to_share = models.BooleanField(_("may be shared with the applicant"), default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    released_at = models.DateTimeField(_("released to the applicant"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations and answers")
        ordering = ["entry__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="net_invitation_once_per_round"),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answer__in=AnswerChoice.values), name="net_invitation_answer_valid"
            ),
            # Only an answer the site agreed to share ever reaches the applicant.
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(consent_to_share=True),
                name="net_release_needs_consent",
            ),
        ]

    def __str__(self):
        return f"{self.entry} – {self.round}"


class EntryReferral(models.Model):
    """A request's referral (``inquiries.Referral``) whose target is a directory entry.

    The referral itself (partner "a site in the directory", what was passed on, the outcome) stays
    the requests' own row, so the request page, the request's history and the dashboard's counts
    treat it like any other; this row says which entry it points at.
    """

    referral = models.OneToOneField(
        "inquiries.Referral",
        verbose_name=_("referral"),
        on_delete=models.CASCADE,
        related_name="directory_target",
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("directory entry"), on_delete=models.PROTECT, related_name="referrals"
    )

    class Meta:
        verbose_name = _("referral to a directory entry")
        verbose_name_plural = _("referrals to directory entries")
        ordering = ["-referral__referred_at", "-pk"]

    def __str__(self):
        return f"{self.referral.inquiry.reference} → {self.entry}"
