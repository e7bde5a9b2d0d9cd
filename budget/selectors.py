"""Budget reads shared by the pages, scoped to who may see them.

The budget is for the steering group and the secretariat (ToR §3: the steering group decides,
Amgros manages the money); applicants and the public see none of it.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Sum
from django.urls import reverse

from budget.models import (
    ZERO,
    FundingApplication,
    FundingApplicationQuerySet,
    LedgerEntry,
    LedgerSummary,
    kroner,
)
from projects.finance import FinanceYear, ProjectFinance


def ledger_entries() -> QuerySet[LedgerEntry]:
    """The ledger of the managed grants, with what a list line shows."""
    return LedgerEntry.objects.managed().select_related(
        "grant", "category", "project", "decision", "posted_by", "reversed_by"
    )


def ledger_listed(entries: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    """The entries with what a line of the ledger list shows: its category, project and decision
    joined, and the entry that reverses it read for the page's entries only. Joining that one too
    (the ledger with itself, seven tables in all) cost PostgreSQL ~20 ms to plan for a 1 ms run."""
    return (
        entries.select_related(None)
        .select_related("category", "project", "decision")
        .prefetch_related(Prefetch("reversed_by", queryset=LedgerEntry.objects.only("pk", "reverses")))
    )


def applications() -> FundingApplicationQuerySet:
    return FundingApplication.objects.select_related("decision", "grant", "project")


def project_finance(project) -> ProjectFinance | None:
    """What the ledger holds for one project, per year (the provider behind ``projects.finance``)."""
    rows = list(
        LedgerSummary.objects.filter(grant__is_managed=True, project=project)
        .values("year")
        .annotate(committed=Sum("committed"), spent=Sum("spent"))
        .order_by("year")
    )
    if not rows:
        return None
    years = [
        FinanceYear(year=r["year"], committed=kroner(r["committed"]), spent=kroner(r["spent"])) for r in rows
    ]
    return ProjectFinance(
        committed=sum((y.committed for y in years), ZERO),
        spent=sum((y.spent for y in years), ZERO),
        years=years,
        report_url=reverse("budget:ledger") + f"?project={project.pk}",
    )
