from django import template

from budget.money import format_dkk

register = template.Library()


@register.filter
def dkk(amount, decimals: int = 2):
    """``{{ amount|dkk }}`` → "1.234.567,89 kr." (da) or "DKK 1,234,567.89" (en)."""
    return format_dkk(amount, decimals=int(decimals))


@register.filter
def percent(share):
    """A share (0.914) as a whole percentage ("91 %"), or "–" when there is nothing to divide by."""
    if share is None:
        return "–"
    return f"{int(round(share * 100))} %"


@register.filter
def cell(row, year):
    """A breakdown row's figures for one year: ``{{ row|cell:year }}`` (``Row.cell``)."""
    return row.cell(year)


@register.filter
def get_amount(years: dict, year):
    return years.get(year)
