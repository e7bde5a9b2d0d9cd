"""Allocated / committed / spent / remaining, checked against postings made in the test."""

import datetime
from decimal import Decimal
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget import reports, services
from budget.models import Allocation, CostCategory, EntryKind, Grant, GrantHolder, LedgerEntry
from budget.summaries import ledger_summaries_rebuild
from projects.finance import FinanceYear, finance_for
from tests.factories import post

pytestmark = pytest.mark.django_db

D = Decimal
ZERO = D("0.00")


@pytest.fixture
def ledger(grant, categories, tor_projects, poster):
    """2025: DKK 100,000 committed to analysis II, 30,000 paid and 10,000 released against it;
    2026: DKK 20,000.50 spent on communication, not tied to a project; a mistake posted and reversed."""
    commitment = post(
        grant, categories["project-management"], poster, amount="100000.00", project=tor_projects["II"]
    ).entry
    for kind, amount in ((EntryKind.EXPENSE, "30000.00"), (EntryKind.RELEASE, "10000.00")):
        post(
            grant,
            categories["project-management"],
            poster,
            kind=kind,
            amount=amount,
            project=tor_projects["II"],
            commitment=commitment,
        )
    post(grant, categories["communication"], poster, kind=EntryKind.EXPENSE, amount="20000.50", year=2026)
    mistake = post(
        grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE, amount="999.99", year=2027
    ).entry
    services.ledger_reverse(entry=mistake, actor=poster, reason="Wrong grant")


def figures(f):
    return (f.allocated, f.committed, f.spent, f.remaining)


def test_per_year_allocated_committed_spent_and_remaining(ledger):
    report = reports.build()

    assert report.years == [2024, 2025, 2026, 2027]
    assert [(year, *figures(f)) for year, f in report.year_rows()] == [
        (2024, D("5000000.00"), ZERO, ZERO, D("5000000.00")),
        (2025, D("3500000.00"), D("60000.00"), D("30000.00"), D("3410000.00")),
        (2026, D("5000000.00"), ZERO, D("20000.50"), D("4979999.50")),
        (2027, D("5000000.00"), ZERO, ZERO, D("5000000.00")),
    ]


def test_the_total_over_the_period(ledger):
    report = reports.build()

    assert figures(report.total) == (D("18500000.00"), D("60000.00"), D("50000.50"), D("18389999.50"))
    assert report.total.used == D("110000.50")
    assert report.total.over is False


def test_by_category(ledger):
    report = reports.build()

    assert [
        (cast(CostCategory, row.key).code, row.total.committed, row.total.spent, sorted(row.years))
        for row in report.by_category
    ] == [
        ("secretariat", ZERO, ZERO, [2027]),
        ("project-management", D("60000.00"), D("30000.00"), [2025]),
        ("involvement", ZERO, ZERO, []),
        ("communication", ZERO, D("20000.50"), [2026]),
    ]
    assert report.by_category[3].cell(2026).spent == D("20000.50")
    assert report.by_category[3].cell(2025).spent == ZERO
    assert (
        report.by_category[1].label == "Project management and completion of analyses, pilot projects, etc."
    )


def test_by_project_with_the_untied_money_last(ledger, tor_projects):
    report = reports.build()

    assert [(row.key, row.label, row.total.committed, row.total.spent) for row in report.by_project] == [
        (tor_projects["II"], str(tor_projects["II"]), D("60000.00"), D("30000.00")),
        (None, "Not tied to a project", ZERO, D("20000.50")),
    ]
    assert report.by_project[0].cell(2025).committed == D("60000.00")
    assert sorted(report.by_project[1].years) == [2026, 2027]


def test_without_breakdowns_the_years_quarters_and_total_are_the_full_reports(
    ledger, django_assert_num_queries
):
    full = reports.build(year=2026)
    with django_assert_num_queries(2):  # the allocations with their grants, and the sums by year and quarter
        light = reports.build(year=2026, breakdowns=False)

    assert [(year, *figures(f)) for year, f in light.year_rows()] == [
        (year, *figures(f)) for year, f in full.year_rows()
    ]
    assert figures(light.total) == figures(full.total)
    assert {k: (f.committed, f.spent) for k, f in light.by_quarter.items()} == {
        k: (f.committed, f.spent) for k, f in full.by_quarter.items()
    }
    assert light.by_quarter and light.selected_year == 2026
    assert light.by_category == [] and light.by_project == []


def test_a_year_can_be_chosen(ledger):
    report = reports.build(year=2026)

    assert report.selected_year == 2026
    assert report.shown_years == [2026]
    assert figures(report.shown) == (D("5000000.00"), ZERO, D("20000.50"), D("4979999.50"))


def test_a_year_outside_the_allocations_shows_the_whole_period(ledger):
    report = reports.build(year=2031)

    assert report.selected_year is None
    assert report.shown_years == [2024, 2025, 2026, 2027]
    assert figures(report.shown) == figures(report.total)


def test_the_danish_medicines_agency_money_is_listed_but_not_in_the_figures(ledger, dkma_grant):
    report = reports.build()

    assert [line.grant.code for line in report.grants] == ["ls-2024-2027-amgros", "ls-2024-2027-dkma"]
    assert report.grants[1].years == {
        2024: D("1000000.00"),
        2025: D("2000000.00"),
        2026: D("2000000.00"),
        2027: D("2000000.00"),
    }
    assert report.total.allocated == D("18500000.00")
    assert reports.build(grant=dkma_grant).total.allocated == D("7000000.00")


