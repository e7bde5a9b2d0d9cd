"""The back office's one way to write and to show what was written.

``RecordedAdmin`` is the base of every ModelAdmin of the portal:

* **One write path.** Saving the add form calls ``create_through_service`` and saving the change
  form ``change_through_service``; an app overrides them to call its services with the acting
  user (``actor=request.user``), as a page would. The defaults are for plain reference rows
  (an organisation's name, a canned reply): ``audit.services.object_create``/``object_update``,
  which save and record. A service returns the object it made; the admin goes on with that object
  (``adopt``), so nothing of Django's internal state is patched.
* **One record.** The "History" page and the foot of the change page show the object's entries of
  ``audit.AuditEntry``, in a fixed number of queries however long the history is.

``AuditEntryAdmin`` lists the whole record, read-only: no add, change or delete for anyone.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from audit import services
from audit.models import AuditEntry

# Entries shown at the foot of a change page; the History page pages through all of them.
RECENT = 10
PER_PAGE = 100


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    verbose = getattr(field, "verbose_name", None)
    return str(capfirst(verbose)) if verbose else name.replace("_", " ")


def _shown(value: Any) -> str:
    if isinstance(value, dict) and "repr" in value:
        return str(value["repr"])
    if value in (None, ""):
        return "–"
    return str(value)


def describe(
    entry: AuditEntry, model: type[models.Model], labels: dict[str, Any] | None = None
) -> list[tuple[str, str, str | None]]:
    """The entry's data as (label, value or old value, new value or None) lines for a person.

    ``labels`` names the keys that are not fields of ``model`` (a ModelAdmin's ``history_labels``).
    """
    lines: list[tuple[str, str, str | None]] = []
    for key, value in (entry.data or {}).items():
        label = str(labels[key]) if labels and key in labels else _label(model, key)
        if isinstance(value, list) and len(value) == 2 and key != "ids":
            lines.append((label, _shown(value[0]), _shown(value[1])))
        else:
            lines.append((label, _shown(value), None))
    return lines


def history_of(
    obj: models.Model,
    *,
    limit: int | None = None,
    model: type[models.Model] | None = None,
    entries: models.QuerySet[AuditEntry] | None = None,
    labels: dict[str, Any] | None = None,
) -> list[AuditEntry]:
    """The object's entries, newest first, with their actors: one query, whatever the length.

    ``obj`` may be an unsaved stand-in that carries only the primary key (with ``model``): the
    change page asks for the history before the admin loads the object itself. ``entries`` is
    the record to read when it is more than the object's own lines (``RecordedAdmin.history_entries``).
    """
    entries = (AuditEntry.objects.for_object(obj) if entries is None else entries).select_related("actor")
    rows = list(entries[:limit] if limit else entries)
    for entry in rows:
        entry.lines = describe(entry, model or type(obj), labels)
    return rows


def adopt(target: models.Model, source: models.Model) -> None:
    """Give the admin's unsaved ``target`` the identity and values of ``source``, which a service
    saved: the admin then redirects, logs and saves inlines against the real row."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target.refresh_from_db()


class ServiceRefused(Exception):
    """Raised out of ``save_model`` so that the admin's transaction rolls back."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


def _clean_with(refusal: ValidationError, clean):
    """A form ``clean`` that adds the service's refusal to the form's errors."""

    def clean_and_refuse(form):
        data = clean(form)
        if hasattr(refusal, "error_dict"):
            for field, errors in refusal.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, refusal.messages)
        return data

    return clean_and_refuse


class RecordedAdmin(admin.ModelAdmin):
    """The base of the portal's ModelAdmins (see the module's docstring)."""

    change_form_template = "admin/audit/change_form.html"
    object_history_template = "admin/audit/object_history.html"
    # Labels for keys of the record's data that are not fields of the model.
    history_labels: dict[str, Any] = {}

    def history_entries(self, obj: models.Model) -> models.QuerySet[AuditEntry]:
        """The lines of the record that make up ``obj``'s history (``obj`` may carry only its key).

        Its own lines; an admin whose object has parts recorded on rows of their own (an entry's
        corrections) adds theirs here.
        """
        return AuditEntry.objects.for_object(obj)

    # --- writing -------------------------------------------------------------------------------

    def create_through_service(self, request, obj: models.Model, form) -> models.Model:
        """Create the object from the valid add form; return the saved object."""
        return services.object_create(actor=request.user, obj=obj)

    def change_through_service(self, request, obj: models.Model, form) -> None:
        """Apply the valid change form to ``obj`` (its fields already carry the new values)."""
        services.object_update(actor=request.user, obj=obj, before=self.initial_values(form))

    @staticmethod
    def initial_values(form) -> dict[str, Any]:
        """The changed model fields' values as they were when the form was opened (from the database)."""
        names = {f.name for f in form.instance._meta.concrete_fields}
        before = {}
        for name in form.changed_data:
            if name in names:
                value = form.initial.get(name)
                before[name] = value.pk if isinstance(value, models.Model) else value
        return before

    def save_model(self, request, obj, form, change):
        try:
            if change:
                self.change_through_service(request, obj, form)
            else:
                created = self.create_through_service(request, obj, form)
                if created is not obj:
                    adopt(obj, created)
        except ValidationError as error:
            self.refused(request, error)

    def refused(self, request, error: ValidationError) -> NoReturn:
        """A service refused what the form allowed (a rule, or someone else's change meanwhile)."""
        raise ServiceRefused(error)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The admin's transaction rolled back: nothing was saved. Show the same form again, with
            # everything typed still in it and the service's words next to the field they concern.
            request.service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ServiceRefused as refused:  # a list-editable row a service refused; nothing was saved
            self.message_user(request, " ".join(refused.error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"clean": _clean_with(refusal, form.clean)})

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields are saved after the row; their change is recorded here."""
        m2m = [f.name for f in form.instance._meta.many_to_many if f.name in form.changed_data and change]
        before = {name: sorted(v.pk for v in form.initial.get(name) or []) for name in m2m}
        super().save_related(request, form, formsets, change)
        if before:
            services.object_related_changed(actor=request.user, obj=form.instance, before=before)

    def save_formset(self, request, form, formset, change):
        """Inline rows are saved and recorded against their own row, with the acting user."""
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            services.object_delete(actor=request.user, obj=removed)
        changed = {id(obj): fields for obj, fields in formset.changed_objects}
        initial = {id(f.instance): f for f in formset.forms if f.instance.pk}
        for instance in instances:
            if instance.pk is None or id(instance) not in changed:
                services.object_create(actor=request.user, obj=instance)
            else:
                services.object_update(
                    actor=request.user, obj=instance, before=self.initial_values(initial[id(instance)])
                )
        formset.save_m2m()

    def delete_model(self, request, obj):
        services.object_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.object_delete(actor=request.user, obj=obj)

    # --- showing -------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id:
            # By primary key: loading the object here too would read it twice per page.
            key = self.model._meta.pk.to_python(unquote(object_id))
            stand_in = self.model(pk=key)
            extra_context["audit_recent"] = history_of(
                stand_in, limit=RECENT, entries=self.history_entries(stand_in), labels=self.history_labels
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        paginator = self.get_paginator(request, self.history_entries(obj).select_related("actor"), PER_PAGE)
        page = paginator.get_page(request.GET.get("p", 1))
        for entry in page.object_list:
            entry.lines = describe(entry, type(obj), self.history_labels)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "entries": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "pagination_required": paginator.num_pages > 1,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The whole record, newest first. Nobody adds, changes or deletes an entry here."""

    list_display = ["at", "actor", "action", "content_type", "object_shown"]
    list_filter = ["content_type"]
    search_fields = ["action", "object_repr", "actor__email", "actor__full_name"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = ("at", "actor", "action", "content_type", "object_id", "object_repr", "data")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("object"), ordering="object_repr")
    def object_shown(self, entry):
        """The object's name as recorded, marked with its language where that was known."""
        lang = entry.object_language
        if lang and lang != (get_language() or "da")[:2]:
            return format_html('<span lang="{}">{}</span>', lang, entry.object_repr)
        return entry.object_repr
