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
from audit.admin import RecordedAdmin
from governance.models import BodyKind, Decision
from projects import services
from projects.models import (
    MANDATE_END,
    Deliverable,
    DeliverableStatus,
    Health,
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
        for name in ("decision", "related_decisions"):
            if name in self.fields:
                cast(forms.ModelChoiceField, self.fields[name]).queryset = _steering_decisions()


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
            "related_decisions",
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


class ProgressUpdateForm(forms.ModelForm):
    """A new update goes through ``progress_record``, so the project's health follows it."""

    reason = forms.CharField(
        label=_("Why at risk or off track"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Required when the update is not “on track”; becomes the project's reason for its health."
        ),
    )

    class Meta:
        model = ProgressUpdate
        fields = ["date", "text", "health", "is_public"]

    def clean(self):
        data = super().clean() or {}
        if (
            self.instance.pk is None
            and data.get("health", Health.ON_TRACK) != Health.ON_TRACK
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Say why the project is at risk or off track."))
        return data


class ProgressUpdateInline(BoundedStackedInline):
    model = ProgressUpdate
    form = ProgressUpdateForm
    extra = 1
    fields = ["date", "text", "health", "reason", "is_public", "author"]
    readonly_fields = ["author"]
    ordering = ["-date", "-pk"]

    def get_readonly_fields(self, request, obj=None):
        return ["author"]

    def has_change_permission(self, request, obj=None):
        return False  # an update is a dated statement: add a new one rather than rewrite it

    def has_delete_permission(self, request, obj=None):
        return False


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
class ProjectAdmin(RecordedAdmin):
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
    filter_horizontal = ["related_decisions"]
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
                    "related_decisions",
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

    def change_through_service(self, request, obj, form):
        super().change_through_service(request, obj, form)
        self._move(request, obj, form)

    def create_through_service(self, request, obj, form):
        created = super().create_through_service(request, obj, form)
        self._move(request, created, form)
        return created

    def _move(self, request, project, form):
        target = form.cleaned_data.get("new_status")
        if target:
            try:
                services.project_transition(
                    actor=request.user,
                    project=project,
                    to_status=target,
                    decision=form.cleaned_data.get("decision"),
                )
            except ValidationError as error:
                self.refused(request, error)
            else:
                project.refresh_from_db()
                self.message_user(
                    request,
                    _("%(project)s is now “%(status)s”.")
                    % {"project": project, "status": project.get_status_display()},
                    messages.SUCCESS,
                )
        if project.ends_after_mandate:
            self.message_user(
                request,
                _(
                    "The planned end is after 31 December 2027, "
                    "when the Terms of Reference say all work must be done."
                ),
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is ProgressUpdate:
            for update_form in formset.extra_forms:
                if not update_form.has_changed():
                    continue
                data = update_form.cleaned_data
                try:
                    services.progress_record(
                        actor=request.user,
                        project=form.instance,
                        text=data["text"],
                        health=data["health"],
                        reason=data.get("reason") or "",
                        on=data["date"],
                        is_public=data.get("is_public", False),
                    )
                except ValidationError as error:
                    self.refused(request, error)
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_formset(request, form, formset, change)
        if formset.model is Milestone and any(
            m.after_mandate for m in [*formset.new_objects, *(o for o, _f in formset.changed_objects)]
        ):
            self.message_user(
                request,
                _("A milestone is due after 31 December 2027, outside the mandate."),
                messages.WARNING,
            )


@admin.register(Deliverable)
class DeliverableAdmin(RecordedAdmin):
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

    def change_through_service(self, request, obj, form):
        super().change_through_service(request, obj, form)
        self._move(request, obj, form)

    def create_through_service(self, request, obj, form):
        created = super().create_through_service(request, obj, form)
        self._move(request, created, form)
        return created

    def _move(self, request, deliverable, form):
        target = form.cleaned_data.get("new_status")
        if not target:
            return
        try:
            services.deliverable_transition(
                actor=request.user,
                deliverable=deliverable,
                to_status=target,
                decision=form.cleaned_data.get("decision"),
            )
        except ValidationError as error:
            self.refused(request, error)
        else:
            deliverable.refresh_from_db()
            self.message_user(
                request,
                _("“%(title)s” is now “%(status)s”.")
                % {"title": deliverable.title, "status": deliverable.get_status_display()},
                messages.SUCCESS,
            )

    def _run(self, request, queryset, target: str) -> int:
        ok = 0
        for deliverable in queryset:
            try:
                services.deliverable_transition(actor=request.user, deliverable=deliverable, to_status=target)
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
