import django_filters
from django.utils.translation import gettext_lazy as _

from projects.models import Project, ProjectKind, ProjectStatus, TorItem


class ProjectFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ProjectKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, empty_label=_("All statuses")
    )
    tor_item = django_filters.ChoiceFilter(
        label=_("Terms of Reference item"), choices=TorItem.choices, empty_label=_("All items")
    )

    class Meta:
        model = Project
        fields = ["kind", "status", "tor_item"]
