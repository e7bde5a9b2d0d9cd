from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    """The DKK ledger of the Strategy for life science 2024–2027 (filled by the budget issue)."""

    name = "budget"
    verbose_name = _("Budget")
