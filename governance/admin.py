"""The secretariat's governance work: bodies and seats, members and terms, meetings, decisions.

Numbers, meeting status, the document pack's publication and the minutes loop change only
through ``governance.services`` (admin actions and ``save_model`` call them).
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from accounts.admin_helpers import BoundedTabularInline
from audit import services as audit_services
from audit.admin import RecordedAdmin
from governance import services
from governance.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    Meeting,
    MeetingDocument,
    MeetingNotice,
    MeetingStatus,
    Membership,
    MinutesStatus,
    Organisation,
    Seat,
)
from governance.selectors import ENDING_SOON_DAYS, seats_filled


@admin.register(Organisation)
class OrganisationAdmin(RecordedAdmin):
    list_display = ["name_da", "name_en", "abbreviation", "kind", "appointed_through", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_da", "name_en", "abbreviation", "code"]
    list_select_related = ["appointed_through"]
    autocomplete_fields = ["appointed_through"]
    ordering = ["name_da"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


# --- Bodies and seats ----------------------------------------------------------------------------


class SeatInline(BoundedTabularInline):
    model = Seat
    extra = 0
    fields = ["position", "organisation", "role", "count", "description_da", "description_en", "code"]
    autocomplete_fields = ["organisation"]
    ordering = ["position"]


@admin.register(Body)
class BodyAdmin(RecordedAdmin):
    list_display = [
        "name_da",
        "kind",
        "set_up_by",
        "target_meetings_per_year",
        "reminder_offsets",
        "end_date",
    ]
    list_filter = ["kind", "is_public"]
    search_fields = ["name_da", "name_en", "code"]
    list_select_related = ["set_up_by"]
    inlines = [SeatInline]
    fieldsets = [
        (
            None,
            {"fields": ["kind", "name_da", "name_en", "code", "decision_prefix", "position", "is_public"]},
        ),
        (_("Mandate"), {"fields": ["mandate_da", "mandate_en", "set_up_by", "end_date"]}),
        (_("Meetings"), {"fields": ["target_meetings_per_year", "reminder_offsets"]}),
    ]


class VacancyFilter(admin.SimpleListFilter):
    title = _("vacancy")
    parameter_name = "vacancy"

    def lookups(self, request, model_admin):
        return [("vacant", _("Has a vacancy")), ("filled", _("Filled"))]

    def queryset(self, request, queryset):
        if self.value() == "vacant":
            return queryset.filter(filled__lt=F("count"))
        if self.value() == "filled":
            return queryset.filter(filled__gte=F("count"))
        return queryset


@admin.register(Seat)
class SeatAdmin(RecordedAdmin):
    """Every seat with how many of its places are filled today: the vacancy list."""

    list_display = ["__str__", "organisation", "role", "count", "filled_display", "vacant_display"]
    list_filter = [VacancyFilter, "body", "role"]
    search_fields = ["organisation__name_da", "organisation__name_en", "description_da", "description_en"]
    list_select_related = ["body", "organisation"]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(filled=seats_filled())

    @admin.display(description=_("filled"), ordering="filled")
    def filled_display(self, seat):
        return seat.filled

    @admin.display(description=_("vacant"))
    def vacant_display(self, seat):
        vacant = max(seat.count - seat.filled, 0)
        if vacant:
            return format_html('<strong class="portal-flag portal-flag--warning">{}</strong>', vacant)
        return 0


class TermFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Active")),
            ("ending", _("Ends within %(days)s days") % {"days": ENDING_SOON_DAYS}),
            ("future", _("Not started yet")),
            ("ended", _("Ended")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "active":
            return queryset.active(today)
        if value == "ending":
            return queryset.ending_within(ENDING_SOON_DAYS, today)
        if value == "future":
            return queryset.filter(start_date__gt=today)
        if value == "ended":
            return queryset.filter(end_date__lt=today)
        return queryset


@admin.register(Membership)
class MembershipAdmin(RecordedAdmin):
    list_display = [
        "full_name",
        "body",
        "organisation_display",
        "role",
        "start_date",
        "end_date",
        "term_display",
    ]
    list_filter = [TermFilter, "body", "role"]
    search_fields = ["full_name", "email", "user__email", "position_title", "seat__organisation__name_da"]
    list_select_related = ["body", "seat__organisation", "user"]
    autocomplete_fields = ["user", "seat"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["body", "seat", "role", "full_name", "position_title"]}),
        (_("Contact and login"), {"fields": ["user", "email"]}),
        (_("Term"), {"fields": ["start_date", "end_date", "show_publicly"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # a membership ends (end date); its history stays

    @admin.display(description=_("appointing organisation"), ordering="seat__organisation__name_da")
    def organisation_display(self, membership):
        return membership.organisation or "–"

    @admin.display(description=_("term"))
    def term_display(self, membership):
        today = timezone.localdate()
        if membership.start_date > today:
            return _("Starts %(date)s") % {"date": membership.start_date.strftime("%d.%m.%Y")}
        if membership.end_date and membership.end_date < today:
            return _("Ended")
        if membership.end_date and membership.end_date <= today + datetime.timedelta(days=ENDING_SOON_DAYS):
            return format_html(
                '<strong class="portal-flag portal-flag--warning">{}</strong>',
                _("Ends in %(days)s days") % {"days": (membership.end_date - today).days},
            )
        return _("Active")


# --- Meetings ------------------------------------------------------------------------------------


class AgendaItemForm(forms.ModelForm):
    position = forms.IntegerField(
        label=_("order"),
        required=False,
        min_value=1,
        help_text=_("Empty: after the last item. Type a number to move an item there."),
    )

    class Meta:
        model = AgendaItem
        fields = ["position", "title", "kind", "presenter", "duration_minutes", "concerns", "description"]


class AgendaItemInline(BoundedTabularInline):
    model = AgendaItem
    form = AgendaItemForm
    extra = 1
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}
    fields = ["position", "title", "kind", "presenter", "duration_minutes", "concerns", "description"]
    ordering = ["position"]


class MeetingDocumentInline(BoundedTabularInline):
    model = MeetingDocument
    extra = 1
    fields = ["position", "title", "file", "download", "size"]
    readonly_fields = ["download", "size"]
    ordering = ["position"]
    # Files have no public URL: the plain widget shows no link to the storage path, and the
    # download column goes through the permission-checked view.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    @admin.display(description=_("file name"))
    def download(self, document):
        if not document.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("governance:document", args=[document.pk]), document.original_name
        )


class AttendanceInline(BoundedTabularInline):
    model = Attendance
    extra = 0
    fields = ["membership", "status"]
    autocomplete_fields = ["membership"]
    verbose_name_plural = _("attendance")


class DecisionInline(BoundedTabularInline):
    model = Decision
    extra = 0
    fields = ["number", "title", "concerns", "is_public"]
    readonly_fields = ["number", "title", "concerns", "is_public"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # decisions are recorded in the register, which numbers them


@admin.register(Meeting)
class MeetingAdmin(RecordedAdmin):
    list_display = [
        "__str__",
        "body",
        "starts_at",
        "status",
        "documents_published_at",
        "minutes_status",
        "agenda_count",
    ]
    list_filter = ["status", "body", "year", "minutes_status"]
    search_fields = ["body__name_da", "body__name_en", "location", "agenda_items__title"]
    list_select_related = ["body"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, MeetingDocumentInline, AttendanceInline, DecisionInline]
    readonly_fields = [
        "number_display",
        "status",
        "schedule_version",
        "documents_published_at",
        "minutes_status",
        "minutes_circulated_at",
        "minutes_approved_at",
    ]
    # An online link typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish_documents", "circulate_minutes", "approve_previous_minutes", "mark_held", "cancel"]

    def get_fieldsets(self, request, obj=None):
        basics = ["body", "starts_at", "ends_at", "location", "online_url"]
        if obj is None:
            return [(None, {"fields": basics})]
        return [
            (None, {"fields": ["number_display", *basics, "status", "schedule_version"]}),
            (_("Document pack"), {"fields": ["documents_published_at"]}),
            (
                _("Minutes"),
                {"fields": ["minutes", "minutes_status", "minutes_circulated_at", "minutes_approved_at"]},
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields.append("body")
            if obj.status != MeetingStatus.PLANNED:
                fields += ["starts_at", "ends_at"]
            if obj.minutes_status == MinutesStatus.APPROVED:
                fields.append("minutes")
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(agenda_total=Count("agenda_items"))

    @admin.display(description=_("agenda items"), ordering="agenda_total")
    def agenda_count(self, meeting):
        return meeting.agenda_total

    @admin.display(description=_("meeting"))
    def number_display(self, meeting):
        return meeting.label

    def create_through_service(self, request, obj, form):
        return services.meeting_schedule(
            actor=request.user,
            body=obj.body,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            location=obj.location,
            online_url=obj.online_url,
        )

    def change_through_service(self, request, obj, form):
        changed = set(form.changed_data)
        if {"starts_at", "ends_at"} & changed:
            services.meeting_reschedule(
                actor=request.user, meeting=obj, starts_at=obj.starts_at, ends_at=obj.ends_at
            )
            self.message_user(
                request,
                _("The meeting has moved. Members are told, and reminders start over for the new time."),
                messages.WARNING,
            )
        if "minutes" in changed:
            services.minutes_update(actor=request.user, meeting=obj, text=obj.minutes)
        if {"location", "online_url"} & changed:
            services.meeting_update(
                actor=request.user, meeting=obj, location=obj.location, online_url=obj.online_url
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not AgendaItem:
            return super().save_formset(request, form, formset, change)
        # New items go last (1, 2, 3 …) unless given a place; a changed position moves the item there.
        meeting = form.instance
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            audit_services.object_delete(actor=request.user, obj=removed)
        moved = []
        initial = {id(f.instance): f for f in formset.forms if f.instance.pk}
        for item in instances:
            if item.pk is None:
                services.agenda_item_add(
                    actor=request.user,
                    meeting=meeting,
                    title=item.title,
                    position=item.position,
                    **{
                        f: getattr(item, f)
                        for f in ("kind", "presenter", "duration_minutes", "concerns", "description")
                    },
                )
                continue
            if item.position is None:
                item.position = 10_000
            audit_services.object_update(
                actor=request.user, obj=item, before=self.initial_values(initial[id(item)])
            )
            moved.append(item.pk)
        services.agenda_reorder(actor=request.user, meeting=meeting, first=moved)

    def _run(self, request, queryset, service, done: StrOrPromise):
        ok = 0
        for meeting in queryset:
            try:
                service(actor=request.user, meeting=meeting)
                ok += 1
            except ValidationError as error:
                self.message_user(request, f"{meeting}: {' '.join(error.messages)}", messages.ERROR)
        if ok:
            self.message_user(request, done % {"count": ok}, messages.SUCCESS)

    @admin.action(description=_("Publish the document pack to the members"), permissions=["change"])
    def publish_documents(self, request, queryset):
        self._run(
            request,
            queryset,
            services.documents_publish,
            _("Document pack published for %(count)s meeting(s)."),
        )

    @admin.action(description=_("Circulate the minutes to the members"), permissions=["change"])
    def circulate_minutes(self, request, queryset):
        self._run(
            request, queryset, services.minutes_circulate, _("Minutes circulated for %(count)s meeting(s).")
        )

    @admin.action(description=_("Mark as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        self._run(request, queryset, services.meeting_mark_held, _("%(count)s meeting(s) marked as held."))

    @admin.action(description=_("Cancel the meeting (members are told)"), permissions=["change"])
    def cancel(self, request, queryset):
        self._run(request, queryset, services.meeting_cancel, _("%(count)s meeting(s) cancelled."))

    @admin.action(
        description=_("Approve the previous meeting's circulated minutes at this meeting"),
        permissions=["change"],
    )
    def approve_previous_minutes(self, request, queryset):
        approved = 0
        for meeting in queryset:
            previous = (
                Meeting.objects.filter(
                    body=meeting.body,
                    starts_at__lt=meeting.starts_at,
                    minutes_status=MinutesStatus.CIRCULATED,
                )
                .order_by("-starts_at")
                .first()
            )
            if previous is None:
                self.message_user(
                    request,
                    _("%(meeting)s: no earlier meeting of this body has circulated minutes.")
                    % {"meeting": meeting},
                    messages.WARNING,
                )
                continue
            try:
                services.minutes_approve(actor=request.user, meeting=previous, at_meeting=meeting)
                approved += 1
            except ValidationError as error:
                self.message_user(request, f"{meeting}: {' '.join(error.messages)}", messages.ERROR)
        if approved:
            self.message_user(
                request,
                ngettext(
                    "Minutes of %(count)s meeting approved.",
                    "Minutes of %(count)s meetings approved.",
                    approved,
                )
                % {"count": approved},
                messages.SUCCESS,
            )


# --- Decisions and action items ------------------------------------------------------------------


class ActionItemInline(BoundedTabularInline):
    model = ActionItem
    extra = 1
    fields = ["title", "owner", "owner_label", "due_date", "status", "completed_on"]
    autocomplete_fields = ["owner"]


@admin.register(Decision)
class DecisionAdmin(RecordedAdmin):
    list_display = ["number", "title", "meeting", "concerns", "is_public", "open_actions"]
    list_filter = ["meeting__body", "concerns", "is_public", "meeting__year"]
    search_fields = ["number", "title", "text"]
    list_select_related = ["meeting__body"]
    autocomplete_fields = ["meeting", "working_group"]
    readonly_fields = ["number"]
    inlines = [ActionItemInline]
    fields = ["number", "meeting", "title", "text", "concerns", "working_group", "is_public"]

    def has_delete_permission(self, request, obj=None):
        return False  # the register keeps every number

    def get_readonly_fields(self, request, obj=None):
        return ["number", "meeting"] if obj else ["number"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_total=Count("action_items", filter=Q(action_items__status=ActionItemStatus.OPEN)))
        )

    @admin.display(description=_("open actions"), ordering="open_total")
    def open_actions(self, decision):
        return decision.open_total

    def create_through_service(self, request, obj, form):
        return services.decision_record(
            actor=request.user,
            meeting=obj.meeting,
            title=obj.title,
            text=obj.text,
            **{f: getattr(obj, f) for f in ("concerns", "working_group", "is_public")},
        )

    def change_through_service(self, request, obj, form):
        editable = [f for f in form.changed_data if f in services.DECISION_EDITABLE]
        services.decision_update(
            actor=request.user, decision=obj, **{f: form.cleaned_data[f] for f in editable}
        )


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("open", _("Open"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "open":
            return queryset.open()
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(RecordedAdmin):
    list_display = ["title", "decision", "owner_name", "due_date", "status", "overdue_display"]
    list_filter = [OverdueFilter, "status", "decision__meeting__body"]
    search_fields = ["title", "decision__number", "owner__full_name", "owner_label"]
    list_select_related = ["decision", "owner"]
    autocomplete_fields = ["decision", "owner"]
    list_editable = ["status"]

    @admin.display(description=_("owner"))
    def owner_name(self, item):
        return item.owner_name or "–"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_display(self, item):
        return item.is_overdue


@admin.register(MeetingNotice)
class MeetingNoticeAdmin(RecordedAdmin):
    """What was sent to whom: a log the secretariat reads, never edits. Sending is the outbox's."""

    list_display = ["meeting", "membership", "kind", "offset_days", "email_status", "email_sent_at"]
    list_filter = ["email__status", "kind", "meeting__body"]
    search_fields = ["membership__full_name", "membership__email"]
    list_select_related = ["meeting__body", "membership", "email"]

    @admin.display(description=_("status"), ordering="email__status")
    def email_status(self, notice):
        return notice.email.get_status_display() if notice.email else "–"

    @admin.display(description=_("sent"), ordering="email__sent_at")
    def email_sent_at(self, notice):
        return notice.email.sent_at if notice.email and notice.email.sent_at else "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
