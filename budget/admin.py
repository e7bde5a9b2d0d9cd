"""The secretariat's budget work: posting to the ledger, reversing, grants and funding applications.

Ledger entries are added through ``budget.services.ledger_post`` (the add form checks the
posting against the year's allocation before anything is written) and are never changed or
deleted here: an entry's page is read-only, and "Reverse" posts the correcting entry.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_helpers import BoundedTabularInline
from audit.admin import RecordedAdmin
from budget import services
from budget.models import (
    Allocation,
    ApplicationEvent,
    ApplicationStatus,
    CostCategory,
    EntryKind,
    FundingApplication,
    Grant,
    LedgerEntry,
    kroner,
)
from budget.money import format_dkk
from governance.models import BodyKind, Decision
from projects.admin import StatusChangeForm


def _steering_decisions():
    return Decision.objects.filter(meeting__body__kind=BodyKind.STEERING_GROUP).select_related("meeting")


@admin.register(CostCategory)
class CostCategoryAdmin(RecordedAdmin):
    list_display = ["name_da", "name_en", "code"]


class AllocationInline(BoundedTabularInline):
    model = Allocation
    extra = 0
    fields = ["year", "amount"]

    def _reference(self, obj) -> bool:
        return obj is not None and obj.is_reference

    def get_readonly_fields(self, request, obj=None):
        # The ToR's figures are reference data: load_reference_data would set an edit back.
        return ["year", "amount"] if self._reference(obj) else []

    def has_add_permission(self, request, obj=None):
        return not self._reference(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Grant)
class GrantAdmin(RecordedAdmin):
    list_display = ["name_da", "holder", "is_managed", "allocated", "source"]
    list_filter = ["holder", "is_managed"]
    search_fields = ["name_da", "name_en", "source", "code"]
    inlines = [AllocationInline]
    fields = [
        "code",
        "name_da",
        "name_en",
        "source",
        "holder",
        "is_managed",
        "note",
        "position",
        "application_link",
    ]
    readonly_fields = ["application_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(allocated_total=Sum("allocations__amount"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_reference:
            return [
                "code",
                "name_da",
                "name_en",
                "source",
                "holder",
                "is_managed",
                "position",
                "application_link",
            ]
        return self.readonly_fields

    @admin.display(description=_("allocated in all"), ordering="allocated_total")
    def allocated(self, grant):
        return format_dkk(kroner(grant.allocated_total))

    @admin.display(description=_("from application"))
    def application_link(self, grant):
        application = getattr(grant, "application", None)
        if application is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:budget_fundingapplication_change", args=[application.pk]),
            application,
        )


class CommitmentChoiceField(forms.ModelChoiceField):
    """Commitments named so the secretary can tell them apart: number, year, project, text, amount."""

    def label_from_instance(self, obj: LedgerEntry) -> str:
        project = f"{obj.project.code} " if obj.project else ""
        return f"#{obj.pk} {obj.year} {project}{obj.description[:60]} ({format_dkk(obj.amount)})"


class LedgerEntryForm(forms.ModelForm):
    """A new entry, checked against the year's allocation by the same rules the service applies."""

    kind = forms.ChoiceField(
        label=capfirst(LedgerEntry._meta.get_field("kind").verbose_name),
        choices=[(value, label) for value, label in EntryKind.choices if value != EntryKind.REVERSAL],
        help_text=_("To correct an entry, open it and choose “Reverse this entry”."),
    )
    amount = forms.DecimalField(
        label=capfirst(LedgerEntry._meta.get_field("amount").verbose_name),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("Always positive, in kroner and øre; a release is booked as a reduction for you."),
    )

    class Meta:
        model = LedgerEntry
        field_classes = {"commitment": CommitmentChoiceField}
        fields = [
            "date",
            "year",
            "grant",
            "category",
            "kind",
            "amount",
            "commitment",
            "project",
            "decision",
            "voucher",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "grant" not in self.fields:  # an existing entry's page: read-only, nothing to offer
            return
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["year"].initial = today.year
        cast(forms.ModelChoiceField, self.fields["grant"]).queryset = Grant.objects.filter(is_managed=True)
        managed = Grant.objects.filter(is_managed=True)
        if managed.count() == 1:
            self.fields["grant"].initial = managed.first()
        cast(forms.ModelChoiceField, self.fields["decision"]).queryset = _steering_decisions()
        cast(CommitmentChoiceField, self.fields["commitment"]).queryset = (
            LedgerEntry.objects.filter(kind=EntryKind.COMMITMENT, reversed_by__isnull=True)
            .select_related("project")
            .order_by("-year", "-pk")
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        needed = ["grant", "year", "kind", "amount", "category"]
        if any(data.get(name) in (None, "") for name in needed):
            return data
        try:
            services.ledger_check(
                grant=data["grant"],
                year=data["year"],
                kind=data["kind"],
                amount=data["amount"],
                category=data["category"],
                project=data.get("project"),
                decision=data.get("decision"),
                commitment=data.get("commitment"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error)
        return data


class _PostingRefused(Exception):
    """The locked posting refused what the form's unlocked check had let through."""


class ReversedFilter(admin.SimpleListFilter):
    title = _("reversal")
    parameter_name = "reversal"

    def lookups(self, request, model_admin):
        return [
            ("standing", _("Standing (not reversed)")),
            ("reversed", _("Reversed")),
            ("reversals", _("Reversing entries")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "standing":
            return queryset.exclude(kind=EntryKind.REVERSAL).filter(reversed_by__isnull=True)
        if self.value() == "reversed":
            return queryset.filter(reversed_by__isnull=False)
        if self.value() == "reversals":
            return queryset.filter(kind=EntryKind.REVERSAL)
        return queryset


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reversed?"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text=_("Kept on the reversing entry, e.g. “booked on the wrong project”."),
    )
    date = forms.DateField(label=_("date of the reversal"), initial=timezone.localdate)
    decision = forms.ModelChoiceField(
        label=_("decision"),
        queryset=Decision.objects.none(),
        required=False,
        help_text=_(
            "Only needed when undoing the entry takes its year over the allocation "
            "(e.g. reversing a release): the steering group decision that approves it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["decision"]).queryset = _steering_decisions()


@admin.register(LedgerEntry)
class LedgerEntryAdmin(RecordedAdmin):
    form = LedgerEntryForm
    list_display = [
        "number",
        "date",
        "year",
        "kind",
        "amount_display",
        "category",
        "project",
        "description",
        "reversal_state",
    ]
    list_display_links = ["number", "description"]
    list_filter = ["year", "grant", "kind", "category", "project", ReversedFilter]
    list_select_related = ["category", "project", "decision", "posted_by", "reversed_by", "grant"]
    search_fields = ["description", "voucher"]
    date_hierarchy = "date"
    actions = ["reverse_selected"]
    list_per_page = 50

    class Media:
        css = {"all": ["css/budget-admin.css"]}

    readonly_fields = [
        "number",
        "date",
        "year",
        "grant",
        "category",
        "kind",
        "amount_display",
        "committed_effect",
        "spent_effect",
        "commitment",
        "reverses",
        "reversed_by_link",
        "project",
        "decision",
        "voucher",
        "description",
        "posted_by",
        "posted_at",
    ]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lstrip("#")
        if term.isdigit():
            return queryset.filter(pk=int(term)) | queryset.filter(voucher__icontains=term), False
        return super().get_search_results(request, queryset, search_term)

    def get_fields(self, request, obj=None):
        if obj is None:
            return LedgerEntryForm.Meta.fields
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not self.has_add_permission(request):
            actions.pop("reverse_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("no."), ordering="pk")
    def number(self, entry):
        return f"#{entry.pk}" if entry.pk else "–"

    @admin.display(description=_("amount (DKK)"), ordering="amount")
    def amount_display(self, entry):
        return format_dkk(entry.amount)

    @admin.display(description=_("reversal"))
    def reversal_state(self, entry):
        if entry.kind == EntryKind.REVERSAL:
            return _("reverses #%(number)s") % {"number": entry.reverses_id}
        if entry.is_reversed:
            return _("reversed by #%(number)s") % {"number": entry.reversed_by.pk}
        return "–"

    @admin.display(description=_("reversed by"))
    def reversed_by_link(self, entry):
        if not entry.is_reversed:
            if not entry.pk or entry.kind == EntryKind.REVERSAL:
                return "–"
            return format_html(
                '<a class="button" href="{}">{}</a>',
                reverse("admin:budget_ledgerentry_reverse", args=[entry.pk]),
                _("Reverse this entry"),
            )
        return format_html(
            '<a href="{}">#{}</a>',
            reverse("admin:budget_ledgerentry_change", args=[entry.reversed_by.pk]),
            entry.reversed_by.pk,
        )

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except _PostingRefused:
            # Another posting changed the year's balance between the form's check and the locked
            # posting (which rolled back). Validate again: the refusal now shows next to its field,
            # with everything that was typed still in the form.
            return super().add_view(request, form_url, extra_context)

    def create_through_service(self, request, obj, form):
        data = form.cleaned_data
        try:
            result = services.ledger_post(
                grant=data["grant"],
                year=data["year"],
                kind=data["kind"],
                amount=data["amount"],
                category=data["category"],
                description=data["description"],
                actor=request.user,
                date=data["date"],
                project=data.get("project"),
                decision=data.get("decision"),
                commitment=data.get("commitment"),
                voucher=data.get("voucher") or "",
            )
        except ValidationError as refused:
            raise _PostingRefused from refused
        if result.warning:
            self.message_user(request, result.warning, messages.WARNING)
        return result.entry

    # --- Reversal ---------------------------------------------------------------------------------

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/reverse/",
                self.admin_site.admin_view(self.reverse_view),
                name="budget_ledgerentry_reverse",
            )
        ]
        return custom + super().get_urls()

    def _reverse_entries(self, request, entries, *, action: bool):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ReverseForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for entry in entries:
                try:
                    result = services.ledger_reverse(
                        entry=entry,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        date=form.cleaned_data["date"],
                        decision=form.cleaned_data["decision"],
                    )
                except ValidationError as error:
                    self.message_user(request, f"#{entry.pk}: {' '.join(error.messages)}", messages.ERROR)
                else:
                    done += 1
                    if result.warning:
                        self.message_user(request, result.warning, messages.WARNING)
            if done:
                self.message_user(
                    request,
                    ngettext("%(count)d entry reversed.", "%(count)d entries reversed.", done)
                    % {"count": done},
                    messages.SUCCESS,
                )
            return redirect("admin:budget_ledgerentry_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reverse ledger entries"),
            "opts": self.model._meta,
            "entries": entries,
            "form": form,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/budget/ledgerentry/reverse.html", context)

    def reverse_view(self, request, pk: int):
        entry = get_object_or_404(LedgerEntry.objects.select_related("category", "project"), pk=pk)
        return self._reverse_entries(request, [entry], action=False)

    @admin.action(description=_("Reverse the selected entries"))
    def reverse_selected(self, request, queryset):
        return self._reverse_entries(
            request, list(queryset.select_related("category", "project")), action=True
        )


class FundingApplicationForm(StatusChangeForm):
    status_choices = ApplicationStatus
    granted_per_year = forms.CharField(
        label=_("Amount granted per year"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 30}),
        help_text=_(
            "Only when the foundation has granted: one year per line, "
            "e.g. “2026: 250000” and “2027: 250000,50”."
        ),
    )

    class Meta:
        model = FundingApplication
        fields = ["foundation", "title", "purpose", "amount", "project", "deadline", "decision"]

    def clean_granted_per_year(self) -> dict[int, Decimal]:
        text = self.cleaned_data.get("granted_per_year", "")
        allocations: dict[int, Decimal] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = re.fullmatch(
                r"\s*(\d{4})\s*[:=]\s*([\d .,]+?)\s*(kr\.?|DKK)?\s*", line, flags=re.IGNORECASE
            )
            if not match:
                raise ValidationError(
                    _("Line %(line)d: write the year, a colon and the amount, e.g. “2026: 250000”.")
                    % {"line": number}
                )
            try:
                allocations[int(match.group(1))] = _parse_kroner(match.group(2))
            except (InvalidOperation, ValueError):
                raise ValidationError(
                    _("Line %(line)d: “%(amount)s” is not an amount in kroner.")
                    % {"line": number, "amount": match.group(2)}
                ) from None
        return allocations

    def clean(self):
        super().clean()
        data = self.cleaned_data
        new = data.get("new_status")
        if new == ApplicationStatus.APPROVED_FOR_SUBMISSION and not data.get("decision"):
            self.add_error(
                "decision", _("Name the steering group decision that cleared the application for submission.")
            )
        if new == ApplicationStatus.GRANTED and not data.get("granted_per_year"):
            self.add_error("granted_per_year", _("Give the amount granted for at least one year."))
        if data.get("granted_per_year") and new != ApplicationStatus.GRANTED:
            self.add_error("new_status", _("Choose “Granted” to record the amounts granted."))
        return data


def _parse_kroner(text: str) -> Decimal:
    """'250.000,50', '250,000.50', '250 000' and '250000.5' are all kroner."""
    text = text.replace(" ", "")
    if "," in text and "." in text:
        decimal_mark: str | None = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text:
        decimal_mark = "," if len(text) - text.rfind(",") - 1 in (1, 2) else None
    elif "." in text:
        decimal_mark = "." if len(text) - text.rfind(".") - 1 in (1, 2) else None
    else:
        decimal_mark = None
    if decimal_mark:
        whole, _sep, fraction = text.rpartition(decimal_mark)
        text = re.sub(r"[.,]", "", whole) + "." + fraction
    else:
        text = re.sub(r"[.,]", "", text)
    amount = Decimal(text)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(text)
    return amount


class ApplicationEventInline(BoundedTabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FundingApplication)
class FundingApplicationAdmin(RecordedAdmin):
    form = FundingApplicationForm
    list_display = [
        "title",
        "foundation",
        "status",
        "amount_display",
        "deadline",
        "decision",
        "granted_display",
    ]
    list_filter = ["status", "foundation"]
    search_fields = ["title", "foundation", "purpose"]
    list_select_related = ["decision", "grant"]
    readonly_fields = ["status", "submitted_on", "answered_on", "granted_display", "grant_link"]
    inlines = [ApplicationEventInline]

    class Media:
        css = {"all": ["css/budget-admin.css"]}

    fieldsets = [
        (None, {"fields": ["foundation", "title", "purpose", "amount", "project", "deadline"]}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "new_status",
                    "decision",
                    "submitted_on",
                    "answered_on",
                    "granted_per_year",
                    "granted_display",
                    "grant_link",
                ]
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status not in (
            ApplicationStatus.DRAFT,
            ApplicationStatus.TO_STEERING_GROUP,
        ):
            fields.append("decision")  # the clearing decision is history once it cleared
        return fields

    @admin.display(description=_("amount applied for"), ordering="amount")
    def amount_display(self, application):
        return format_dkk(application.amount)

    @admin.display(description=_("amount granted"), ordering="amount_granted")
    def granted_display(self, application):
        return format_dkk(application.amount_granted) if application.amount_granted else "–"

    @admin.display(description=_("grant"))
    def grant_link(self, application):
        if application.grant_id is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:budget_grant_change", args=[application.grant_id]),
            application.grant,
        )

    def create_through_service(self, request, obj, form):
        created = services.application_create(actor=request.user, application=obj)
        self._move(request, created, form)
        return created

    def change_through_service(self, request, obj, form):
        super().change_through_service(request, obj, form)
        self._move(request, obj, form)

    def _move(self, request, application, form):
        target = form.cleaned_data.get("new_status")
        if not target:
            return
        try:
            if target == ApplicationStatus.GRANTED:
                services.application_grant(
                    application=application,
                    allocations=form.cleaned_data["granted_per_year"],
                    actor=request.user,
                )
            else:
                services.application_transition(
                    application=application,
                    to_status=target,
                    actor=request.user,
                    decision=form.cleaned_data.get("decision"),
                )
        except ValidationError as error:
            self.refused(request, error)
        else:
            application.refresh_from_db()
            self.message_user(
                request,
                _("“%(title)s” is now “%(status)s”.")
                % {"title": application.title, "status": application.get_status_display()},
                messages.SUCCESS,
            )
