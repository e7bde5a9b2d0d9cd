"""The secretariat keeps the directory: entries, their capabilities, and the taxonomy itself.

Every save goes through ``network.services`` with the acting user, so the history is complete.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from inquiries.models import DevelopmentStage
from network import services
from network.links import confirm_url
from network.models import (
    SERVED_ATMP_CLASSES,
    Capability,
    ChangeStatus,
    Entry,
    EntryChange,
    EntryEvent,
)


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Entries last confirmed before this day are overdue (``Entry.confirmation_overdue_since``)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(
        days=settings.NETWORK_CONFIRM_EVERY_DAYS + settings.NETWORK_CONFIRM_GRACE_DAYS
    )


class ConfirmationFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("overdue", _("Not confirmed in time")), ("never", _("Never confirmed"))]

    def queryset(self, request, queryset):
        cutoff = overdue_cutoff()
        if self.value() == "overdue":
            return queryset.filter(
                Q(last_confirmed__lt=cutoff) | Q(last_confirmed__isnull=True, created_at__date__lt=cutoff)
            )
        if self.value() == "never":
            return queryset.filter(last_confirmed__isnull=True)
        return queryset


class EntryAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    atmp_classes = forms.MultipleChoiceField(
        label=_("ATMP classes served"),
        choices=SERVED_ATMP_CLASSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stages = forms.MultipleChoiceField(
        label=_("Development stages served"),
        choices=DevelopmentStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Entry
        fields = [
            "name",
            "slug",
            "entry_type",
            "region",
            "parent",
            "description_da",
            "description_en",
            "capabilities",
            "contact_email",
            "contact_language",
            "website",
            "is_published",
        ]
        widgets = {"capabilities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Left empty, it is made from the name.")
        if "capabilities" in self.fields:
            self.fields["capabilities"].queryset = Capability.objects.filter(
                Q(is_active=True) | Q(entries=self.instance.pk or 0)
            ).distinct()
        if self.instance.pk:
            self.fields["atmp_classes"].initial = list(
                self.instance.atmp_class_rows.values_list("atmp_class", flat=True)
            )
            self.fields["stages"].initial = list(self.instance.stage_rows.values_list("stage", flat=True))

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        if slug and not self.instance.pk and Entry.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another entry has this address already."))
        return slug

    def validate_unique(self):
        # A new entry's address is made unique by the service; an existing one's is not edited.
        exclude = self._get_validation_exclusions()
        exclude.add("slug")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as e:
            self._update_errors(e)

    def _post_clean(self):
        if not self.cleaned_data.get("slug") and not self.instance.pk:
            self.instance.slug = "pending"  # replaced by the service before the row is written
        super()._post_clean()


class EntryEventInline(admin.TabularInline):
    model = EntryEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "kind", "detail"]
    readonly_fields = fields
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = EntryAdminForm
    list_display = ["name", "entry_type", "region", "is_published", "confirmation", "capability_count"]
    list_filter = [ConfirmationFilter, "region", "entry_type", "is_published", "capabilities"]
    search_fields = ["name", "slug", "contact_email"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["last_confirmed", "public_page", "pending_change", "personal_link"]
    inlines = [EntryEventInline]
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "slug", "entry_type", "region", "parent", "is_published", "public_page"]}),
        (_("Description"), {"fields": ["description_da", "description_en"]}),
        (_("What it offers"), {"fields": ["capabilities", "atmp_classes", "stages"]}),
        (
            _("Contact"),
            {
                "fields": [
                    "contact_email",
                    "contact_language",
                    "website",
                    "last_confirmed",
                    "pending_change",
                    "personal_link",
                ]
            },
        ),
    ]
    actions = ["rotate_links"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_capabilities=Count("capabilities"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("slug")  # the public address: links out there point at it
        return fields

    @admin.display(description=_("capabilities"), ordering="n_capabilities")
    def capability_count(self, obj):
        return obj.n_capabilities

    @admin.display(description=_("confirmation"), ordering="last_confirmed")
    def confirmation(self, obj):
        since = obj.confirmation_overdue_since()
        if since is not None:
            return format_html(
                '<span class="confirmation-overdue">{}</span>',
                _("Not confirmed since %(date)s") % {"date": date_format(since, "SHORT_DATE_FORMAT")},
            )
        if obj.last_confirmed is None:
            return _("Not yet")
        return date_format(obj.last_confirmed, "SHORT_DATE_FORMAT")

    @admin.display(description=_("correction waiting"))
    def pending_change(self, obj):
        change = obj.changes.filter(status=ChangeStatus.PENDING).first() if obj.pk else None
        if change is None:
            return "–"
        url = reverse("admin:network_entrychange_change", args=[change.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review the correction the contact sent"))

    @admin.display(description=_("personal link"))
    def personal_link(self, obj):
        """Until the yearly email goes out by itself, the secretariat can send this link by hand."""
        if not obj.pk:
            return "–"
        return format_html(
            '<input type="text" readonly value="{}" class="vLargeTextField" aria-label="{}">'
            '<div class="help">{}</div>',
            confirm_url(obj),
            _("personal link"),
            _(
                "Opens the confirm-or-correct form for this entry only, without an account. It works "
                "once, for %(days)d days; the action “Make earlier links unusable” stops every link sent."
            )
            % {"days": settings.NETWORK_CONFIRM_LINK_DAYS},
        )

    @admin.action(description=_("Make earlier links unusable"), permissions=["change"])
    def rotate_links(self, request, queryset):
        for entry in queryset:
            services.entry_links_rotate(entry=entry, actor=request.user)
        self.message_user(request, _("Earlier links no longer work."), messages.SUCCESS)

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if obj is None or not obj.pk:
            return "–"
        url = reverse("network:entry", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in services.ENTRY_FIELDS if name in data}
        taxonomies = {
            "capabilities": data.get("capabilities", []),
            "atmp_classes": data.get("atmp_classes", []),
            "stages": data.get("stages", []),
        }
        if change:
            entry = services.entry_update(entry=obj, actor=request.user, **fields, **taxonomies)
        else:
            entry = services.entry_create(
                actor=request.user, slug=data.get("slug") or "", **fields, **taxonomies
            )
        obj.pk = entry.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """The service has set the taxonomies; the history inline is read-only."""
        for formset in formsets:
            # The admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ["name_da", "name_en", "code", "position", "is_active", "entry_count"]
    list_editable = ["position"]
    list_filter = ["is_active"]
    search_fields = ["name_da", "name_en", "code"]
    ordering = ["position", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description=_("entries"), ordering="n_entries")
    def entry_count(self, obj):
        return obj.n_entries

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # retired (inactive), never deleted: entries and profiles refer to capabilities

    def save_model(self, request, obj, form, change):
        services.capability_save(actor=request.user, capability=obj)


@admin.register(EntryChange)
class EntryChangeAdmin(admin.ModelAdmin):
    """Corrections from contacts: compared field by field, approved or rejected through services."""

    list_display = ["entry", "status", "submitted_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["entry", "decided_by"]
    search_fields = ["entry__name"]
    fields = [
        "entry",
        "status",
        "submitted_at",
        "note",
        "comparison",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False  # contacts send corrections through their links

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what changes"))
    def comparison(self, obj):
        current = services.entry_as_proposal(obj.entry)
        rows = [
            format_html(
                '<tr{}><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                format_html(' class="{}"', "change-differs") if current.get(key) != value else "",
                key,
                ", ".join(current.get(key)) if isinstance(current.get(key), list) else current.get(key),
                ", ".join(value) if isinstance(value, list) else value,
            )
            for key, value in obj.proposed.items()
        ]
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("now"),
            _("proposed"),
            format_html("".join(["{}"] * len(rows)), *rows),
        )

    def _decide(self, request, queryset, decide, done):
        count = 0
        for change in queryset.select_related("entry"):
            try:
                decide(change)
                count += 1
            except ValidationError as exc:
                self.message_user(request, f"{change}: {' '.join(exc.messages)}", messages.WARNING)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve and publish the selected corrections"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda change: services.entry_change_approve(change=change, actor=request.user),
            _("%(count)d corrections approved and published."),
        )

    @admin.action(description=_("Reject the selected corrections"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda change: services.entry_change_reject(change=change, actor=request.user),
            _("%(count)d corrections rejected."),
        )
