"""The public directory: the list with its map, and one page per entry."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from inquiries.models import AtmpClass, DevelopmentStage
from network import map as region_map
from network import selectors
from network.filters import EntryFilter
from network.models import Region

PER_PAGE = 20
_ORDER = {value: i for i, value in enumerate([*AtmpClass.values, *DevelopmentStage.values])}


def _query_with(params, **changes) -> str:
    """The current filters with ``changes`` applied (a value of "" drops it), without the page."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def directory(request):
    visible = selectors.entries_visible_to(request.user)
    entry_filter = EntryFilter(request.GET or None, queryset=visible)
    valid = not entry_filter.is_bound or entry_filter.is_valid()
    results = entry_filter.qs if entry_filter.is_bound and valid else visible
    chosen_region = (
        entry_filter.form.cleaned_data.get("region", "") if entry_filter.is_bound and valid else ""
    )

    # The map counts what the other filters leave, in every region, so each region links to a
    # non-empty list exactly when its count says so.
    without_region = request.GET.copy()
    without_region.pop("region", None)
    map_filter = EntryFilter(without_region or None, queryset=visible)
    counted = map_filter.qs if map_filter.is_bound and map_filter.is_valid() else visible
    counts = selectors.region_counts(counted)

    paginator = Paginator(selectors.directory_page_entries(results.order_by("name", "pk")), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filter": entry_filter,
        "filtered": entry_filter.is_bound,
        "page_obj": page,
        "entries": list(page.object_list),
        "total": paginator.count,
        "map": region_map.build(
            counts, lambda region: _query_with(request.GET, region=region), selected=chosen_region
        ),
        "clear_region": _query_with(request.GET, region=""),
        "page_query": _query_with(request.GET).lstrip("?"),
        "chosen_region": Region(chosen_region).label if chosen_region else "",
        "today": timezone.localdate(),
        "sees_unpublished": selectors.sees_unpublished(request.user),
    }
    return render(request, "network/directory.html", context, status=200 if valid else 400)


def entry_detail(request, slug: str):
    entry = selectors.entry_for(request.user, slug)
    return render(
        request,
        "network/entry_detail.html",
        {
            "entry": entry,
            "capabilities": list(entry.capabilities.all()),
            # In the taxonomies' own order (research before phase I …), not alphabetically.
            "atmp_classes": sorted(entry.atmp_class_rows.all(), key=lambda r: _ORDER[r.atmp_class]),
            "stages": sorted(entry.stage_rows.all(), key=lambda r: _ORDER[r.stage]),
            "not_confirmed_since": entry.confirmation_overdue_since(),
            "sees_unpublished": selectors.sees_unpublished(request.user),
        },
    )
