"""The secretariat's handling of personal data: a data-subject request by email address (find,
export, erase), the retention run and what the next one touches, and the record of each."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from audit.admin import RecordedAdmin
from privacy import services
from privacy.forms import FindSubjectForm
from privacy.models import Handling
from privacy.registry import retention_rules


@admin.register(Handling)
class HandlingAdmin(RecordedAdmin):
    list_display = ["at", "kind", "actor", "self_service", "total", "user_id_handled"]
    list_filter = ["kind", "self_service"]
    date_hierarchy = "at"
    fields = ["kind", "at", "actor", "self_service", "user_id_handled", "total", "counts"]
    readonly_fields = fields
    change_list_template = "admin/privacy/handling_changelist.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("person/", self.admin_site.admin_view(self.person_view), name="privacy_handling_person"),
            path(
                "retention/",
                self.admin_site.admin_view(self.retention_view),
                name="privacy_handling_retention",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, title):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def person_view(self, request):
        """Everything about an email address: what each source holds; export it; erase it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else (request.GET or None)
        form = FindSubjectForm(data)
        context = self._context(request, _("Find a person's data by email address"))
        context["form"] = form
        if form.is_bound and form.is_valid():
            subject = services.subject_for_email(form.cleaned_data["email"])
            action = None
            if request.method == "POST":
                action = (
                    "export" if "export" in request.POST else "erase" if "erase" in request.POST else None
                )
            if action == "export":
                download = services.personal_data_export_request(actor=request.user, subject=subject)
                return redirect("downloads:status", uuid=download.uuid)
            if action == "erase":
                if request.POST.get("confirm") != subject.email:
                    messages.error(request, _("Type the email address again to confirm the erasure."))
                else:
                    handling = services.personal_data_erase(actor=request.user, subject=subject)
                    messages.success(
                        request,
                        _(
                            "Erased: %(count)d rows in %(kinds)d kinds of data. "
                            "The record keeps the counts only."
                        )
                        % {"count": handling.total, "kinds": sum(1 for n in handling.counts.values() if n)},
                    )
                    return redirect(reverse("admin:privacy_handling_change", args=[handling.pk]))
            summary = services.personal_data_summary(subject)
            context.update(
                subject=subject,
                held=[(s, n) for s, n in summary if n],
                first=services.before_delete_lines(subject),
                total=sum(n for _s, n in summary),
            )
        elif form.is_bound:
            context["status"] = 400
        response = TemplateResponse(request, "admin/privacy/person.html", context)
        if form.is_bound and not form.is_valid():
            response.status_code = 400
        return response

    def retention_view(self, request):
        """What the next daily run touches, rule by rule; a POST runs it now."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            handling = services.retention_run(actor=request.user)
            messages.success(
                request, _("The retention run changed %(count)d rows.") % {"count": handling.total}
            )
            return redirect("admin:privacy_handling_retention")
        context = self._context(request, _("Retention: what the next run touches"))
        context["rules"] = [
            {"label": rule.label, "period": rule.period(), "due": count, "key": rule.key}
            for rule, count in services.retention_preview()
        ]
        context["last"] = Handling.objects.filter(kind="retention").select_related("actor").first()
        context["count_rules"] = len(retention_rules())
        return TemplateResponse(request, "admin/privacy/retention.html", context)
