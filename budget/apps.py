from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    """The DKK ledger of the Strategy for life science 2024–2027, and funding applications."""

    name = "budget"
    verbose_name = _("Budget")
    # Ledger entries are added and never changed or deleted (corrections are reversals).
    # Grants and applications are kept for the record, so nothing here can be deleted.
    secretariat_permissions = {
        "ledgerentry": ["view", "add"],
        "grant": ["view", "add", "change"],
        "allocation": ["view", "add", "change"],
        "costcategory": ["view"],
        "fundingapplication": ["view", "add", "change"],
        "applicationevent": ["view"],
    }

    def ready(self):
        # Projects cannot import budget (dependencies point budget → projects): the project page
        # asks projects.finance, and budget answers through this provider.
        from budget.selectors import project_finance
        from projects.finance import register_finance_provider

        register_finance_provider(project_finance)

        # The ledger's workbook above XLSX_MAX_ENTRIES is built by a worker (budget/downloads.py).
        from budget.downloads import BUILDER
        from downloads.builders import register_builder

        register_builder(BUILDER)
