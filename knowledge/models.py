"""Knowledge sharing (ToR function 3): the guidance library.

Rows and single-row rules only; every write goes through ``knowledge.services``.
"""

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inquiries.models import AtmpClass, DevelopmentStage, Topic


class ItemKind(models.TextChoices):
    ARTICLE = "article", _("Guidance article")
    CHECKLIST = "checklist", _("Checklist")
    TEMPLATE = "template", _("Template")
    REPORT = "report", _("Report")
    FAQ = "faq", _("FAQ entry")
    EXTERNAL = "external", _("External resource")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("library item status", "Draft")
    PUBLISHED = "published", pgettext_lazy("library item status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("library item status", "Withdrawn")


class TagDimension(models.TextChoices):
    """The requests' taxonomy, so a library item and a request can be matched."""

    TOPIC = "topic", _("Topic")
    ATMP_CLASS = "atmp_class", _("ATMP class")
    STAGE = "stage", _("Development stage")


TAG_CHOICES: dict[str, type[models.TextChoices]] = {
    TagDimension.TOPIC: Topic,
    TagDimension.ATMP_CLASS: AtmpClass,
    TagDimension.STAGE: DevelopmentStage,
}


class SearchDocumentField(SearchVectorField):
    """A ``tsvector`` on PostgreSQL; an unused text column on SQLite, where search is icontains.

    One model for both databases, so the migrations stay the same everywhere.
    """

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


# Addresses under /knowledge/ that are pages, not items.
RESERVED_SLUGS = {"checklist", "search", "feed"}


class ItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ItemStatus.PUBLISHED)

    def public(self):
        """What a public page may answer for: published (200) or withdrawn (410 with a pointer)."""
        return self.filter(status__in=[ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN])


class Item(models.Model):
    """One entry of the library: an article, checklist, template, report, FAQ entry or link."""

    slug = models.SlugField(_("address"), max_length=120, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_da = models.TextField(_("summary (Danish)"), max_length=1_000)
    summary_en = models.TextField(_("summary (English)"), max_length=1_000, blank=True)
    body_da = models.TextField(
        _("text (Danish)"),
        max_length=100_000,
        blank=True,
        help_text=_("Markdown: ## headings, **bold**, lists, [links](https://…). No images or HTML."),
    )
    body_en = models.TextField(_("text (English)"), max_length=100_000, blank=True)
    external_url = models.URLField(
        _("external address"), blank=True, help_text=_("For an external resource: where it is.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text=_("Who in the secretariat keeps the item up to date."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT, editable=False
    )
    review_by = models.DateField(
        _("review by"), null=True, blank=True, help_text=_("When the owner checks that it still holds.")
    )
    deliverable = models.OneToOneField(
        "projects.Deliverable",
        verbose_name=_("project deliverable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="library_item",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    updated_on = models.DateField(_("updated on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    search_document = SearchDocumentField(null=True, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-updated_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "-updated_on"], name="knowledge_item_status_idx"),
            models.Index(fields=["status", "kind"], name="knowledge_item_kind_idx"),
            models.Index(fields=["review_by"], name="knowledge_item_review_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="knowledge_item_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.PUBLISHED) | Q(review_by__isnull=False),
                name="knowledge_item_published_has_review_date",
                violation_error_message=_("A published item needs a review-by date."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("pk")),
                name="knowledge_item_not_its_own_successor",
            ),
        ]

    def __str__(self):
        return self.title_da

    def clean(self):
        if self.kind == ItemKind.EXTERNAL and not self.external_url:
            raise ValidationError({"external_url": _("An external resource needs the address it points to.")})
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("This address is taken by a page of the portal; choose another.")}
            )

    def text(self, field: str, language: str) -> tuple[str, str]:
        """``(text, language code)`` of a bilingual field: Danish when the English one is missing."""
        if language.startswith("en"):
            english = getattr(self, f"{field}_en")
            if english:
                return english, "en"
        return getattr(self, f"{field}_da"), "da"

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == ItemStatus.PUBLISHED and self.review_by is not None and self.review_by < today


class ItemTag(models.Model):
    """One tag of an item from the requests' taxonomy: (topic, regulatory), (stage, phase_1), …"""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="tags")
    dimension = models.CharField(_("kind of tag"), max_length=16, choices=TagDimension.choices)
    value = models.CharField(_("tag"), max_length=32)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["dimension", "value"]
        constraints = [
            models.UniqueConstraint(fields=["item", "dimension", "value"], name="knowledge_tag_unique"),
        ]
        indexes = [models.Index(fields=["dimension", "value"], name="knowledge_tag_lookup_idx")]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        choices = TAG_CHOICES.get(self.dimension)
        try:
            return choices(self.value).label if choices else self.value
        except ValueError:
            return self.value


