"""What every app's admin shares (accounts is the lowest app the admins all import)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.forms.models import _get_foreign_key
from django.http import HttpRequest


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
