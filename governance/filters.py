import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import Body, Decision, DecisionConcerns


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), field_name="meeting__body", queryset=Body.objects.all(), empty_label=_("All bodies")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="meeting__year")
    concerns = django_filters.ChoiceFilter(
        label=_("Concerns"), choices=DecisionConcerns.choices, empty_label=_("Everything")
    )

    class Meta:
        model = Decision
        fields = ["q", "body", "year", "concerns"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(text__icontains=value)
        )
