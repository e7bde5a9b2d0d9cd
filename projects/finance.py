"""The seam between a project and the money the ledger holds for it.

Dependencies point budget → projects, so the project page cannot import the budget app.
Instead budget registers a provider in its ``AppConfig.ready()``; the project page asks
``finance_for(project)`` and shows nothing when no provider is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class FinanceYear:
    year: int
    committed: Decimal
    spent: Decimal


@dataclass(frozen=True)
class ProjectFinance:
    """What the ledger holds for one project, in DKK.

    ``committed`` is the open commitment (committed, less released and spent against it);
    ``spent`` the expenses; both net of reversals.
    """

    committed: Decimal
    spent: Decimal
    years: list[FinanceYear] = field(default_factory=list)
    report_url: str = ""  # where the entries behind the figures are listed

    @property
    def total(self) -> Decimal:
        return self.committed + self.spent


_providers: list[Callable] = []


def register_finance_provider(provider: Callable) -> None:
    """``provider(project) -> ProjectFinance | None``; registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def finance_for(project) -> ProjectFinance | None:
    for provider in _providers:
        result = provider(project)
        if result is not None:
            return result
    return None
