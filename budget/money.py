"""Kroner as people read them: 1.234.567,89 kr. in Danish, DKK 1,234,567.89 in English."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language


def format_dkk(amount: Decimal | int | None, *, decimals: int = 2) -> str:
    if amount is None:
        return "–"
    number = formats.number_format(Decimal(amount), decimals, use_l10n=True, force_grouping=True)
    if (get_language() or "da").startswith("en"):
        return f"DKK {number}" if not number.startswith("-") else f"-DKK {number[1:]}"
    return f"{number} kr."
