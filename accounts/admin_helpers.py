"""What every app's admin shares (accounts is the lowest app the admins all import)."""

from django.contrib import admin


class BoundedInlineMixin:
    """An inline that never builds more than ``max_num`` forms, whatever TOTAL_FORMS says.

    Django's defaults (max_num 1000, absolute_max 2000) let one POST with an inflated
    TOTAL_FORMS render 2,000 inline forms, past the worker timeout. ``absolute_max`` equal to
    ``max_num`` caps the formset; a larger count gets "Please submit at most N forms".
    Pick ``max_num`` above the most rows the inline can really hold: the formset of a POST
    keeps at most that many.
    """

    max_num = 100

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", max(self.get_max_num(request, obj, **kwargs), 1))
        return super().get_formset(request, obj, **kwargs)


class BoundedTabularInline(BoundedInlineMixin, admin.TabularInline):
    pass


class BoundedStackedInline(BoundedInlineMixin, admin.StackedInline):
    pass
