"""The secretariat's library: write in Markdown, tag, preview, publish with a change note, withdraw.

Every save goes through ``knowledge.services`` with the acting user; the form checks what it can
next to the field (the change note of a published item), the service holds the rule everywhere.
"""

import datetime
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_helpers import BoundedTabularInline
from audit.admin import RecordedAdmin
from knowledge import services
from knowledge.models import (
    CHECKLIST_QUESTIONS,
    TAG_CHOICES,
    ChecklistStep,
    Item,
    ItemFile,
    ItemStatus,
    ItemVersion,
    TagDimension,
)
from knowledge.rendering import render_markdown
from knowledge.templatetags.knowledge import localized

TAG_FIELDS = {
    "topics": TagDimension.TOPIC,
    "atmp_classes": TagDimension.ATMP_CLASS,
    "stages": TagDimension.STAGE,
}


class ItemForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=TAG_CHOICES[TagDimension.TOPIC].choices,
    )
    atmp_classes = forms.MultipleChoiceField(
        label=_("ATMP classes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=TAG_CHOICES[TagDimension.ATMP_CLASS].choices,
    )
    stages = forms.MultipleChoiceField(
        label=_("Development stages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=TAG_CHOICES[TagDimension.STAGE].choices,
    )
    external_url = forms.URLField(
        label=_("external address"),
        required=False,
        assume_scheme="https",
        help_text=_("For an external resource: where it is."),
    )
    new_status = forms.ChoiceField(label=_("Change status to"), required=False)
    change_note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=200,
        help_text=_("One line on what changed. Needed when you change the text of a published item."),
    )

    class Meta:
        model = Item
        fields = [
            "kind",
            "slug",
            "title_da",
            "title_en",
            "summary_da",
            "summary_en",
            "body_da",
            "body_en",
            "external_url",
            "owner",
            "review_by",
            "successor",
        ]
        widgets = {
            "body_da": forms.Textarea(attrs={"rows": 20, "cols": 100}),
            "body_en": forms.Textarea(attrs={"rows": 20, "cols": 100}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Made from the Danish title when left empty. Part of the item's address."
        )
        cast(forms.ModelChoiceField, self.fields["successor"]).queryset = Item.objects.published().exclude(
            pk=self.instance.pk
        )
        self.fields["successor"].help_text = _("When you withdraw the item: the item that replaces it.")
        status = ItemStatus(self.instance.status)
        moves = services.ALLOWED_MOVES[status] if self.instance.pk else (ItemStatus.PUBLISHED,)
        keep = _("Keep “%(status)s”") % {"status": status.label}
        cast(forms.ChoiceField, self.fields["new_status"]).choices = [
            ("", keep),
            *[(m.value, m.label) for m in moves],
        ]
        if self.instance.pk:
            tags = list(self.instance.tags.all())
            for name, dimension in TAG_FIELDS.items():
                self.initial[name] = [t.value for t in tags if t.dimension == dimension]

    def clean(self):
        data = super().clean() or {}
        changed_text = set(self.changed_data) & set(services.CONTENT_FIELDS)
        if (
            self.instance.status == ItemStatus.PUBLISHED
            and changed_text
            and not data.get("change_note", "").strip()
        ):
            self.add_error(
                "change_note", _("Say in one line what changed: the earlier version is kept with it.")
            )
        return data

    def tags(self) -> dict[str, list[str]]:
        return {dimension.value: self.cleaned_data.get(name) or [] for name, dimension in TAG_FIELDS.items()}


class ItemFileInline(BoundedTabularInline):
    model = ItemFile
    extra = 1
    max_num = 50
    fields = ["title", "file", "position", "size"]
    readonly_fields = ["size"]
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}


class ItemVersionInline(BoundedTabularInline):
    """The record of what was published: read-only."""

    model = ItemVersion
    extra = 0
    max_num = 1000  # every version stays listed; none is added here
    can_delete = False
    fields = ("number", "published_on", "change_note", "published_by")
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Review date passed")), ("soon", _("Review due within 30 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.filter(status=ItemStatus.PUBLISHED, review_by__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                status=ItemStatus.PUBLISHED,
                review_by__gte=today,
                review_by__lte=today + datetime.timedelta(days=30),
            )
        return queryset


@admin.register(Item)
class ItemAdmin(RecordedAdmin):
    form = ItemForm
    list_display = ["title_da", "kind", "status", "updated_on", "review_by_display", "owner", "has_english"]
    list_filter = ["status", "kind", ReviewDueFilter, "tags__dimension"]
    search_fields = ["title_da", "title_en", "summary_da", "summary_en", "slug"]
    list_select_related = ["owner"]
    readonly_fields = ["status", "updated_on", "first_published_at", "preview_link", "deliverable_link"]
    inlines = [ItemFileInline, ItemVersionInline]
    actions = ["publish_selected"]
    fieldsets = [
        (None, {"fields": ["kind", "title_da", "title_en", "slug", "summary_da", "summary_en"]}),
        (_("Text (Markdown)"), {"fields": ["body_da", "body_en", "preview_link"]}),
        (_("Link"), {"fields": ["external_url", "deliverable_link"]}),
        (_("Tags"), {"fields": ["topics", "atmp_classes", "stages"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "new_status",
                    "change_note",
                    "successor",
                    "owner",
                    "review_by",
                    "updated_on",
                    "first_published_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="knowledge_item_preview",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    @admin.display(description=_("review by"), ordering="review_by")
    def review_by_display(self, item):
        if item.review_by is None:
            return "–"
        if item.review_overdue():
            return format_html(
                '{} <strong class="portal-flag--warning">({})</strong>', item.review_by, _("passed")
            )
        return item.review_by

    @admin.display(description=_("English"), boolean=True)
    def has_english(self, item):
        return bool(item.title_en)

    @admin.display(description=_("preview"))
    def preview_link(self, item):
        if not item.pk:
            return _("Save the item to preview it.")
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("admin:knowledge_item_preview", args=[item.pk]),
            _("Preview the page as saved (both languages)"),
        )

    @admin.display(description=_("project deliverable"))
    def deliverable_link(self, item):
        if not item.deliverable_id:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:projects_deliverable_change", args=[item.deliverable_id]),
            item.deliverable,
        )

    def preview_view(self, request, pk: int):
        item = self.get_object(request, str(pk))
        if item is None or not self.has_view_permission(request, item):
            return render(request, "404.html", status=404)
        body = localized(item, "body")
        return TemplateResponse(
            request,
            "knowledge/item_detail.html",
            {
                "item": item,
                "body": body,
                "body_html": render_markdown(body.text),
                "versions": list(item.versions.all()),
                "preview": True,
            },
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data.get(name) for name in services.EDITABLE_FIELDS}
        fields["slug"] = fields["slug"] or ""
        try:
            with transaction.atomic():
                if change:
                    item = services.item_update(
                        item=obj,
                        actor=request.user,
                        change_note=data.get("change_note", ""),
                        tags=form.tags(),
                        **fields,
                    )
                else:
                    item = services.item_create(actor=request.user, tags=form.tags(), **fields)
        except ValidationError as error:
            raise _AdminServiceError(error) from error
        obj.pk = item.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)
        self._status_change(request, form.instance, form.cleaned_data)

    def save_formset(self, request, form, formset, change):
        # What Django's change message reads; filled as the services act.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not ItemFile:
            return  # versions are read-only
        for file_form in formset.forms:
            if not file_form.has_changed() or not getattr(file_form, "cleaned_data", None):
                continue
            data = file_form.cleaned_data
            existing = file_form.instance if file_form.instance.pk else None
            try:
                if data.get("DELETE"):
                    if existing:
                        services.item_file_remove(file=existing, actor=request.user)
                        formset.deleted_objects.append(existing)
                    continue
                row = services.item_file_save(
                    item=form.instance,
                    actor=request.user,
                    file_row=existing,
                    title=data["title"],
                    upload=data.get("file") if "file" in file_form.changed_data else None,
                    position=data.get("position") or 0,
                )
                if existing:
                    formset.changed_objects.append((row, file_form.changed_data))
                else:
                    formset.new_objects.append(row)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    def _status_change(self, request, item, data):
        target = data.get("new_status")
        if not target:
            return
        try:
            if target == ItemStatus.PUBLISHED:
                services.item_publish(item=item, actor=request.user, change_note=data.get("change_note", ""))
            elif target == ItemStatus.WITHDRAWN:
                services.item_withdraw(item=item, actor=request.user, successor=data.get("successor"))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            item.refresh_from_db()
            self.message_user(
                request,
                _("“%(title)s” is now “%(status)s”.")
                % {"title": item.title_da, "status": item.get_status_display()},
                messages.SUCCESS,
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _AdminServiceError as error:
            # The service refused what the form let through: say why, keep nothing half-saved.
            self.message_user(request, " ".join(error.error.messages), messages.ERROR)
            return _redirect_back(request)

    @admin.action(description=_("Publish the selected items"))
    def publish_selected(self, request, queryset):
        done = 0
        for item in queryset:
            try:
                services.item_publish(item=item, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{item}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            message = ngettext("%(count)d item published.", "%(count)d items published.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)


class _AdminServiceError(Exception):
    def __init__(self, error: ValidationError):
        super().__init__(str(error))
        self.error = error


def _redirect_back(request):
    from django.http import HttpResponseRedirect

    return HttpResponseRedirect(request.get_full_path())


class ChecklistStepForm(forms.ModelForm):
    """Conditions as checkboxes per question; none ticked means the step applies to any answer."""

    authority_url = forms.URLField(label=_("the authority's page"), required=False, assume_scheme="https")

    class Meta:
        model = ChecklistStep
        fields = [
            "code",
            "position",
            "title_da",
            "title_en",
            "what_da",
            "what_en",
            "authority_da",
            "authority_en",
            "legal_basis",
            "typical_time_da",
            "typical_time_en",
            "authority_url",
            "library_items",
            *[field for _choices, field in CHECKLIST_QUESTIONS.values()],
            "is_confirmed",
            "is_active",
        ]
        widgets = {"what_da": forms.Textarea(attrs={"rows": 4}), "what_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for choices, field in CHECKLIST_QUESTIONS.values():
            model_field = ChecklistStep._meta.get_field(field)
            assert isinstance(model_field, models.Field)
            self.fields[field] = forms.TypedMultipleChoiceField(
                label=str(model_field.verbose_name).capitalize(),
                choices=choices.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Show the step only for these answers. None ticked: for any answer."),
            )
            self.initial[field] = getattr(self.instance, field) or []
        cast(forms.ModelMultipleChoiceField, self.fields["library_items"]).queryset = Item.objects.published()


@admin.register(ChecklistStep)
class ChecklistStepAdmin(RecordedAdmin):
    form = ChecklistStepForm
    list_display = ["position", "title_da", "conditions", "is_confirmed", "is_active"]
    list_display_links = ["title_da"]
    list_filter = ["is_confirmed", "is_active"]
    search_fields = ["title_da", "title_en", "code", "what_da"]
    filter_horizontal = ["library_items"]
    actions = ["confirm_selected"]
    fieldsets = [
        (None, {"fields": ["code", "position", "title_da", "title_en", "what_da", "what_en"]}),
        (
            _("Facts"),
            {
                "fields": [
                    "authority_da",
                    "authority_en",
                    "legal_basis",
                    "typical_time_da",
                    "typical_time_en",
                    "authority_url",
                    "library_items",
                ]
            },
        ),
        (_("Shown when"), {"fields": [field for _choices, field in CHECKLIST_QUESTIONS.values()]}),
        (_("Status"), {"fields": ["is_confirmed", "is_active"]}),
    ]

    @admin.display(description=_("shown when"))
    def conditions(self, step):
        parts = []
        for choices, field in CHECKLIST_QUESTIONS.values():
            values = getattr(step, field) or []
            if values:
                parts.append(" / ".join(str(choices(v).label) for v in values if v in choices.values))
        return "; ".join(parts) or _("always")

    def save_model(self, request, obj, form, change):
        services.checklist_step_save(step=obj, actor=request.user)

    @admin.action(description=_("Confirm the selected steps (no longer “to be confirmed”)"))
    def confirm_selected(self, request, queryset):
        for step in queryset:
            services.checklist_step_confirm(step=step, actor=request.user)
        self.message_user(request, _("Steps confirmed."), messages.SUCCESS)


# Events, and news with the newsletter, have their own modules; importing them registers them.
from knowledge import events_admin, news_admin  # noqa: E402, F401
