"""Reads that the directory's pages share, scoped to who asks."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.roles import is_secretariat
from network.models import Capability, Entry


def sees_unpublished(user) -> bool:
    """The secretariat sees entries it has not published (yet), marked as such.

    The secretariat role exists only with a second factor (ARCHITECTURE.md): a staff user who
    has not set one up sees the public directory like anyone else.
    """
    return is_secretariat(user) and is_mfa_enabled(user)


def entries_visible_to(user) -> QuerySet[Entry]:
    entries = Entry.objects.all()
    if not sees_unpublished(user):
        entries = entries.filter(is_published=True)
    return entries


def directory_page_entries(queryset: QuerySet[Entry]) -> QuerySet[Entry]:
    """What one card of the list shows: two prefetches, however many entries the page has."""
    return queryset.select_related("parent").prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.order_by("position", "name_en")),
        "atmp_class_rows",
    )


def entry_for(user, slug: str) -> Entry:
    """Look up *and* check: an unpublished entry is a 404 for everyone but the secretariat."""
    try:
        return (
            entries_visible_to(user)
            .select_related("parent")
            .prefetch_related(
                Prefetch("capabilities", queryset=Capability.objects.order_by("position", "name_en")),
                "atmp_class_rows",
                "stage_rows",
            )
            .get(slug=slug)
        )
    except Entry.DoesNotExist:
        raise Http404("No such directory entry") from None


def region_counts(queryset: QuerySet[Entry]) -> dict[str, int]:
    """Entries per region in one grouped query."""
    rows = queryset.order_by().values("region").annotate(n=Count("pk"))
    return {row["region"]: row["n"] for row in rows}


def active_capabilities() -> QuerySet[Capability]:
    return Capability.objects.filter(is_active=True).order_by("position", "name_en")
