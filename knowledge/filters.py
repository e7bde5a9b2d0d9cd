import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from inquiries.models import AtmpClass, DevelopmentStage, Topic
from knowledge.models import Item, ItemKind, ItemTag, TagDimension
from knowledge.search import search_items


def _tagged(dimension: str):
    def method(queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(ItemTag.objects.filter(item=OuterRef("pk"), dimension=dimension, value=value))
        )

    return method


class FilterForm(forms.Form):
    is_filter = True  # every field is optional; the form template leaves out the "(optional)" marks


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "class": "input-width-l"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ItemKind.choices, empty_label=_("All kinds"))
    topic = django_filters.ChoiceFilter(
        label=_("Topic"),
        choices=Topic.choices,
        empty_label=_("All topics"),
        method=_tagged(TagDimension.TOPIC),
    )
    atmp_class = django_filters.ChoiceFilter(
        label=_("ATMP class"),
        choices=AtmpClass.choices,
        empty_label=_("All classes"),
        method=_tagged(TagDimension.ATMP_CLASS),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Development stage"),
        choices=DevelopmentStage.choices,
        empty_label=_("All stages"),
        method=_tagged(TagDimension.STAGE),
    )

    class Meta:
        model = Item
        form = FilterForm
        fields = ["q", "kind", "topic", "atmp_class", "stage"]

    def search(self, queryset, name, value):
        return search_items(queryset, value)
