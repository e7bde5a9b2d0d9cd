"""Any sequence of postings and reversals keeps the reports equal to the ledger (hypothesis).

Each example posts a random sequence through ``budget.services`` and keeps its own account in
plain Python of what each accepted operation should have done. The model also predicts which
operations the services must refuse, so a rule that is too strict fails as well as one that is
too lax. At the end the report, the per-commitment balances and the stored rows are compared
with the model; none of the expectations comes from the aggregates the report itself uses.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from budget import reports, services, summaries
from budget.models import CostCategory, EntryKind, LedgerEntry
from projects.models import Project

pytestmark = pytest.mark.django_db

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
YEARS = (2024, 2025, 2026, 2027)
# ToR §5, Amgros: written out here rather than read back from the database.
ALLOCATED = {
    2024: Decimal("5000000.00"),
    2025: Decimal("3500000.00"),
    2026: Decimal("5000000.00"),
    2027: Decimal("5000000.00"),
}
CATEGORIES = ("secretariat", "project-management", "involvement", "communication")
PROJECTS = (None, "I", "II", "V")


@dataclass
class Line:
    """One accepted entry as the model sees it."""

    pk: int
    kind: str
    year: int
    category: str
    project: str | None
    amount: Decimal
    committed: Decimal
    spent: Decimal
    commitment: int | None = None
    reverses: int | None = None
    reversed: bool = False


@dataclass
class Model:
    lines: dict[int, Line] = field(default_factory=dict)

    def add(self, line: Line) -> None:
        self.lines[line.pk] = line

    def used(self, year: int) -> Decimal:
        return sum((line.committed + line.spent for line in self.lines.values() if line.year == year), ZERO)

    def open_on(self, commitment: int) -> Decimal:
        """The commitment, less what was drawn on it, plus what of that (or of it) was reversed."""
        total = ZERO
        for line in self.lines.values():
            drawn_on = line.commitment == commitment
            reversal_of_it = line.reverses is not None and (
                line.reverses == commitment or self.lines[line.reverses].commitment == commitment
            )
            if line.pk == commitment or drawn_on or reversal_of_it:
                total += line.committed
        return total

    def open_commitments(self) -> list[Line]:
        return [
            line for line in self.lines.values() if line.kind == EntryKind.COMMITMENT and not line.reversed
        ]

    def totals(self, key) -> dict[object, tuple[Decimal, Decimal]]:
        sums: dict[object, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for line in self.lines.values():
            sums[key(line)][0] += line.committed
            sums[key(line)][1] += line.spent
        return {k: (c, s) for k, (c, s) in sums.items()}


# Small sums, and sums of millions that take a year near or over its allocation in a few postings.
cents = st.one_of(st.integers(1, 50_000_00), st.integers(1_000_000_00, 4_000_000_00)).map(
    lambda n: Decimal(n) / 100
)
operation = st.one_of(
    # Up to exactly the allocation, one øre short of it, or one øre over it.
    st.tuples(
        st.just("fill"),
        st.sampled_from([EntryKind.COMMITMENT, EntryKind.EXPENSE]),
        st.sampled_from(YEARS),
        st.sampled_from(CATEGORIES),
        st.sampled_from(PROJECTS),
        st.sampled_from([Decimal("-0.01"), ZERO, Decimal("0.01")]),
        st.booleans(),
    ),
    st.tuples(
        st.sampled_from([EntryKind.COMMITMENT, EntryKind.EXPENSE]),
        st.sampled_from(YEARS),
        st.sampled_from(CATEGORIES),
        st.sampled_from(PROJECTS),
        cents,
        st.booleans(),  # name the steering decision
    ),
    st.tuples(
        st.sampled_from(["draw", "release"]),
        st.integers(0, 1000),  # which open commitment
        st.one_of(st.integers(1, 100), st.none()),  # percent of what is open, or a free amount
        cents,
        st.booleans(),
    ),
    st.tuples(st.just("reverse"), st.integers(0, 1000), st.booleans()),
)


@pytest.fixture
def cast(grant, categories, tor_projects, poster, steering_decision):
    return {
        "grant": grant,
        "categories": categories,
        "projects": {None: None, **{code: tor_projects[code] for code in PROJECTS if code}},
        "poster": poster,
        "decision": steering_decision,
    }


def over_without_decision(
    model: Model, year: int, committed: Decimal, spent: Decimal, decision: bool
) -> bool:
    before = model.used(year)
    after = before + committed + spent
    return after > before and after > ALLOCATED[year] and not decision


def check_warning(model: Model, year: int, warning: str) -> None:
    share = model.used(year) / ALLOCATED[year]
    assert bool(warning) == (share * 100 >= django_settings.BUDGET_WARNING_PERCENT), (year, share, warning)


def post_new(cast, model: Model, op) -> None:
    kind, year, category, project, amount, decision = op
    committed, spent = (amount, ZERO) if kind == EntryKind.COMMITMENT else (ZERO, amount)
    refused = over_without_decision(model, year, committed, spent, decision)
    try:
        result = services.ledger_post(
            grant=cast["grant"],
            year=year,
            kind=kind,
            amount=amount,
            category=cast["categories"][category],
            project=cast["projects"][project],
            decision=cast["decision"] if decision else None,
            description="Property",
            actor=cast["poster"],
        )
    except ValidationError:
        assert refused, ("refused", op)
        event(f"{kind}: refused")
        return
    assert not refused, ("accepted", op)
    over = model.used(year) + committed + spent > ALLOCATED[year]
    event(f"{kind}: {'over, with a decision' if over else 'posted'}")
    model.add(Line(result.entry.pk, kind, year, category, project, amount, committed, spent))
    check_warning(model, year, result.warning)


def post_against(cast, model: Model, op) -> None:
    what, pick, percent, free_amount, decision = op
    commitments = model.open_commitments()
    if not commitments:
        return
    target = commitments[pick % len(commitments)]
    still_open = model.open_on(target.pk)
    amount = (
        free_amount if percent is None else (still_open * percent / 100).quantize(CENT, rounding="ROUND_DOWN")
    )
    if amount <= 0:
        return
    kind = EntryKind.EXPENSE if what == "draw" else EntryKind.RELEASE
    # Either way the open commitment falls; an expense moves it to spent, a release frees it.
    committed, spent = (-amount, amount) if kind == EntryKind.EXPENSE else (-amount, ZERO)
    refused = amount > still_open or over_without_decision(model, target.year, committed, spent, decision)
    try:
        result = services.ledger_post(
            grant=cast["grant"],
            year=target.year,
            kind=kind,
            amount=amount,
            category=cast["categories"][target.category],
            project=cast["projects"][target.project],
            decision=cast["decision"] if decision else None,
            commitment=LedgerEntry.objects.get(pk=target.pk),
            description="Property",
            actor=cast["poster"],
        )
    except ValidationError:
        assert refused, ("refused", op, still_open)
        event(f"{what}: refused")
        return
    assert not refused, ("accepted", op, still_open)
    event(f"{what}: posted")
    signed = amount if kind == EntryKind.EXPENSE else -amount
    model.add(
        Line(
            result.entry.pk,
            kind,
            target.year,
            target.category,
            target.project,
            signed,
            committed,
            spent,
            commitment=target.pk,
        )
    )
    check_warning(model, target.year, result.warning)


def reverse(cast, model: Model, op) -> None:
    _, pick, decision = op
    if not model.lines:
        return
    # Any entry at all, reversals and reversed ones included: those must be refused.
    pks = sorted(model.lines)
    target = model.lines[pks[pick % len(pks)]]
    drawn_on_it = [
        line for line in model.lines.values() if line.commitment == target.pk and not line.reversed
    ]
    refused = (
        target.kind == EntryKind.REVERSAL
        or target.reversed
        or bool(drawn_on_it)
        or over_without_decision(model, target.year, -target.committed, -target.spent, decision)
    )
    try:
        result = services.ledger_reverse(
            entry=LedgerEntry.objects.get(pk=target.pk),
            actor=cast["poster"],
            reason="Property",
            decision=cast["decision"] if decision else None,
        )
    except ValidationError:
        assert refused, ("refused", op, target)
        event(f"reverse {target.kind}: refused")
        return
    assert not refused, ("accepted", op, target)
    event(f"reverse {target.kind}: posted")
    target.reversed = True
    model.add(
        Line(
            result.entry.pk,
            EntryKind.REVERSAL,
            target.year,
            target.category,
            target.project,
            -target.amount,
            -target.committed,
            -target.spent,
            reverses=target.pk,
        )
    )
    check_warning(model, target.year, result.warning)


def fill(cast, model: Model, op) -> None:
    _, kind, year, category, project, beyond, decision = op
    amount = ALLOCATED[year] - model.used(year) + beyond
    if amount > 0:
        post_new(cast, model, (kind, year, category, project, amount, decision))


def apply(cast, model: Model, op) -> None:
    if op[0] == "fill":
        fill(cast, model, op)
    elif op[0] in (EntryKind.COMMITMENT, EntryKind.EXPENSE):
        post_new(cast, model, op)
    elif op[0] in ("draw", "release"):
        post_against(cast, model, op)
    else:
        reverse(cast, model, op)


def assert_ledger_matches(cast, model: Model) -> None:
    rows = {entry.pk: entry for entry in LedgerEntry.objects.all()}
    assert sorted(rows) == sorted(model.lines)
    for pk, line in model.lines.items():
        row = rows[pk]
        assert (row.kind, row.year, row.amount, row.committed_effect, row.spent_effect) == (
            line.kind,
            line.year,
            line.amount,
            line.committed,
            line.spent,
        )
        if row.reverses_id is not None:
            original = rows[row.reverses_id]
            assert row.amount + original.amount == ZERO
            assert row.committed_effect + original.committed_effect == ZERO
            assert row.spent_effect + original.spent_effect == ZERO


def assert_report_matches(cast, model: Model) -> None:
    report = reports.build()
    committed = sum((line.committed for line in model.lines.values()), ZERO)
    spent = sum((line.spent for line in model.lines.values()), ZERO)
    assert (report.total.committed, report.total.spent) == (committed, spent)
    assert report.total.allocated == sum(ALLOCATED.values())

    by_year = model.totals(lambda line: line.year)
    assert report.years == list(YEARS)
    for year in YEARS:
        figures = report.by_year[year]
        assert figures.allocated == ALLOCATED[year]
        assert (figures.committed, figures.spent) == by_year.get(year, (ZERO, ZERO))

    by_category = model.totals(lambda line: line.category)
    assert {
        typing.cast(CostCategory, row.key).code: (row.total.committed, row.total.spent)
        for row in report.by_category
    } == {code: by_category.get(code, (ZERO, ZERO)) for code in CATEGORIES}
    by_project = model.totals(lambda line: line.project)
    assert {
        (typing.cast(Project, row.key).code if row.key else None): (row.total.committed, row.total.spent)
        for row in report.by_project
    } == by_project

    for rows in (report.by_category, report.by_project):
        assert sum((row.total.committed for row in rows), ZERO) == committed
        assert sum((row.total.spent for row in rows), ZERO) == spent
        for year in YEARS:
            assert sum((row.cell(year).used for row in rows), ZERO) == report.by_year[year].used


def assert_commitments_match(model: Model) -> None:
    for line in model.lines.values():
        if line.kind != EntryKind.COMMITMENT:
            continue
        expected = model.open_on(line.pk)
        assert expected >= ZERO
        assert services.commitment_open(LedgerEntry.objects.get(pk=line.pk)) == expected


def postings_keep_reports_equal_to_the_ledger(cast, operations) -> None:
    with transaction.atomic():
        model = Model()
        for op in operations:
            apply(cast, model, op)
            for year in YEARS:
                balance = services.year_balance(cast["grant"], year)
                assert balance.used == model.used(year)
        assert_ledger_matches(cast, model)
        assert_report_matches(cast, model)
        assert_commitments_match(model)
        # The summary the reports read (issue 21) is what grouping the ledger itself says.
        assert summaries.stored_sums() == summaries.raw_sums()
        transaction.set_rollback(True)
    assert LedgerEntry.objects.count() == 0


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=4, max_size=20))
def test_any_postings_and_reversals_keep_every_report_equal_to_the_ledger(cast, operations):
    postings_keep_reports_equal_to_the_ledger(cast, operations)


@pytest.mark.postgres
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=4, max_size=20))
def test_on_postgresql_any_postings_and_reversals_keep_the_summary_equal_to_the_ledger(cast, operations):
    postings_keep_reports_equal_to_the_ledger(cast, operations)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(
        st.tuples(
            st.sampled_from([EntryKind.COMMITMENT, EntryKind.EXPENSE]),
            st.sampled_from(YEARS),
            st.sampled_from(CATEGORIES),
            st.sampled_from(PROJECTS),
            cents,
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_year_goes_over_its_allocation_only_on_a_posting_that_names_a_decision(cast, operations):
    with transaction.atomic():
        model = Model()
        for op in operations:
            year, decision = op[1], op[5]
            was_over = model.used(year) > ALLOCATED[year]
            post_new(cast, model, op)
            now_over = model.used(year) > ALLOCATED[year]
            if now_over and not was_over:
                last = max(model.lines.values(), key=lambda line: line.pk)
                assert decision
                assert LedgerEntry.objects.get(pk=last.pk).decision == cast["decision"]
        for year in YEARS:
            used = sum(
                (e.committed_effect + e.spent_effect for e in LedgerEntry.objects.filter(year=year)), ZERO
            )
            if used > ALLOCATED[year]:
                assert LedgerEntry.objects.filter(year=year, decision=cast["decision"]).exists()
        transaction.set_rollback(True)
