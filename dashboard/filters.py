"""The dashboard's period filter: a year, a quarter of it, or a custom range (django-filter).

The filter set is over requests (the figures that follow the period most), and it also
answers ``period`` for the rest of the page: meetings held, referrals, the budget year marked.
A choice that does not make sense (an end before the start, half a range) is shown next to the
field with what was typed kept, and the page falls back to the year chosen, or this year.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.periods import Period
from inquiries.models import Inquiry

FIRST_YEAR = 2024  # the Strategy for life science 2024–2027
QUARTERS = [
    (1, _("Q1 (January–March)")),
    (2, _("Q2 (April–June)")),
    (3, _("Q3 (July–September)")),
    (4, _("Q4 (October–December)")),
]


def year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(max(this_year, 2027), FIRST_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    is_filter = True  # every field is optional; the form template leaves out the "(optional)" marks

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            missing = "end" if end is None else "start"
            self.add_error(missing, _("Give both the first and the last day of the range."))
        elif start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first."))
        elif start and end and (end - start).days > 366 * 5:
            self.add_error("end", _("Choose at most five years."))
        if data.get("quarter") and not data.get("year"):
            self.add_error("year", _("Choose the year of the quarter."))
        return data


class PeriodFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label=_("Year"), choices=year_choices, empty_label=None)
    quarter = django_filters.ChoiceFilter(
        label=_("Quarter"), choices=QUARTERS, empty_label=_("The whole year")
    )
    start = django_filters.DateFilter(
        label=_("Or from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = django_filters.DateFilter(
        label=_("to"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Inquiry
        fields = ["year", "quarter", "start", "end"]
        form = PeriodForm

    def __init__(self, data=None, *args, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(data or None, *args, **kwargs)
        self.filters["year"].extra["initial"] = self.today.year  # what the unfiltered page shows

    @property
    def qs(self):
        # django-filter filters only a bound filter set; the unfiltered page is this year, not all time.
        if not hasattr(self, "_qs"):
            assert self.queryset is not None  # Meta.model gives every instance one
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def filter_queryset(self, queryset):
        begin, after = self.period.bounds()
        return queryset.filter(submitted_at__gte=begin, submitted_at__lt=after)

    @property
    def period(self) -> Period:
        if not self.is_bound:
            return Period.of_year(self.today.year)
        valid = self.form.is_valid()
        data = self.form.cleaned_data
        if valid and data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        year = int(data.get("year") or self.today.year)
        if valid and data.get("quarter"):
            return Period.of_quarter(year, int(data["quarter"]))
        return Period.of_year(year)