def test_a_report_for_one_grant_holds_only_its_money(ledger, categories, poster):
    foundation = Grant.objects.create(
        code="foundation",
        name_da="Fond",
        name_en="Foundation",
        source="A foundation",
        holder=GrantHolder.AMGROS,
    )
    Allocation.objects.create(grant=foundation, year=2026, amount=D("250000.00"))
    post(foundation, categories["involvement"], poster, kind=EntryKind.EXPENSE, amount="1234.56", year=2026)

    one = reports.build(grant=foundation)
    everything = reports.build()

    assert one.grant == foundation
    assert one.years == [2026]
    assert figures(one.total) == (D("250000.00"), ZERO, D("1234.56"), D("248765.44"))
    assert figures(everything.by_year[2026]) == (D("5250000.00"), ZERO, D("21235.06"), D("5228764.94"))


def test_a_year_over_its_allocation_is_marked(grant, categories, poster, steering_decision):
    post(grant, categories["project-management"], poster, amount="3600000.00", decision=steering_decision)

    report = reports.build()

    assert report.by_year[2025].over is True
    assert report.by_year[2025].remaining == D("-100000.00")
    assert report.by_year[2025].used_share == D("3600000.00") / D("3500000.00")
    assert report.by_year[2024].over is False
    assert report.total.over is False


def test_the_ledger_totals_are_the_sum_of_the_lines(ledger):
    totals = reports.ledger_totals(LedgerEntry.objects.filter(year=2025))

    assert (totals.committed, totals.spent) == (D("60000.00"), D("30000.00"))


def test_an_empty_ledger_reports_the_allocations_and_nothing_used(budget_data):
    report = reports.build()

    assert figures(report.total) == (D("18500000.00"), ZERO, ZERO, D("18500000.00"))
    assert report.by_project == []
    assert [row.total.used for row in report.by_category] == [ZERO] * 4


# --- A project's finance on the project page ---------------------------------------------------


def test_a_projects_finance_is_what_the_ledger_holds_for_it_per_year(
    ledger, grant, categories, tor_projects, poster
):
    post(
        grant,
        categories["involvement"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="500.00",
        year=2027,
        project=tor_projects["II"],
    )

    finance = finance_for(tor_projects["II"])

    assert finance is not None

    assert finance.years == [
        FinanceYear(year=2025, committed=D("60000.00"), spent=D("30000.00")),
        FinanceYear(year=2027, committed=ZERO, spent=D("500.00")),
    ]
    assert (finance.committed, finance.spent, finance.total) == (D("60000.00"), D("30500.00"), D("90500.00"))
    assert finance.report_url == reverse("budget:ledger") + f"?project={tor_projects['II'].pk}"


def test_a_projects_finance_agrees_with_the_reports_project_row(ledger, tor_projects):
    row = next(row for row in reports.build().by_project if row.key == tor_projects["II"])
    finance = finance_for(tor_projects["II"])
    assert finance is not None

    assert [(y.year, y.committed, y.spent) for y in finance.years] == [
        (year, f.committed, f.spent) for year, f in sorted(row.years.items())
    ]


def test_a_project_without_postings_has_no_finance(ledger, tor_projects):
    assert finance_for(tor_projects["III"]) is None


# --- Cost -------------------------------------------------------------------------------------


def bulk_entries(grant, categories, projects, poster, count):
    """``count`` valid expenses spread over years, categories and projects (a fast way to a big ledger)."""
    categories, projects = list(categories.values()), list(projects.values())
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            date=datetime.date(2025, 1, 1),
            year=2024 + n % 4,
            grant=grant,
            category=categories[n % len(categories)],
            project=projects[n % len(projects)],
            kind=EntryKind.EXPENSE,
            amount=D("10.00"),
            committed_effect=ZERO,
            spent_effect=D("10.00"),
            description=f"Line {n}",
            posted_by=poster,
        )
        for n in range(count)
    )
    ledger_summaries_rebuild()  # past ledger_post, so summed again as the migration does


def report_queries():
    with CaptureQueriesContext(connection) as queries:
        report = reports.build()
    return len(queries), report.total.spent


def test_a_report_costs_the_same_queries_for_3_entries_and_for_300(grant, categories, tor_projects, poster):
    bulk_entries(grant, categories, tor_projects, poster, 3)
    small, spent_small = report_queries()
    bulk_entries(grant, categories, tor_projects, poster, 297)
    large, spent_large = report_queries()

    assert (spent_small, spent_large) == (D("30.00"), D("3000.00"))
    # the grants' lines (with the allocations), category names, the summary's grouped sum, project names
    assert small == large == 4


def test_report_figures_are_exact_to_the_ore_on_every_database(grant, categories, tor_projects, poster):
    # SQLite adds decimals as floats: without rounding, 0.15 − 0.14 would be 0.00999999999999998.
    commitment = post(
        grant, categories["secretariat"], poster, amount="0.15", project=tor_projects["I"]
    ).entry
    post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="0.14",
        commitment=commitment,
        project=tor_projects["I"],
    )

    report = reports.build()
    totals = reports.ledger_totals(LedgerEntry.objects.all())
    finance = finance_for(tor_projects["I"])
    assert finance is not None

    assert str(report.by_year[2025].committed) == "0.01"
    assert str(report.total.remaining) == "18499999.85"
    assert str(report.by_category[0].total.committed) == "0.01"
    assert str(totals.committed) == "0.01"
    assert str(finance.years[0].committed) == "0.01"
