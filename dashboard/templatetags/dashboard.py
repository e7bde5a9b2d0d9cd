from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

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