def item_file_path(instance, filename: str) -> str:
    """A generated name in a private folder; files are served only through the checked view."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"private/knowledge/{uuid.uuid4().hex}{suffix}"


class ItemFile(models.Model):
    """A downloadable file of an item: the template itself, or an annex."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=item_file_path,
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx", "pptx", "odt", "txt"])],
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class ItemVersion(models.Model):
    """What was published, when, by whom and why: one row each time a change is published."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    published_on = models.DateField(_("published on"))
    # Empty for the automatic notes, which the page words in the reader's language.
    change_note = models.CharField(_("change note"), max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title_da = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    summary_da = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    body_da = models.TextField(blank=True)
    body_en = models.TextField(blank=True)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="knowledge_version_unique"),
        ]

    def __str__(self):
        return f"{self.item_id} v{self.number}"

    @property
    def note(self) -> str:
        if self.change_note:
            return self.change_note
        return str(_("First published") if self.number == 1 else _("Published again"))


# --- The regulatory checklist (analysis II) ------------------------------------------------------


class SponsorType(models.TextChoices):
    ACADEMIC = "academic", _("Academic (university or research group)")
    COMPANY = "company", _("Company")
    HOSPITAL = "hospital", _("Hospital")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class CellOrigin(models.TextChoices):
    AUTOLOGOUS = "autologous", _("Autologous (the patient's own cells)")
    ALLOGENEIC = "allogeneic", _("Allogeneic (a human donor's cells)")
    XENOGENEIC = "xenogeneic", _("Xenogeneic (animal cells or tissue)")


class Route(models.TextChoices):
    CLINICAL_TRIAL = "clinical_trial", _("Clinical trial")
    HOSPITAL_EXEMPTION = "hospital_exemption", _("Hospital exemption")
    MARKETING_AUTHORISATION = "marketing_authorisation", _("Marketing authorisation")


# The questions of the checklist: the answer's name in the query string, its choices, and the
# step's field that holds the answers a step applies to (empty: any answer).
CHECKLIST_QUESTIONS: dict[str, tuple[type[models.TextChoices], str]] = {
    "atmp_class": (AtmpClass, "when_atmp_classes"),
    "stage": (DevelopmentStage, "when_stages"),
    "sponsor": (SponsorType, "when_sponsors"),
    "gmo": (YesNo, "when_gmo"),
    "origin": (CellOrigin, "when_origins"),
    "route": (Route, "when_routes"),
}


class ChecklistStep(models.Model):
    """One step of the regulatory path, shown to those whose answers it applies to.

    The secretariat maintains the steps and their conditions in the admin: a new step needs no
    code. A condition is a list of answers per question; an empty list means any answer.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    title_da = models.CharField(_("step (Danish)"), max_length=200)
    title_en = models.CharField(_("step (English)"), max_length=200, blank=True)
    what_da = models.TextField(_("what to do (Danish)"), max_length=2_000)
    what_en = models.TextField(_("what to do (English)"), max_length=2_000, blank=True)
    authority_da = models.CharField(_("authority (Danish)"), max_length=200, blank=True)
    authority_en = models.CharField(_("authority (English)"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    typical_time_da = models.CharField(_("typical time (Danish)"), max_length=120, blank=True)
    typical_time_en = models.CharField(_("typical time (English)"), max_length=120, blank=True)
    authority_url = models.URLField(_("the authority's page"), blank=True)
    library_items = models.ManyToManyField(
        Item, verbose_name=_("library items"), blank=True, related_name="checklist_steps"
    )
    when_atmp_classes = models.JSONField(_("ATMP classes"), default=list, blank=True)
    when_stages = models.JSONField(_("development stages"), default=list, blank=True)
    when_sponsors = models.JSONField(_("sponsor types"), default=list, blank=True)
    when_gmo = models.JSONField(_("GMO"), default=list, blank=True)
    when_origins = models.JSONField(_("origins of cells or tissue"), default=list, blank=True)
    when_routes = models.JSONField(_("routes"), default=list, blank=True)
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Until the secretariat confirms it, the step says “to be confirmed”."),
    )
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title_da

    def text(self, field: str, language: str) -> tuple[str, str]:
        if language.startswith("en"):
            english = getattr(self, f"{field}_en")
            if english:
                return english, "en"
        return getattr(self, f"{field}_da"), "da"

    def applies_to(self, answers: dict[str, str]) -> bool:
        """True when every question's answer is among the step's answers for it (or it has none)."""
        for question, (_choices, field) in CHECKLIST_QUESTIONS.items():
            allowed = getattr(self, field) or []
            if allowed and answers.get(question) not in allowed:
                return False
        return True


# --- Events (webinars, workshops, meetings, the yearly conference) -------------------------------


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    WORKSHOP = "workshop", _("Workshop")
    MEETING = "meeting", pgettext_lazy("kind of event", "Network meeting")
    CONFERENCE = "conference", _("Conference")


class EventStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event status", "Draft")
    PUBLISHED = "published", pgettext_lazy("event status", "Published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")


class EventFormat(models.TextChoices):
    PHYSICAL = "physical", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class EventLanguage(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")
    BOTH = "both", _("Danish and English")


class EventQuerySet(models.QuerySet):
    def public(self):
        """What the public pages show: published events and cancelled ones (marked cancelled)."""
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])


