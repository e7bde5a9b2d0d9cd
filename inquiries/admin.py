"""The secretariat's queue and triage. Every change to a request goes through ``services``."""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.fields import BLANK_CHOICE_DASH
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_helpers import CappedCountAdmin
from accounts.choices import cached_choices
from accounts.models import User
from audit.admin import RecordedAdmin
from governance.models import Organisation
from inquiries import services
from inquiries.forms import MultipleFileField
from inquiries.models import (
    APPLICANT_FIELDS,
    CLOCK_RUNNING,
    FINISHED,
    Attachment,
    CannedReply,
    Event,
    EventKind,
    Inquiry,
    Message,
    MessageKind,
    Partner,
    Referral,
    ReferralOutcome,
    Status,
)

STATUS_LABELS = dict(Status.choices)  # lazy labels: translated when shown
EVENT_LABELS = dict(EventKind.choices)  # get_FOO_display() builds the choices' dict on every call

# --- Queue filters ----------------------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open (not closed or withdrawn)")), *Status.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "open":
            return queryset.exclude(status__in=FINISHED)
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        staff = User.objects.filter(is_staff=True, is_active=True).only("pk", "full_name", "email")
        return [
            ("mine", _("Assigned to me")),
            ("unassigned", _("Unassigned")),
            *[(str(u.pk), str(u)) for u in staff],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.filter(assignee=request.user)
        if value == "unassigned":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class ClockFilter(admin.SimpleListFilter):
    title = _("service clock")
    parameter_name = "clock"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Answer overdue")),
            ("not_acknowledged", _("Acknowledgement overdue")),
            ("paused", _("Paused (waiting for applicant)")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "overdue":
            return queryset.filter(status__in=CLOCK_RUNNING, answer_due__lt=today)
        if value == "not_acknowledged":
            return queryset.filter(status=Status.SUBMITTED, acknowledge_due__lt=today)
        if value == "paused":
            return queryset.filter(status=Status.WAITING_FOR_APPLICANT)
        return queryset


# --- Read-only tables ------------------------------------------------------------------------


def _kind_tag(message: Message):
    """A thread entry's kind in words (and colour): who can read it."""
    if message.kind == MessageKind.INTERNAL:
        return format_html(
            '<span class="thread-tag thread-tag-internal">{}</span>',
            gettext("Internal note – not visible to the applicant"),
        )
    if message.kind == MessageKind.REPLY:
        return format_html(
            '<span class="thread-tag thread-tag-reply">{}</span>', gettext("Reply – visible to the applicant")
        )
    return format_html('<span class="thread-tag thread-tag-applicant">{}</span>', message.get_kind_display())


def _attachment_links(reference, attachments):
    links = [
        format_html(
            '<a href="{}">{}</a>',
            reverse("inquiries:attachment", args=[reference, a.uuid]),
            a.original_name,
        )
        for a in attachments
    ]
    return format_html("<br>".join(["{}"] * len(links)), *links) if links else "–"


def _text(text: str) -> str:
    """A text as written, its line breaks kept (the question, a message, a referral's notes)."""
    return format_html('<div class="thread-text">{}</div>', linebreaksbr(text))


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _headers(model, *names: str) -> list[str]:
    """Column headings: the fields' own names, as the admin's lists and forms call them."""
    return [capfirst(model._meta.get_field(name).verbose_name) for name in names]


def _table(label: str, css: str, headers: list[str], rows) -> str:
    """A read-only table in a region of its own that scrolls sideways on a narrow screen."""
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows)
    )
    return format_html(
        '<div class="files-scroll" tabindex="0" role="region" aria-label="{}">'
        '<table class="{}"><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>',
        label,
        css,
        head,
        body,
    )


# --- Referrals ---------------------------------------------------------------------------------
#
# The referrals made on a request are one table with the outcome to record in each row, and a new
# referral is three fields of the change form. As a stacked inline they were a formset with its
# management form, a disabled widget per made field and the "add another" form's template, all
# through the template engine (~10 ms of the page; issue 21). Both save through the services.

