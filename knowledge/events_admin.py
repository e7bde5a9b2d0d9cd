"""The secretariat's events: plan, publish, cancel; see who registered, cancel for them, export.

Every save goes through ``knowledge.events_services`` with the acting user (RecordedAdmin's
``create_through_service`` / ``change_through_service``). Registrations are the participants' own:
the secretariat reads, filters, exports and cancels them, never edits them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_helpers import BoundedTabularInline
from audit.admin import RecordedAdmin
from knowledge import events_exports as exports
from knowledge import events_services as services
from knowledge.models import Event, EventMaterial, Registration, RegistrationStatus


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def _field(self) -> str:
        return "ends_at"

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(**{f"{self._field()}__gte": now})
        if self.value() == "past":
            return queryset.filter(**{f"{self._field()}__lt": now})
        return queryset


class EventWhenFilter(WhenFilter):
    title = _("event")
    parameter_name = "event_when"

    def _field(self) -> str:
        return "event__ends_at"


class AccountFilter(admin.SimpleListFilter):
    title = _("account")
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("yes", _("With an account")), ("no", _("Without an account"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(user__isnull=self.value() == "no")
        return queryset


# A link typed without a scheme is an https one (Django 6's default; said here so 5.2 agrees).
HTTPS_LINKS: dict[type[models.Field], dict[str, str]] = {models.URLField: {"assume_scheme": "https"}}


class EventMaterialInline(BoundedTabularInline):
    model = EventMaterial
    extra = 0
    formfield_overrides = HTTPS_LINKS
    fields = ["title", "file", "url", "position"]


def _export(queryset, *, events, kind: str):
    registrations = Registration.objects.filter(event__in=[event.pk for event in events])
    if kind == "csv":
        return exports.csv_response(registrations, filename=exports.filename(events, "csv"))
    return exports.xlsx_response(registrations, filename=exports.filename(events, "xlsx"))


@admin.register(Event)
class EventAdmin(RecordedAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["title_da", "kind", "starts_at", "format", "status", "seats", "waiting"]
    list_filter = [WhenFilter, "status", "kind", "format", "language"]
    search_fields = ["title_da", "title_en", "slug", "venue", "organiser"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "cancelled_at", "created_at", "registrations_link"]
    inlines = [EventMaterialInline]
    actions = ["publish_selected", "cancel_selected", "export_csv", "export_xlsx"]
    fieldsets = [
        (None, {"fields": ["kind", "title_da", "title_en", "slug", "summary_da", "summary_en"]}),
        (_("Time and place"), {"fields": ["starts_at", "ends_at", "format", "venue", "online_url"]}),
        (_("Programme (Markdown)"), {"fields": ["programme_da", "programme_en"]}),
        (
            _("Registration"),
            {"fields": ["language", "organiser", "capacity", "registration_closes_at", "registrations_link"]},
        ),
        (
            _("After the event"),
            {
                "fields": ["materials_da", "materials_en", "recording_url"],
                "description": _("Shown on the event's page once it has taken place, with the files below."),
            },
        ),
        (_("Status"), {"fields": ["status", "created_at", "cancelled_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                seats_taken=Count(
                    "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
                ),
                waiting_count=Count(
                    "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
                ),
            )
        )

    @admin.display(description=_("registered"))
    def seats(self, event):
        if event.capacity is None:
            return str(event.seats_taken)
        return f"{event.seats_taken} / {event.capacity}"

    @admin.display(description=_("waiting list"), ordering="waiting_count")
    def waiting(self, event):
        return event.waiting_count

    @admin.display(description=_("participants"))
    def registrations_link(self, event):
        if not event.pk:
            return _("Save the event to see its registrations.")
        return format_html(
            '<a href="{}?event__id__exact={}">{}</a>',
            reverse("admin:knowledge_registration_changelist"),
            event.pk,
            _("See the registrations, cancel for someone, or export them"),
        )

    def _fields(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in services.EVENT_FIELDS if name in form.cleaned_data}

    def create_through_service(self, request, obj, form):
        return services.event_create(actor=request.user, **self._fields(form))

    def change_through_service(self, request, obj, form):
        changed = {name: value for name, value in self._fields(form).items() if name in form.changed_data}
        if changed:
            services.event_update(event=obj, actor=request.user, **changed)

    def _each(self, request, queryset, act, done_message):
        done = 0
        for event in queryset:
            try:
                act(event=event, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            services.event_publish,
            lambda n: ngettext("%(count)d event published.", "%(count)d events published.", n),
        )

    @admin.action(
        description=_("Cancel the selected events (everyone registered is told by email)"),
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            services.event_cancel,
            lambda n: ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", n),
        )

    @admin.action(description=_("Export the participants of the selected events (CSV for Excel)"))
    def export_csv(self, request, queryset):
        return _export(queryset, events=list(queryset.order_by("starts_at")), kind="csv")

    @admin.action(description=_("Export the participants of the selected events (XLSX)"))
    def export_xlsx(self, request, queryset):
        return _export(queryset, events=list(queryset.order_by("starts_at")), kind="xlsx")


@admin.register(Registration)
class RegistrationAdmin(RecordedAdmin):
    list_display = ["name", "organisation", "event", "status", "language", "created_at", "has_account"]
    list_filter = [
        EventWhenFilter,
        "status",
        "language",
        AccountFilter,
        ("event", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "email", "organisation", "event__title_da"]
    list_select_related = ["event"]
    show_full_result_count = False
    actions = ["cancel_selected", "export_csv", "export_xlsx"]
    fields = (
        "event",
        "name",
        "email",
        "organisation",
        "language",
        "status",
        "user",
        "created_at",
        "queued_at",
        "promoted_at",
        "cancelled_at",
        "reminded_at",
    )
    readonly_fields = fields

    @admin.display(description=_("account"), boolean=True)
    def has_account(self, registration):
        return registration.user_id is not None

    def has_add_permission(self, request):
        return False  # people register themselves; the secretariat can share the event's page

    def has_change_permission(self, request, obj=None):
        return False  # a participant's own data: read, export and cancel only

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, never deleted (erasure and retention go through privacy)

    def has_cancel_permission(self, request):
        return request.user.has_perm("knowledge.change_registration")

    @admin.action(
        description=_("Cancel the selected registrations (the waiting list moves up)"), permissions=["cancel"]
    )
    def cancel_selected(self, request, queryset):
        done = 0
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED):
            try:
                services.registration_cancel(registration=registration, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{registration}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            message = ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.", done
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Export the selected registrations (CSV for Excel)"))
    def export_csv(self, request, queryset):
        return exports.csv_response(queryset, filename=f"participants-{timezone.localdate().isoformat()}.csv")

    @admin.action(description=_("Export the selected registrations (XLSX)"))
    def export_xlsx(self, request, queryset):
        return exports.xlsx_response(
            queryset, filename=f"participants-{timezone.localdate().isoformat()}.xlsx"
        )
