"""What the guidance library holds about a person: the items they are named owner of (staff)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from knowledge.models import Item
from privacy.registry import Exported, PersonalDataSource, Subject, register_source


def _owned(subject: Subject) -> QuerySet[Item]:
    return Item.objects.filter(owner=subject.user) if subject.user is not None else Item.objects.none()


def count(subject: Subject) -> int:
    return _owned(subject).count()


def export(subject: Subject) -> Exported:
    return Exported(data=[{"item": i.title_da, "slug": i.slug} for i in _owned(subject)])


def erase(subject: Subject, *, actor, markers: frozenset[str]) -> int:
    """The item stays in the library; it just has no named owner until the secretariat picks one."""
    return _owned(subject).update(owner=None)


def register() -> None:
    register_source(
        PersonalDataSource(
            key="knowledge.owned_items",
            label=_("Guidance items you are named owner of"),
            count=count,
            export=export,
            erase=erase,
            note=_("The items stay in the library without a named owner."),
            erase_order=40,
        )
    )
