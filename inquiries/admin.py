"""The secretariat's queue and triage. Every change to a request goes through ``services``."""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
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

from accounts.admin_helpers import BoundedStackedInline, CappedCountAdmin
from accounts.choices import cached_choices
from accounts.models import User
from audit.admin import RecordedAdmin
from inquiries import services
from inquiries.forms import MultipleFileField
from inquiries.models import (
    APPLICANT_FIELDS,
    CLOCK_RUNNING,
    FINISHED,
    Attachment,
    CannedReply,
    Event,
    Inquiry,
    Message,
    MessageKind,
    Partner,
    Referral,
    Status,
)

STATUS_LABELS = dict(Status.choices)  # lazy labels: translated when shown

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

    class Meta:
        model = Inquiry
        fields = ["assignee", "priority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        return cleaned


# --- Inlines ----------------------------------------------------------------------------------


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


class ReferralInlineForm(forms.ModelForm):
    """A new referral names its partner; a made one only gets its outcome.

    "A site in the directory" is made from the directory (``network``'s referral to an entry, which
    names the site and what is shared with it): here it would be a referral to no one, so it is
    refused with where to go instead. On a referral already made, the partner, organisation and
    note are shown but not editable: the services record outcomes, not a change of partner, so an
    edit there would be silently dropped.
    """

    class Meta:
        model = Referral
        fields = ["partner", "organisation", "note", "outcome", "outcome_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("partner", "organisation", "note"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_partner(self):
        partner = self.cleaned_data.get("partner")
        if not self.instance.pk and partner == Partner.DIRECTORY:
            raise ValidationError(
                _(
                    "A referral to a site in the directory names the site: make it under "
                    "“Network and directory” → “Referrals to directory entries” → Add."
                )
            )
        return partner


class ReferralInline(BoundedStackedInline):
    model = Referral
    form = ReferralInlineForm
    extra = 0
    can_delete = False
    fields = ["partner", "organisation", "note", "outcome", "outcome_note", "referred_by", "referred_at"]
    readonly_fields = ["referred_by", "referred_at"]
    autocomplete_fields = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "referred_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation" and field is not None:
            # Read the organisations once, not once for every referral form: from the cache until
            # an organisation changes (accounts.choices).
            cached_choices(field, name="all")
        return field


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
    inlines = [ReferralInline]
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
        return format_html('<div class="thread-text">{}</div>', linebreaksbr(obj.question))

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
                    format_html('<div class="thread-text">{}</div>', linebreaksbr(m.body)),
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
                    e.get_kind_display(),
                    e.get_from_status_display() or "–",
                    e.get_to_status_display() or "–",
                    e.detail or "–",
                    gettext("Yes") if e.is_public else gettext("No"),
                )
                for e in obj.events.all()
            ),
        )

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
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these; the services record the real history.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not Referral:
            return  # the other inlines are read-only
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.is_valid():
                continue
            data = inline_form.cleaned_data
            if inline_form.instance.pk is None:
                services.referral_create(
                    inquiry=form.instance,
                    actor=request.user,
                    partner=data["partner"],
                    organisation=data.get("organisation"),
                    note=data.get("note", ""),
                    outcome=data.get("outcome", ""),
                )
            else:
                services.referral_record_outcome(
                    referral=inline_form.instance,
                    actor=request.user,
                    outcome=data["outcome"],
                    outcome_note=data.get("outcome_note", ""),
                )

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
