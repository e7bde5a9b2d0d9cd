from typing import cast

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import choice_pairs
from budget.models import Allocation, CostCategory, EntryKind, Grant, LedgerEntry
from projects.models import Project

__all__ = ["LedgerFilter", "budget_years"]


def budget_years():
    years = Allocation.objects.filter(grant__is_managed=True).values_list("year", flat=True).distinct()
    return [(year, str(year)) for year in sorted(years)]


class LedgerFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("Budget year"), choices=budget_years, empty_label=_("All years")
    )
    grant = django_filters.ModelChoiceFilter(
        label=_("Grant"), queryset=Grant.objects.filter(is_managed=True), empty_label=_("All grants")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Cost category"), queryset=CostCategory.objects.all(), empty_label=_("All categories")
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.all(), empty_label=_("All projects and none")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EntryKind.choices, empty_label=_("All kinds"))
    q = django_filters.CharFilter(label=_("Search description or voucher"), method="search")

    class Meta:
        model = LedgerEntry
        fields = ["year", "grant", "category", "project", "kind"]

    @property
    def form(self):
        """The filter form, its grants, categories and projects offered from the cache until one of
        them changes (``accounts.choices``): three reads fewer on every ledger page (issue 21)."""
        fresh = not hasattr(self, "_form")
        form = super().form
        if fresh:
            for name in ("grant", "category", "project"):
                field = cast(forms.ModelChoiceField, form.fields[name])
                field.widget.choices = choice_pairs(field, name=f"ledger-filter-{name}")
        return form

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.lstrip("#").isdigit():
            return queryset.filter(Q(pk=int(value.lstrip("#"))) | Q(voucher__icontains=value))
        return queryset.filter(Q(description__icontains=value) | Q(voucher__icontains=value))
