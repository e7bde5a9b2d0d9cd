"""The secretariat's project work: projects with milestones and progress, deliverables to sign-off.

Status changes go through ``projects.services``: the change form offers "change status to"
with only the allowed moves, and approving needs a steering group decision, so the rule
holds in the admin as everywhere else.
"""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_helpers import BoundedStackedInline, BoundedTabularInline
from governance.models import BodyKind, Decision
from projects import services
from projects.models import (
    MANDATE_END,
    Deliverable,
    DeliverableStatus,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectStatus,
)


def _steering_decisions():
    return Decision.objects.filter(meeting__body__kind=BodyKind.STEERING_GROUP).select_related("meeting")


class StatusChangeForm(forms.ModelForm):
    """A model form with "change status to", offering only the moves the flow allows."""

    status_choices: type[models.TextChoices]
    new_status = forms.ChoiceField(label=_("Change status to"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        moves = self.instance.allowed_transitions() if self.instance.pk else ()
        cast(forms.ChoiceField, self.fields["new_status"]).choices = [
            ("", _("Keep “%(status)s”") % {"status": self.status_choices(current).label}),
            *[(value, self.status_choices(value).label) for value in moves],
        ]
        if "decision" in self.fields:
            cast(forms.ModelChoiceField, self.fields["decision"]).queryset = _steering_decisions()


class ProjectForm(StatusChangeForm):
    status_choices = ProjectStatus

    class Meta:
        model = Project
        fields = [
            "code",
            "kind",
            "tor_item",
            "title_da",
            "title_en",
            "purpose_da",
            "purpose_en",
            "decision",
            "health",
            "health_reason",
            "planned_start",
            "planned_end",
            "lead",
            "working_group",
            "is_public",
            "position",
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("new_status") == ProjectStatus.APPROVED and not data.get("decision"):
            self.add_error("decision", _("Name the steering group decision that approves the project."))
        return data


class DeliverableForm(StatusChangeForm):
    status_choices = DeliverableStatus

    class Meta:
        model = Deliverable
        fields = ["project", "title", "kind", "language", "summary", "due_date", "file", "decision"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        new = data.get("new_status")
        if new == DeliverableStatus.APPROVED and not data.get("decision"):
            self.add_error("decision", _("Name the steering group decision that signs off the deliverable."))
        if new == DeliverableStatus.PUBLISHED and not (data.get("file") or self.instance.file):
            self.add_error("file", _("Upload the final file before publishing."))
        return data


class MilestoneInline(BoundedTabularInline):
    model = Milestone
    extra = 0
    fields = ["title_da", "title_en", "due_date", "done_date", "mandate_flag"]
    readonly_fields = ["mandate_flag"]

    @admin.display(description=_("within the mandate"))
    def mandate_flag(self, milestone):
        if not milestone.pk:
            return "–"
        return _("No – after 2027") if milestone.after_mandate else _("Yes")


class DeliverableInline(BoundedTabularInline):
    """A read-out of the deliverables; each is edited and signed off on its own page."""

    model = Deliverable
    extra = 0
    fields = ("edit_link", "kind", "language", "status", "decision", "published_on")
    readonly_fields = fields
    show_change_link = False
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("deliverable"))
    def edit_link(self, deliverable):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:projects_deliverable_change", args=[deliverable.pk]),
            deliverable,
        )


class ProgressUpdateInline(BoundedStackedInline):
    model = ProgressUpdate
    extra = 1
    fields = ["date", "text", "health", "is_public", "author"]
    readonly_fields = ["author"]
    ordering = ["-date", "-pk"]


class EndsAfterMandateFilter(admin.SimpleListFilter):
    title = _("end of 2027")
    parameter_name = "mandate"

    def lookups(self, request, model_admin):
        return [("after", _("Planned to end after 2027")), ("within", _("Within the mandate"))]

    def queryset(self, request, queryset):
        if self.value() == "after":
            return queryset.filter(
                models.Q(planned_end__gt=MANDATE_END) | models.Q(milestones__due_date__gt=MANDATE_END)
            ).distinct()
        if self.value() == "within":
            return queryset.exclude(planned_end__gt=MANDATE_END).exclude(milestones__due_date__gt=MANDATE_END)
        return queryset


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectForm
    list_display = [
        "code",
        "title_da",
        "kind",
        "status",
        "health",
        "planned_start",
        "planned_end_display",
        "decision",
        "is_public",
    ]
    list_display_links = ["code", "title_da"]
    list_filter = ["status", "kind", "tor_item", "health", EndsAfterMandateFilter, "is_public"]
    search_fields = ["code", "title_da", "title_en", "lead"]
    list_select_related = ["decision"]
    autocomplete_fields = ["working_group"]
    readonly_fields = ["status", "started_on", "finished_on"]
    inlines = [MilestoneInline, DeliverableInline, ProgressUpdateInline]
    fieldsets = [
        (None, {"fields": ["code", "kind", "tor_item", "title_da", "title_en", "purpose_da", "purpose_en"]}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "new_status",
                    "decision",
                    "started_on",
                    "finished_on",
                    "health",
                    "health_reason",
                ]
            },
        ),
        (_("Plan"), {"fields": ["planned_start", "planned_end", "lead", "working_group"]}),
        (_("Publication"), {"fields": ["is_public", "position"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status != ProjectStatus.PROPOSED:
            fields.append("decision")  # the decision that approved it is history, not a setting
        return fields

    @admin.display(description=_("planned end"), ordering="planned_end")
    def planned_end_display(self, project):
        if project.planned_end is None:
            return "–"
        if project.ends_after_mandate:
            return format_html(
                '{} <strong class="portal-flag--warning">({})</strong>', project.planned_end, _("after 2027")
            )
        return project.planned_end

    def save_model(self, request, obj, form, change):
        target = form.cleaned_data.get("new_status")
        decision = form.cleaned_data.get("decision")
        super().save_model(request, obj, form, change)
        if target:
            try:
                services.project_transition(project=obj, to_status=target, decision=decision)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                obj.refresh_from_db()
                self.message_user(
                    request,
                    _("%(project)s is now “%(status)s”.")
                    % {"project": obj, "status": obj.get_status_display()},
                    messages.SUCCESS,
                )
        if obj.ends_after_mandate:
            self.message_user(
                request,
                _(
                    "The planned end is after 31 December 2027, "
                    "when the Terms of Reference say all work must be done."
                ),
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ProgressUpdate) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()
        if formset.model is Milestone and any(m.after_mandate for m in instances):
            self.message_user(
                request,
                _("A milestone is due after 31 December 2027, outside the mandate."),
                messages.WARNING,
            )


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    form = DeliverableForm
    list_display = ["title", "project", "kind", "language", "status", "decision", "published_on", "due_date"]
    list_filter = ["status", "kind", "language", "project"]
    search_fields = ["title", "summary", "project__code", "project__title_da"]
    list_select_related = ["project", "decision"]
    readonly_fields = ["status", "published_on", "download", "size"]
    fieldsets = [
        (None, {"fields": ["project", "title", "kind", "language", "summary", "due_date"]}),
        (_("File"), {"fields": ["file", "download", "size"]}),
        (_("Sign-off"), {"fields": ["status", "new_status", "decision", "published_on"]}),
    ]
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}
    actions = ["send_for_sign_off", "publish"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status in (DeliverableStatus.APPROVED, DeliverableStatus.PUBLISHED):
            # What was signed off (and published) stays as it was; a new version is a new deliverable.
            fields += ["project", "file", "decision"]
        return fields

    @admin.display(description=_("current file"))
    def download(self, deliverable):
        if not deliverable.pk or not deliverable.file:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("projects:deliverable", args=[deliverable.pk]),
            deliverable.original_name,
        )

    def save_model(self, request, obj, form, change):
        target = form.cleaned_data.get("new_status")
        decision = form.cleaned_data.get("decision")
        super().save_model(request, obj, form, change)
        if target:
            try:
                services.deliverable_transition(deliverable=obj, to_status=target, decision=decision)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                obj.refresh_from_db()
                self.message_user(
                    request,
                    _("“%(title)s” is now “%(status)s”.")
                    % {"title": obj.title, "status": obj.get_status_display()},
                    messages.SUCCESS,
                )

    def _run(self, request, queryset, target: str) -> int:
        ok = 0
        for deliverable in queryset:
            try:
                services.deliverable_transition(deliverable=deliverable, to_status=target)
                ok += 1
            except ValidationError as error:
                self.message_user(request, f"{deliverable}: {' '.join(error.messages)}", messages.ERROR)
        return ok

    @admin.action(description=_("Send the selected deliverables for sign-off"))
    def send_for_sign_off(self, request, queryset):
        if ok := self._run(request, queryset, DeliverableStatus.FOR_SIGN_OFF):
            message = ngettext(
                "%(count)d deliverable sent for sign-off.", "%(count)d deliverables sent for sign-off.", ok
            )
            self.message_user(request, message % {"count": ok}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected approved deliverables"))
    def publish(self, request, queryset):
        if ok := self._run(request, queryset, DeliverableStatus.PUBLISHED):
            message = ngettext("%(count)d deliverable published.", "%(count)d deliverables published.", ok)
            self.message_user(request, message % {"count": ok}, messages.SUCCESS)
