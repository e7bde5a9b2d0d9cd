"""Allocated / committed / spent / remaining, per year and in total, by category and by project.

Every figure is a sum of the ledger's effect columns (``committed_effect``, ``spent_effect``)
over the managed grants, read from the summary ``budget.services`` keeps in the same transaction
as each posting (``budget.summaries``; a property test keeps it equal to the ledger), so a report
costs a fixed number of queries and the same time whatever the size of the ledger: one for the
allocations, one grouped sum over the summary, and one each for the names of categories,
projects and grants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from budget.models import ZERO, Allocation, CostCategory, Grant, LedgerSummary, kroner


@dataclass
class Figures:
    allocated: Decimal | None = None
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.used

    @property
    def used_share(self) -> Decimal | None:
        if not self.allocated:
            return None
        return self.used / self.allocated

    @property
    def over(self) -> bool:
        return self.allocated is not None and self.used > self.allocated

    def add(self, committed: Decimal, spent: Decimal) -> None:
        self.committed += committed
        self.spent += spent


@dataclass
class Row:
    """One line of a breakdown (a category or a project): per year and in total."""

    key: object
    label: str
    years: dict[int, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)
    order: int = 0

    def cell(self, year: int) -> Figures:
        return self.years.get(year) or Figures()


@dataclass
class GrantLine:
    grant: Grant
    years: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.years.values(), ZERO)


@dataclass
class Report:
    years: list[int]
    by_year: dict[int, Figures]
    total: Figures
    by_category: list[Row]
    by_project: list[Row]
    grants: list[GrantLine]
    selected_year: int | None = None
    grant: Grant | None = None
    # Committed and spent by the quarter of the voucher date (the dashboard's burn chart).
    by_quarter: dict[tuple[int, int], Figures] = field(default_factory=dict)

    def year_rows(self) -> list[tuple[int, Figures]]:
        return [(year, self.by_year[year]) for year in self.years]

    @property
    def shown_years(self) -> list[int]:
        return [self.selected_year] if self.selected_year else self.years

    @property
    def shown(self) -> Figures:
        """The figures for the year chosen, or the whole period."""
        return self.by_year.get(self.selected_year, Figures()) if self.selected_year else self.total


def build(*, year: int | None = None, grant: Grant | None = None, breakdowns: bool = True) -> Report:
    """The report over the managed grants (or one grant), for every year, with ``year`` marked.

    ``breakdowns=False`` leaves the rows by category and by project
    empty (the dashboard shows years and quarters only): the summary is then summed by year and
    quarter in SQL, a few dozen rows instead of one per year, quarter, category and project, and
    the categories and projects are not read (issue 21).
    """
    grants = Grant.objects.filter(is_managed=True) if grant is None else Grant.objects.filter(pk=grant.pk)

    # The allocations come with the grant lines ("where the money comes from"): one read for both.
    lines = grant_lines()
    by_year: dict[int, Figures] = {}
    for line in lines:
        if line.grant.is_managed if grant is None else line.grant.pk == grant.pk:
            for allocation_year, amount in line.years.items():
                figures = by_year.setdefault(allocation_year, Figures(allocated=ZERO))
                figures.allocated = kroner((figures.allocated or ZERO) + amount)
    by_year = dict(sorted(by_year.items()))

    categories = {c.pk: Row(key=c, label=c.name) for c in CostCategory.objects.all()} if breakdowns else {}
    rows_by_project: dict[int | None, Row] = {}
    by_quarter: dict[tuple[int, int], Figures] = {}
    dimensions = ["year", "date_year", "date_quarter"] + (["category_id", "project_id"] if breakdowns else [])
    sums = (
        LedgerSummary.objects.filter(grant__in=grants)
        .values(*dimensions)
        .annotate(committed=Sum("committed"), spent=Sum("spent"))
        .order_by()
    )
    for row in sums:
        committed, spent = kroner(row["committed"]), kroner(row["spent"])
        by_quarter.setdefault((row["date_year"], row["date_quarter"]), Figures()).add(committed, spent)
        by_year.setdefault(row["year"], Figures(allocated=ZERO)).add(committed, spent)
        if breakdowns:
            for breakdown_row in (
                categories[row["category_id"]],
                rows_by_project.setdefault(row["project_id"], Row(key=row["project_id"], label="")),
            ):
                breakdown_row.years.setdefault(row["year"], Figures()).add(committed, spent)
                breakdown_row.total.add(committed, spent)

    _name_projects(rows_by_project)
    years = sorted(by_year)
    total = Figures(allocated=sum((f.allocated or ZERO for f in by_year.values()), ZERO))
    for figures in by_year.values():
        total.add(figures.committed, figures.spent)

    return Report(
        years=years,
        by_year=by_year,
        total=total,
        by_category=list(categories.values()),
        by_project=sorted(rows_by_project.values(), key=lambda r: (r.order, r.label)),
        grants=lines,
        selected_year=year if year in by_year else None,
        grant=grant,
        by_quarter=by_quarter,
    )


def _name_projects(rows: dict[int | None, Row]) -> None:
    from django.utils.translation import gettext as _

    from projects.models import Project

    named = [k for k in rows if k is not None]
    by_pk = {p.pk: p for p in Project.objects.filter(pk__in=named)} if named else {}
    for key, row in rows.items():
        if key is None:
            row.label = _("Not tied to a project")
            row.order = 10_000
        else:
            project = by_pk[key]
            row.key = project
            row.label = str(project)
            row.order = project.position


def grant_lines() -> list[GrantLine]:
    """Every grant (managed or not) with its allocations per year ("where the money comes from")."""
    lines: dict[int, GrantLine] = {}
    for allocation in Allocation.objects.select_related("grant").order_by(
        "grant__position", "grant__code", "year"
    ):
        line = lines.setdefault(allocation.grant_id, GrantLine(grant=allocation.grant, years={}))
        line.years[allocation.year] = allocation.amount
    return list(lines.values())


@dataclass
class LedgerTotals(Figures):
    entries: int = 0


def ledger_totals(entries) -> LedgerTotals:
    """Count and sums of a ledger queryset's effects, in one pass (the ledger page's totals)."""
    sums = entries.order_by().aggregate(
        n=Count("pk"), committed=Sum("committed_effect"), spent=Sum("spent_effect")
    )
    return LedgerTotals(committed=kroner(sums["committed"]), spent=kroner(sums["spent"]), entries=sums["n"])


def ledger_summary_totals(**filters) -> LedgerTotals:
    """The same for the managed grants narrowed by grant, year, category or project only: from the
    summary ``budget.services`` keeps, whatever the size of the ledger."""
    sums = LedgerSummary.objects.filter(grant__is_managed=True, **filters).aggregate(
        n=Sum("entries"), committed=Sum("committed"), spent=Sum("spent")
    )
    return LedgerTotals(
        committed=kroner(sums["committed"]), spent=kroner(sums["spent"]), entries=sums["n"] or 0
    )
