from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pages.memo import memo

register = template.Library()


@register.filter
def million(amount):
    """An axis label in millions of kroner: "DKK 2.5m" / "2,5 mio. kr."."""
    if amount is None:
        return ""
    value = Decimal(amount) / Decimal(1_000_000)
    decimals = 0 if value == value.to_integral_value() else 1
    return _("DKK %(amount)sm") % {"amount": number_format(value, decimals)}


@register.filter
def days(value):
    """A median in working days: "3", "2.5" (en) / "2,5" (da), or "–" when there is none."""
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    return number_format(value, decimals)


# The tags below keep the dashboard's table cells and tiles to one readable template line each.


@register.simple_tag
def linked(text, url, when=True):
    """``text`` as a link to ``url`` when there is one and ``when`` holds, else as plain text.

    A figure links to the list behind it only for a viewer who may open that list, and (``when``)
    only when there is something behind it: a count of 0 vacant seats leads nowhere.
    """
    if url and when:
        return format_html('<a href="{}">{}</a>', url, text)
    return conditional_escape(text)


@register.simple_tag
def meeting_date(starts_at, url, date_format_name):
    """A meeting's day as ``<time>``, linked to the meeting's page when the viewer may open it."""
    local = timezone.localtime(starts_at)
    day = format_html(
        '<time datetime="{}">{}</time>', date_format(local, "c"), date_format(local, date_format_name)
    )
    return linked(day, url)


@register.simple_tag
def behind_schedule(line):
    """What puts a project behind schedule: overdue milestones, a planned end that has passed; or "No"."""
    if not line.is_late:
        return _("No")
    reasons = []
    if line.overdue:
        counter = len(line.overdue)
        reasons.append(
            ngettext("%(counter)s milestone overdue", "%(counter)s milestones overdue", counter)
            % {"counter": counter}
        )
    if line.past_planned_end:
        planned_end = date_format(line.project.planned_end, "SHORT_DATE_FORMAT")
        reasons.append(_("planned to end %(date)s") % {"date": planned_end})
    return format_html('<span class="dash-alert">{}</span>', "; ".join(reasons))


# --- Rendered once per set of figures: {% memo %} (pages.memo) ----------------------------------

register.tag("memo", memo)