class Event(models.Model):
    """A public event of ATMP Danmark. Times are stored aware and shown in Europe/Copenhagen."""

    slug = models.SlugField(
        _("address"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("The end of the page's address. Empty: made from the title and the date."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_da = models.TextField(_("summary (Danish)"), max_length=1_000)
    summary_en = models.TextField(_("summary (English)"), max_length=1_000, blank=True)
    programme_da = models.TextField(
        _("programme (Danish)"),
        max_length=20_000,
        blank=True,
        help_text=_("Markdown: ## headings, **bold**, lists, [links](https://…). No images or HTML."),
    )
    programme_en = models.TextField(_("programme (English)"), max_length=20_000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    format = models.CharField(_("format"), max_length=16, choices=EventFormat.choices)
    venue = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Address of the venue, for an event in person.")
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Sent to confirmed participants only (in the confirmation and the reminder)."),
    )
    language = models.CharField(_("language"), max_length=8, choices=EventLanguage.choices, default="da")
    organiser = models.CharField(_("organiser"), max_length=200, default="ATMP Danmark")
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats. Empty: no limit. When full, a waiting list."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when the event starts.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT, editable=False
    )
    materials_da = models.TextField(
        _("materials note (Danish)"),
        max_length=5_000,
        blank=True,
        help_text=_("Shown on the event's page after the event, above the files and links. Markdown."),
    )
    materials_en = models.TextField(_("materials note (English)"), max_length=5_000, blank=True)
    recording_url = models.URLField(_("recording"), blank=True, help_text=_("Link to the recording, if any."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="knowledge_event_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="knowledge_event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="knowledge_event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="knowledge_event_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title_da

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.format in (EventFormat.PHYSICAL, EventFormat.HYBRID) and not self.venue:
            errors["venue"] = _("An event in person needs the address of its venue.")
        if self.format in (EventFormat.ONLINE, EventFormat.HYBRID) and not self.online_url:
            errors["online_url"] = _("An online event needs the link participants join by.")
        if self.registration_closes_at and self.starts_at and self.registration_closes_at > self.starts_at:
            errors["registration_closes_at"] = _("Registration must close before the event starts.")
        if errors:
            raise ValidationError(errors)

    def text(self, field: str, language: str) -> tuple[str, str]:
        if language.startswith("en"):
            english = getattr(self, f"{field}_en")
            if english:
                return english, "en"
        return getattr(self, f"{field}_da"), "da"

    @property
    def registration_deadline(self):
        return self.registration_closes_at or self.starts_at

    def is_past(self, now=None) -> bool:
        return self.ends_at < (now or timezone.now())

    def registration_open(self, now=None) -> bool:
        return self.status == EventStatus.PUBLISHED and (now or timezone.now()) < self.registration_deadline


def event_material_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"private/events/{uuid.uuid4().hex}{suffix}"


class EventMaterial(models.Model):
    """Slides, a handout or a link, shown on the event's page once the event has taken place."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=event_material_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "pptx", "docx", "xlsx", "odp", "odt"])],
    )
    url = models.URLField(_("link"), blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link."))


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting email confirmation")
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


ACTIVE_REGISTRATION = [RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


class Registration(models.Model):
    """One person's place at an event (or on its waiting list), with or without an account.

    ``queued_at`` orders the waiting list: the moment the email was confirmed. Seats are counted
    under a lock on the event's row (``knowledge.events_services``), never from this table alone.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="da")
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    queued_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "queued_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="knowledge_reg_queue_idx"),
            models.Index(fields=["email"], name="knowledge_reg_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="knowledge_registration_status_valid"
            ),
            # One live registration per address and event; a cancelled one may register again.
            models.UniqueConstraint(
                models.F("event"),
                models.functions.Lower("email"),
                condition=Q(status__in=ACTIVE_REGISTRATION),
                name="knowledge_registration_one_live_per_email",
            ),
        ]

    def __str__(self):
        # Never the address: this string lands in the audit record and the admin's messages.
        return _("Registration %(number)s") % {"number": self.pk}


# --- News and the newsletter ---------------------------------------------------------------------


class NewsStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("news status", "Draft")
    PUBLISHED = "published", pgettext_lazy("news status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("news status", "Withdrawn")


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=NewsStatus.PUBLISHED)


class NewsItem(models.Model):
    """A piece of news in Danish (and English when written); public once published."""

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_da = models.TextField(_("summary (Danish)"), max_length=600)
    summary_en = models.TextField(_("summary (English)"), max_length=600, blank=True)
    body_da = models.TextField(
        _("text (Danish)"),
        max_length=50_000,
        blank=True,
        help_text=_("Markdown: ## headings, **bold**, lists, [links](https://…). No images or HTML."),
    )
    body_en = models.TextField(_("text (English)"), max_length=50_000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NewsStatus.choices, default=NewsStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="knowledge_news_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NewsStatus.values), name="knowledge_news_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=NewsStatus.DRAFT) | Q(published_at__isnull=False),
                name="knowledge_news_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title_da

    def text(self, field: str, language: str) -> tuple[str, str]:
        """``(text, language code)``: the English text when asked for and written, else the Danish."""
        if language.startswith("en"):
            english = getattr(self, f"{field}_en")
            if english:
                return english, "en"
        return getattr(self, f"{field}_da"), "da"


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class NewsletterLanguage(models.TextChoices):
    DANISH = "da", "Dansk"
    ENGLISH = "en", "English"


def _unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    """One address on the newsletter list: pending until its owner confirms (double opt-in).

    ``token`` is the address's own secret: the unsubscribe link in every issue carries it, so
    unsubscribing needs no login. A new subscription after unsubscribing gets a new token.
    """

    email = models.EmailField(_("email address"), max_length=254)
    language = models.CharField(
        _("language"), max_length=2, choices=NewsletterLanguage.choices, default=NewsletterLanguage.DANISH
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
    )
    token = models.CharField(max_length=64, unique=True, default=_unsubscribe_token, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="knowledge_subscriber_email_unique"),
            models.CheckConstraint(
                condition=Q(status__in=SubscriberStatus.values), name="knowledge_subscriber_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "id"], name="knowledge_subscr_status_idx")]

    def __str__(self):
        return self.email


class IssueStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("newsletter issue status", "Draft")
    SENDING = "sending", pgettext_lazy("newsletter issue status", "Being sent")
    SENT = "sent", pgettext_lazy("newsletter issue status", "Sent")


class NewsletterIssue(models.Model):
    """One newsletter: an introduction and the news it links to, sent once to every subscriber.

    Sending walks the confirmed subscribers in batches (``cursor`` is the last subscriber done),
    one outbox email each, keyed by issue and subscriber, so a batch run twice sends nothing twice.
    """

    subject_da = models.CharField(_("subject (Danish)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    intro_da = models.TextField(
        _("introduction (Danish)"),
        max_length=10_000,
        blank=True,
        help_text=_("Markdown: ## headings, **bold**, lists, [links](https://…). No images or HTML."),
    )
    intro_en = models.TextField(_("introduction (English)"), max_length=10_000, blank=True)
    news = models.ManyToManyField(
        NewsItem, verbose_name=_("news in this issue"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.DRAFT, editable=False
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0, editable=False)
    cursor = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(_("all emails queued"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IssueStatus.values), name="knowledge_issue_status_valid"
            ),
        ]

    def __str__(self):
        return self.subject_da

    def text(self, field: str, language: str) -> tuple[str, str]:
        if language.startswith("en"):
            english = getattr(self, f"{field}_en")
            if english:
                return english, "en"
        return getattr(self, f"{field}_da"), "da"


class NewsletterDelivery(models.Model):
    """One subscriber's copy of an issue: its outbox row says whether and when it went."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    # Kept when a subscriber is erased, so the issue's figures stay right; the address is gone.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    email = models.OneToOneField(
        "outbox.OutboundEmail", on_delete=models.CASCADE, related_name="newsletter_delivery"
    )

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="knowledge_delivery_once_per_subscriber"
            ),
        ]

    def __str__(self):
        return f"{self.issue_id}:{self.subscriber_id}"