REFERRAL_COLUMNS = ("partner", "organisation", "note", "referred_at")  # when, and by whom
# Made from a directory entry's page, which names the site (network.EntryReferral).
REFER_TO = [*BLANK_CHOICE_DASH, *((v, label) for v, label in Partner.choices if v != Partner.DIRECTORY)]


def _plain(text: str) -> str:
    """A posted text as it is kept: a browser sends line breaks as CR LF."""
    return text.replace("\r\n", "\n").strip()


def _referral_cells(referral: Referral) -> tuple:
    return (
        referral.organisation or "–",
        _text(referral.note) if referral.note else "–",
        format_html(
            '<span class="nowrap">{}</span><br>{}',
            date_format(timezone.localtime(referral.referred_at), "SHORT_DATETIME_FORMAT"),
            str(referral.referred_by) if referral.referred_by_id else "–",
        ),
    )


class ReferralOutcomes(forms.Widget):
    """The referrals as a table; where the field is not disabled, each row's outcome and what came of
    it are inputs named ``<name>-<pk>-outcome`` and ``<name>-<pk>-outcome_note``."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.referrals: list[Referral] = []

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.referrals = list(self.referrals)
        return copy

    def id_for_label(self, id_):
        return ""  # the row's label names the table (a region); each input has its own name

    def value_omitted_from_data(self, data, files, name):
        return False

    def value_from_datadict(self, data, files, name):
        return {
            referral.pk: (
                data.get(f"{name}-{referral.pk}-outcome"),
                data.get(f"{name}-{referral.pk}-outcome_note"),
            )
            for referral in self.referrals
        }

    def render(self, name, value, attrs=None, renderer=None):
        if not self.referrals:
            return gettext("No referrals yet.")
        value = value or {}
        editable = not (attrs or {}).get("disabled")
        outcome_head, note_head = _headers(Referral, "outcome", "outcome_note")
        # Each cell names its column: on a phone the rows stack and show the names (the CSS).
        labels = (*_headers(Referral, *REFERRAL_COLUMNS[1:]), outcome_head, note_head)
        rows = []
        for referral in self.referrals:
            outcome, note = value.get(referral.pk, (referral.outcome, referral.outcome_note))
            row_id = f"{name}-{referral.pk}"
            outcome_cell: object
            note_cell: object
            if editable:
                options = format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (choice, mark_safe(" selected") if choice == outcome else "", label)
                        for choice, label in ReferralOutcome.choices
                    ),
                )
                outcome_cell = format_html(
                    '<select name="{0}-outcome" id="id_{0}-outcome" aria-labelledby="{1}-h-outcome {0}">'
                    "{2}</select>",
                    row_id,
                    name,
                    options,
                )
                note_cell = format_html(
                    '<textarea name="{0}-outcome_note" id="id_{0}-outcome_note" rows="2" cols="30" '
                    'maxlength="{3}" aria-labelledby="{1}-h-note {0}">\n{2}</textarea>',
                    row_id,
                    name,
                    note or "",
                    ReferralOutcomesField.NOTE_MAX,
                )
            else:
                outcome_cell = (
                    ReferralOutcome(outcome).label if outcome in ReferralOutcome.values else outcome
                )
                note_cell = _text(note) if note else "–"
            cells = format_html_join(
                "",
                '<td data-label="{}">{}</td>',
                zip(labels, (*_referral_cells(referral), outcome_cell, note_cell), strict=True),
            )
            rows.append(
                format_html(
                    '<tr><th scope="row" id="{}">{}</th>{}</tr>',
                    row_id,
                    referral.get_partner_display(),
                    cells,
                )
            )
        headers = format_html_join(
            "", '<th scope="col">{}</th>', ((h,) for h in _headers(Referral, *REFERRAL_COLUMNS))
        )
        return format_html(
            '<div class="files-scroll" tabindex="0" role="region" aria-label="{}">'
            '<table class="referrals-table"><thead><tr>{}'
            '<th scope="col" id="{}-h-outcome">{}</th><th scope="col" id="{}-h-note">{}</th></tr></thead>'
            "<tbody>{}</tbody></table></div>",
            gettext("Referrals made"),
            headers,
            name,
            outcome_head,
            name,
            note_head,
            format_html_join("", "{}", ((row,) for row in rows)),
        )


class ReferralOutcomesField(forms.Field):
    """The outcome and what came of it for each referral made: ``{pk: (outcome, outcome_note)}``.

    A referral the page did not show (made by a colleague after it was opened) is not in what was
    posted and keeps what it has."""

    widget = ReferralOutcomes
    NOTE_MAX = cast(int, Referral._meta.get_field("outcome_note").max_length)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def show(self, referrals) -> None:
        cast(ReferralOutcomes, self.widget).referrals = list(referrals)
        self.initial = {r.pk: (r.outcome, r.outcome_note) for r in referrals}

    @property
    def referrals(self) -> list[Referral]:
        return cast(ReferralOutcomes, self.widget).referrals

    def bound_data(self, data, initial):
        """What was posted, with what was not posted (a row made meanwhile) as it is kept."""
        return initial if self.disabled else self.to_python(data)

    def to_python(self, value):
        posted = value or {}
        result = {}
        for referral in self.referrals:
            outcome, note = posted.get(referral.pk, (None, None))
            result[referral.pk] = (
                referral.outcome if outcome is None else outcome,
                referral.outcome_note if note is None else _plain(note),
            )
        return result

    def validate(self, value):
        errors = []
        for referral in self.referrals:
            outcome, note = value[referral.pk]
            partner = referral.get_partner_display()
            if outcome not in ReferralOutcome.values:
                errors.append(
                    ValidationError(
                        _("Choose an outcome for the referral to %(partner)s from the list."),
                        code="invalid_choice",
                        params={"partner": partner},
                    )
                )
            if len(note) > self.NOTE_MAX:
                errors.append(
                    ValidationError(
                        _("What came of the referral to %(partner)s is longer than %(max)d characters."),
                        code="max_length",
                        params={"partner": partner, "max": self.NOTE_MAX},
                    )
                )
        if errors:
            raise ValidationError(errors)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return bool(self.changes(self.to_python(data)))
        except ValidationError:
            return True

    def changes(self, cleaned) -> list[tuple[Referral, str, str]]:
        """The referrals whose outcome or note the form changes, with the new values."""
        return [
            (referral, *cleaned[referral.pk])
            for referral in self.referrals
            if cleaned[referral.pk] != (referral.outcome, _plain(referral.outcome_note))
        ]


# --- The change form --------------------------------------------------------------------------


class InquiryAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    new_status = forms.ChoiceField(
        label=_("Change status to"),
        required=False,
        help_text=_(
            "“Waiting for applicant” pauses the service clock and emails the applicant; "
            "“Answered” and “Closed” email them too."
        ),
    )
    canned_reply = forms.ModelChoiceField(
        label=_("Canned reply"),
        queryset=CannedReply.objects.filter(is_active=True),
        required=False,
        help_text=_("Used as the reply when the reply field is empty, in the applicant's language."),
    )
    reply = forms.CharField(
        label=_("Reply to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        help_text=_("Shown to the applicant and sent to them by email."),
    )
    reply_attachments = MultipleFileField(label=_("Attachments to the reply"))
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        help_text=_(
            "Only the secretariat sees internal notes. They are never shown or sent to the applicant."
        ),
    )

    referral_outcomes = ReferralOutcomesField(
        label=_("Referrals made"),
        help_text=_("Record what came of a referral when the partner answers."),
    )
    refer_to = forms.ChoiceField(
        label=_("Refer to"),
        choices=REFER_TO,
        required=False,
        help_text=_(
            "Passes the request on to a partner with the expertise; the applicant sees whom it went to. "
            "A site in the directory is referred to from its entry: “Network and directory” → "
            "“Directory entries” → “Refer a request to this entry”."
        ),
    )
    refer_organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Where the partner is in the register."),
    )
    refer_note = forms.CharField(
        label=_("What was passed on"),
        required=False,
        max_length=ReferralOutcomesField.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
    )

    # Set by InquiryAdmin.get_form from the user's permissions on referrals.
    can_refer = True
    can_record_outcomes = True

    class Meta:
        model = Inquiry
        fields = ["assignee", "priority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        outcomes = cast(ReferralOutcomesField, self.fields["referral_outcomes"])
        if self.instance.pk:
            outcomes.show(self.instance.referrals.all())  # prefetched with the request (get_object)
        outcomes.disabled = not self.can_record_outcomes
        if not self.can_refer:
            for name in ("refer_to", "refer_organisation", "refer_note"):
                del self.fields[name]
        else:
            cached_choices(cast(forms.ModelChoiceField, self.fields["refer_organisation"]), name="all")
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            cast(forms.ChoiceField, self.fields["new_status"]).choices = [
                ("", _("— keep “%(status)s” —") % {"status": self.instance.get_status_display()}),
                *[(s, Status(s).label) for s in services.allowed_transitions(self.instance)],
            ]
        if "assignee" in self.fields:
            assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
            assignee.queryset = User.objects.filter(is_staff=True, is_active=True)
            # Offered from the cache until a user row changes (issue 21: the change page's queries).
            cached_choices(assignee, name="staff")
        cached_choices(cast(forms.ModelChoiceField, self.fields["canned_reply"]), name="active")

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("reply_attachments") and not (cleaned.get("reply") or cleaned.get("canned_reply")):
            self.add_error("reply", _("Write a reply to go with the attachments."))
        if not cleaned.get("refer_to") and (cleaned.get("refer_organisation") or cleaned.get("refer_note")):
            self.add_error("refer_to", _("Choose whom the request is referred to."))
        return cleaned


# --- The request admin ------------------------------------------------------------------------


@admin.register(Inquiry)
class InquiryAdmin(CappedCountAdmin, RecordedAdmin):
    form = InquiryAdminForm
    # The clock and status first: on a laptop the last columns may need a scroll.
    list_display = [
        "reference",
        "subject_short",
        "status_label",
        "service_clock",
        "priority",
        "assignee",
        "topic",
        "applicant_type",
        "age",
    ]
    list_display_links = ["reference", "subject_short"]
    list_filter = [
        StatusFilter,
        ClockFilter,
        AssigneeFilter,
        "topic",
        "applicant_type",
        "atmp_class",
        "priority",
    ]
    # The steering group dashboard's figures open this list narrowed to what they count.
    DASHBOARD_LOOKUPS = frozenset(
        {
            "submitted_at__date__gte",
            "submitted_at__date__lte",
            "referrals__partner",
            "referrals__referred_at__date__gte",
            "referrals__referred_at__date__lte",
        }
    )
    search_fields = ["reference", "applicant__email", "subject"]  # see get_search_results
    search_help_text = _(
        "Reference (e.g. ATMP-2026-0042), the applicant's email address or words of the subject."
    )
    list_select_related = ["assignee"]
    list_per_page = 50
    # A COUNT(*) over 100,000 rows on every page buys nothing in a queue: the paginator counts
    # 1,000 at most (more when a later page is asked for) and the list says "more than 1,000".
    count_cap = 1000
    show_full_result_count = False
    ordering = ["-submitted_at"]
    actions = ["assign_to_me", "mark_waiting_for_applicant", "close_requests"]
    change_list_template = "admin/inquiries/inquiry/change_list.html"

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.DASHBOARD_LOOKUPS or super().lookup_allowed(lookup, value, request)

    # What the applicant wrote, as they wrote it (the question with its line breaks kept).
    APPLICANT_PART: tuple[str, ...] = (
        "applicant_link",
        *("question_text" if f == "question" else f for f in APPLICANT_FIELDS),
    )
    readonly_fields = [
        "reference",
        "status_label",
        "clock_summary",
        "submitted_at",
        "acknowledged_at",
        "answered_at",
        "closed_at",
        "consent_given_at",
        "request_details",
        "files_table",
        "thread_table",
        "history_table",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "reference",
                    "status_label",
                    "clock_summary",
                    "assignee",
                    "priority",
                    "expected_version",
                )
            },
        ),
        (
            _("Respond"),
            {"fields": ("new_status", "canned_reply", "reply", "reply_attachments", "internal_note")},
        ),
        (
            _("Referrals"),
            {"fields": ("referral_outcomes", "refer_to", "refer_organisation", "refer_note")},
        ),
        (
            _("The request"),
            {"fields": ("request_details",)},
        ),
        (
            _("Thread (replies to the applicant and internal notes)"),
            {"fields": ("thread_table",)},
        ),
        (
            _("Files"),
            {"fields": ("files_table",)},
        ),
        (
            _("Dates"),
            {
                "fields": ("submitted_at", "acknowledged_at", "answered_at", "closed_at", "consent_given_at"),
                "classes": ("collapse",),
            },
        ),
        (
            _("History"),
            {"fields": ("history_table",)},
        ),
    ]

    class Media:
        css = {"all": ["css/inquiries-admin.css"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match and match.url_name and match.url_name.endswith("_changelist"):
            # The queue never shows the long texts; the change page shows them all, so it reads
            # them with the row (deferred, each would cost a query of its own) and the applicant.
            return queryset.defer("question", "confidential_details", "shareable_summary")
        return queryset.select_related("applicant")

    def get_search_results(self, request, queryset, search_term):
        """One index per kind of term, instead of one OR over a join that scans 100,000 rows.

        A whole reference uses its unique index; an email address (anything with "@") finds the
        people first and then their requests; other words search the subject (trigram index on
        PostgreSQL, see migration 0003). bench/requests_admin.py has the figures.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.upper().startswith("ATMP-") and term.count("-") == 2:
            return queryset.filter(reference=term.upper()), False
        if "@" in term:
            people = list(User.objects.filter(email__icontains=term).values_list("pk", flat=True)[:500])
            return queryset.filter(applicant_id__in=people), False
        return queryset.filter(subject__icontains=term), False

    def has_add_permission(self, request):
        return False  # requests come from applicants, through the form

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns ---

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """The admin's own checkbox, written out: its widget goes through the template engine
        once per row (issue 21); the HTML is the same."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    @admin.display(description=_("subject"), ordering="subject")
    def subject_short(self, obj):
        return obj.subject if len(obj.subject) <= 60 else obj.subject[:59] + "…"

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        # get_status_display() builds the choices' dict on every call, once per row (issue 21).
        label = STATUS_LABELS.get(obj.status, obj.status)
        return format_html('<span class="request-status request-status-{}">{}</span>', obj.status, label)

    @admin.display(description=_("age"), ordering="submitted_at")
    def age(self, obj):
        return timesince(obj.submitted_at, depth=1)

    @admin.display(description=_("service clock"), ordering="answer_due")
    def service_clock(self, obj):
        today = timezone.localdate()
        if obj.status == Status.WAITING_FOR_APPLICANT:
            return format_html('<span class="clock clock-paused">{}</span>', _("Paused"))
        if not obj.clock_running:
            return "–"
        due = date_format(obj.answer_due, "SHORT_DATE_FORMAT")
        if obj.is_acknowledgement_overdue(today):
            return format_html(
                '<span class="clock clock-overdue">{}</span>',
                _("Not acknowledged; answer due %(due)s") % {"due": due},
            )
        if obj.answer_due < today:
            return format_html(
                '<span class="clock clock-overdue">{}</span>', _("Overdue since %(due)s") % {"due": due}
            )
        if obj.answer_due == today:
            return format_html('<span class="clock clock-today">{}</span>', _("Due today"))
        return format_html('<span class="clock">{}</span>', _("Due %(due)s") % {"due": due})

    @admin.display(description=_("service clock"))
    def clock_summary(self, obj):
        parts = [
            _("Acknowledgement due %(date)s") % {"date": date_format(obj.acknowledge_due, "DATE_FORMAT")},
            _("Answer due %(date)s") % {"date": date_format(obj.answer_due, "DATE_FORMAT")},
        ]
        if obj.paused_working_days:
            parts.append(_("paused %(days)d working days so far") % {"days": obj.paused_working_days})
        summary = " · ".join(str(p) for p in parts)
        if obj.status == Status.WAITING_FOR_APPLICANT or obj.is_overdue() or obj.is_acknowledgement_overdue():
            return format_html("{} {}", self.service_clock(obj), summary)
        return summary

    @admin.display(description=_("applicant"))
    def applicant_link(self, obj):
        return format_html(
            '<a href="{}">{}</a> &lt;{}&gt; ({})',
            reverse("admin:accounts_user_change", args=[obj.applicant_id]),
            obj.applicant.get_full_name(),
            obj.applicant.email,
            obj.applicant.get_preferred_language_display(),
        )

    @admin.display(description=_("the request"))
    def request_details(self, obj):
        """What the applicant sent, as one list of labels and values. As a readonly field each, the
        thirteen were a form row each through the admin's fieldset template (~5 ms; issue 21). The
        values are shown as the admin shows a readonly field: choices by label, "-" when empty,
        line breaks kept."""
        empty = self.get_empty_value_display()
        rows: list[tuple[object, object]] = []
        for name in self.APPLICANT_PART:
            if name == "applicant_link":
                rows.append((gettext("Applicant"), self.applicant_link(obj)))
                continue
            field = cast(
                models.Field, Inquiry._meta.get_field("question" if name == "question_text" else name)
            )
            if name == "question_text":
                shown = self.question_text(obj)
            else:
                shown = linebreaksbr(display_for_field(getattr(obj, name), field, empty))
            rows.append((capfirst(field.verbose_name), shown))
        return format_html(
            '<dl class="request-details">{}</dl>',
            format_html_join("", "<div><dt>{}</dt><dd>{}</dd></div>", rows),
        )

    @admin.display(description=_("question"))
    def question_text(self, obj):
        return _text(obj.question)

    @admin.display(description=_("all files on this request"))
    def files_table(self, obj):
        """Every file, the applicant's and the thread's, internal ones marked: one table, no query
        of its own (the attachments were read with the request, see ``get_object``)."""
        files = list(obj.attachments.all())
        if not files:
            return gettext("No files yet.")
        return _table(
            gettext("All files on this request"),
            "files-table",
            [
                gettext("File"),
                gettext("Type"),
                gettext("Size"),
                gettext("Uploaded by"),
                gettext("Visible to"),
                gettext("Uploaded"),
            ],
            (
                (
                    _attachment_links(obj.reference, [a]),
                    a.content_type,
                    filesizeformat(a.size),
                    a.uploaded_by.get_full_name() if a.uploaded_by_id else "–",
                    gettext("Internal") if a.is_internal else gettext("Shared with the applicant"),
                    _when(a.created_at),
                )
                for a in files
            ),
        )

    # The thread and the history are read with the request (get_object) and written out as tables:
    # as read-only inlines they were two formsets, with management forms, a hidden input per row
    # and every cell through the template engine (~60 ms of the page; issue 21).

    @admin.display(description=_("thread"))
    def thread_table(self, obj):
        messages_ = list(obj.messages.all())
        if not messages_:
            return gettext("No messages yet.")
        by_message: dict[int, list[Attachment]] = {}
        for attachment in obj.attachments.all():
            if attachment.message_id is not None:
                by_message.setdefault(attachment.message_id, []).append(attachment)
        return _table(
            gettext("Thread (replies to the applicant and internal notes)"),
            "thread-table",
            [*_headers(Message, "kind", "author", "created_at", "body"), gettext("Attachments")],
            (
                (
                    _kind_tag(m),
                    str(m.author) if m.author_id else "–",
                    _when(m.created_at),
                    _text(m.body),
                    _attachment_links(obj.reference, by_message.get(m.pk, [])),
                )
                for m in messages_
            ),
        )

    @admin.display(description=_("history"))
    def history_table(self, obj):
        return _table(
            gettext("History"),
            "history-table",
            _headers(Event, "created_at", "actor", "kind", "from_status", "to_status", "detail", "is_public"),
            (
                (
                    _when(e.created_at),
                    str(e.actor) if e.actor_id else "–",
                    EVENT_LABELS.get(e.kind, e.kind),
                    STATUS_LABELS.get(e.from_status, e.from_status) or "–",
                    STATUS_LABELS.get(e.to_status, e.to_status) or "–",
                    e.detail or "–",
                    gettext("Yes") if e.is_public else gettext("No"),
                )
                for e in obj.events.all()
            ),
        )

    @admin.display(description=_("Referrals made"))
    def referral_outcomes(self, obj):
        """The referrals for a user who may only view the request (the field, shown read-only)."""
        field = ReferralOutcomesField()
        field.show(obj.referrals.all())
        return cast(ReferralOutcomes, field.widget).render("referral_outcomes", None, {"disabled": True})

    # --- the form, with what the user may do with referrals ---

    def _referral_rights(self, request, obj) -> tuple[bool, bool]:
        """(may make a referral, may record an outcome) on this request."""
        if obj is None or not self.has_change_permission(request, obj):
            return False, False
        user = request.user
        return user.has_perm("inquiries.add_referral"), user.has_perm("inquiries.change_referral")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        can_refer, can_record = self._referral_rights(request, obj)
        return type(form.__name__, (form,), {"can_refer": can_refer, "can_record_outcomes": can_record})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._referral_rights(request, obj)[0]:
            return fieldsets
        refer = {"refer_to", "refer_organisation", "refer_note"}
        return [
            (title, {**options, "fields": tuple(f for f in options["fields"] if f not in refer)})
            for title, options in fieldsets
        ]

    # --- one read of the attachments for the whole page ---

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The files table and every message of the thread take their files from this read
            # (was one query for the thread's files and one for the attachments list).
            prefetch_related_objects(
                [obj],
                Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
                Prefetch("messages", queryset=Message.objects.select_related("author")),
                Prefetch("events", queryset=Event.objects.select_related("actor")),
                Prefetch(
                    "referrals", queryset=Referral.objects.select_related("organisation", "referred_by")
                ),
            )
        return obj

    # --- saving through the services ---

    def create_through_service(self, request, obj, form):
        raise PermissionDenied  # requests come from applicants, through the form

    def change_through_service(self, request, obj, form):
        data = form.cleaned_data
        current = Inquiry.objects.get(pk=obj.pk)
        reply = data.get("reply", "").strip()
        if not reply and data.get("canned_reply"):
            reply = data["canned_reply"].body_for(current.applicant.preferred_language)
        services.secretariat_respond(
            inquiry=current,
            actor=request.user,
            version=data["expected_version"],  # checked by the service, under the row's lock
            assignee=data["assignee"] if "assignee" in form.changed_data else services.KEEP,
            priority=data["priority"] if "priority" in form.changed_data else None,
            reply=reply,
            reply_files=data.get("reply_attachments") or [],
            note=data.get("internal_note", "").strip(),
            to_status=data.get("new_status") or "",
        )
        outcomes = cast(ReferralOutcomesField, form.fields["referral_outcomes"])
        if not outcomes.disabled:
            for referral, outcome, note in outcomes.changes(data["referral_outcomes"]):
                services.referral_record_outcome(
                    referral=referral, actor=request.user, outcome=outcome, outcome_note=note
                )
        if data.get("refer_to"):
            services.referral_create(
                inquiry=current,
                actor=request.user,
                partner=data["refer_to"],
                organisation=data.get("refer_organisation"),
                note=_plain(data.get("refer_note", "")),
            )
        obj.refresh_from_db()

    # --- actions ---

    def _run(self, request, queryset, action, done_message):
        done, refused = 0, []
        for obj in queryset.select_related(None).only("pk", "reference", "status"):
            try:
                action(obj)
                done += 1
            except ValidationError as exc:
                refused.append(f"{obj.reference}: {' '.join(exc.messages)}")
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda obj: services.inquiry_assign(inquiry=obj, assignee=request.user, actor=request.user),
            lambda n: ngettext(
                "%(count)d request assigned to you.", "%(count)d requests assigned to you.", n
            ),
        )

    @admin.action(description=_("Mark as waiting for applicant"), permissions=["change"])
    def mark_waiting_for_applicant(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda obj: services.inquiry_transition(
                inquiry=obj, to=Status.WAITING_FOR_APPLICANT, actor=request.user
            ),
            lambda n: ngettext(
                "%(count)d request is now waiting for the applicant.",
                "%(count)d requests are now waiting for the applicant.",
                n,
            ),
        )

    @admin.action(description=_("Close"), permissions=["change"])
    def close_requests(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda obj: services.inquiry_transition(inquiry=obj, to=Status.CLOSED, actor=request.user),
            lambda n: ngettext("%(count)d request closed.", "%(count)d requests closed.", n),
        )


@admin.register(CannedReply)
class CannedReplyAdmin(RecordedAdmin):
    list_display = ["title", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "body_da", "body_en"]
