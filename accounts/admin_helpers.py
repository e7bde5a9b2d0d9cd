"""What every app's admin shares (accounts is the lowest app the admins all import)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms.models import _get_foreign_key
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _


def _bounded(
    inline: InlineModelAdmin, request: HttpRequest, obj: Any, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """``absolute_max`` = ``max_num``: the formset never builds more forms than that.

    Django's defaults (max_num 1000, absolute_max 2000) let one POST with an inflated
    TOTAL_FORMS render 2,000 inline forms, past the worker timeout; capped, a larger count gets
    "Please submit at most N forms". Pick ``max_num`` above the most rows the inline can really
    hold: the formset of a POST keeps at most that many.
    """
    cap = inline.get_max_num(request, obj, **kwargs) or 0
    if obj is not None and request.method == "POST" and not inline.has_add_permission(request, obj):
        # Django sets max_num to 0 on an inline the user may not add to (a view-only history):
        # the POST of its change page then carries the rows that exist, and must be allowed
        # exactly those ("at most 0 forms" otherwise).
        fk = _get_foreign_key(inline.parent_model, inline.model, fk_name=inline.fk_name)
        if fk is not None:
            cap = max(cap, inline.get_queryset(request).filter(**{fk.name: obj}).count())
    kwargs.setdefault("absolute_max", max(cap, 1))
    return kwargs


class BoundedTabularInline(admin.TabularInline):
    max_num = 100

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, **_bounded(self, request, obj, kwargs))


class BoundedStackedInline(admin.StackedInline):
    max_num = 100

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, **_bounded(self, request, obj, kwargs))


class CappedCountPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows: an admin list costs the same at 1,000,000 rows.

    An exact ``COUNT(*)`` of a large table (or of a word's trigram matches) reads every matching row
    on every page view. This one counts ``cap + 1`` rows at most, without ordering, so PostgreSQL
    stops as soon as it has them; past the cap the list says "more than …" (``capped``). The pages
    up to the cap are all reachable, and ``CappedCountAdmin`` raises the cap with the page asked for.
    """

    def __init__(self, object_list, per_page, *, cap: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            return super().count
        found = object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    @property
    def count_display(self) -> str:
        """The count as the list shows it, grouped in the active language ("1.000", "1,000")."""
        return number_format(self.count, force_grouping=True)


class CappedCountAdmin(admin.ModelAdmin):
    """An admin list whose paginator counts at most ``count_cap`` rows (more if a later page is asked).

    Pair with ``show_full_result_count = False``: the unfiltered total would be a full count again.
    The templates ``admin/pagination.html``, ``admin/search_form.html`` and ``admin/actions.html``
    say "more than …" when the count stopped at the cap.
    """

    count_cap = 1000
    show_full_result_count = False
    # A search counts only this many pages from the one shown: every match counted is a row found
    # by reading the rows around it (a word in one subject of eight, at 1,000,000 requests: ~8,000
    # rows read to count 1,001, ~7 ms; 251 cost ~1.4 ms). "More than 250 results" tells someone
    # narrowing a search as much as "more than 1,000".
    search_count_pages = 5

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        try:
            page = max(int(request.GET.get(PAGE_VAR, 1)), 1)
        except ValueError:
            page = 1
        # A page past the cap is reachable all the same: the count then goes a few pages beyond it.
        cap = self.count_cap if page * per_page <= self.count_cap else per_page * (page + 5)
        if request.GET.get(SEARCH_VAR, "").strip():
            cap = min(cap, per_page * (page + self.search_count_pages - 1))
        return CappedCountPaginator(
            queryset, per_page, cap=cap, orphans=orphans, allow_empty_first_page=allow_empty_first_page
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        cl = context.get("cl") if context else None
        if cl is not None and getattr(cl.paginator, "capped", False):
            assert context is not None
            context["selection_note_all"] = _("All that match selected (more than %(count)s)") % {
                "count": cl.paginator.count_display
            }
        return response
