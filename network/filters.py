"""The directory's search and filters: one FilterSet for the list, the map and the admin's links."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from network.models import SERVED_ATMP_CLASSES, Capability, Entry, EntryAtmpClass, EntryType, Region


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("All regions")
    )
    capability = django_filters.ModelChoiceFilter(
        label=_("Capability"),
        queryset=Capability.objects.filter(is_active=True).order_by("position", "name_en"),
        to_field_name="code",
        field_name="capabilities",
        empty_label=_("All capabilities"),
        method="with_capability",
    )
    atmp_class = django_filters.ChoiceFilter(
        label=_("ATMP class"),
        choices=SERVED_ATMP_CLASSES,
        empty_label=_("All ATMP classes"),
        method="serving",
    )
    entry_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=EntryType.choices, empty_label=_("All types")
    )

    class Meta:
        model = Entry
        fields = ["q", "region", "capability", "atmp_class", "entry_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.is_filter = True  # type: ignore[attr-defined]  # forms/field.html: no "(optional)" after each filter's label

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # One column for name, descriptions, parent and capabilities, lower-cased by the services,
        # so PostgreSQL's trigram index answers it (bench/directory.py has the figures).
        return queryset.filter(search_text__contains=value.lower())

    # EXISTS rather than a join: one row per entry, so no DISTINCT and a count that stays exact.
    def with_capability(self, queryset, name, value):
        if not value:
            return queryset
        through = Entry.capabilities.through
        return queryset.filter(
            Exists(through.objects.filter(entry_id=OuterRef("pk"), capability_id=value.pk))
        )

    def serving(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(EntryAtmpClass.objects.filter(entry_id=OuterRef("pk"), atmp_class=value))
        )
