"""ToR §5's money, loaded to the krone: DKK 18.5 million managed here, 25.5 million in all."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from budget import reports
from budget.models import Allocation, CostCategory, Grant, GrantHolder
from budget.reference_data import load

pytestmark = pytest.mark.django_db

D = Decimal

TOR = {
    ("ls-2024-2027-amgros", 2024): D("5000000.00"),
    ("ls-2024-2027-amgros", 2025): D("3500000.00"),
    ("ls-2024-2027-amgros", 2026): D("5000000.00"),
    ("ls-2024-2027-amgros", 2027): D("5000000.00"),
    ("ls-2024-2027-dkma", 2024): D("1000000.00"),
    ("ls-2024-2027-dkma", 2025): D("2000000.00"),
    ("ls-2024-2027-dkma", 2026): D("2000000.00"),
    ("ls-2024-2027-dkma", 2027): D("2000000.00"),
}


def allocations():
    return {(a.grant.code, a.year): a.amount for a in Allocation.objects.select_related("grant")}


def test_the_first_load_creates_the_categories_grants_and_allocations(db):
    assert load() == ["Budget (ToR §5: 4 cost categories, 2 grants, 8 allocations): 14 created, 0 updated."]


def test_the_allocations_match_the_tor_to_the_krone(budget_data):
    assert allocations() == TOR


def test_amgros_holds_18_5_million_managed_here_and_25_5_million_in_all(budget_data):
    managed = Allocation.objects.filter(grant__is_managed=True).aggregate(total=Sum("amount"))["total"]
    everything = Allocation.objects.aggregate(total=Sum("amount"))["total"]

    assert managed == D("18500000.00")
    assert everything == D("25500000.00")


def test_the_report_allocates_the_managed_18_5_million_and_lists_all_25_5(budget_data):
    report = reports.build()

    assert report.total.allocated == D("18500000.00")
    assert {year: figures.allocated for year, figures in report.by_year.items()} == {
        2024: D("5000000.00"),
        2025: D("3500000.00"),
        2026: D("5000000.00"),
        2027: D("5000000.00"),
    }
    assert [(line.grant.code, line.total) for line in report.grants] == [
        ("ls-2024-2027-amgros", D("18500000.00")),
        ("ls-2024-2027-dkma", D("7000000.00")),
    ]
    assert sum(line.total for line in report.grants) == D("25500000.00")


def test_amgros_is_managed_and_the_danish_medicines_agency_only_shown(grant, dkma_grant):
    assert (grant.holder, grant.is_managed, grant.is_reference, grant.note) == (
        GrantHolder.AMGROS,
        True,
        True,
        "",
    )
    assert (dkma_grant.holder, dkma_grant.is_managed, dkma_grant.is_reference) == (
        GrantHolder.DKMA,
        False,
        True,
    )
    assert "not managed here" in dkma_grant.note
    assert list(Grant.objects.values_list("code", flat=True)) == ["ls-2024-2027-amgros", "ls-2024-2027-dkma"]


def test_the_four_cost_categories_of_the_tor_in_order(budget_data):
    assert list(CostCategory.objects.values_list("code", "name_en")) == [
        ("secretariat", "Secretariat services for the collaboration structure"),
        ("project-management", "Project management and completion of analyses, pilot projects, etc."),
        ("involvement", "Involvement and collaboration with relevant actors (meetings, travel and events)"),
        ("communication", "Communication and dissemination"),
    ]


def test_a_second_load_changes_nothing(budget_data):
    assert load() == ["Budget (ToR §5: 4 cost categories, 2 grants, 8 allocations): 0 created, 0 updated."]
    assert allocations() == TOR
    assert (CostCategory.objects.count(), Grant.objects.count(), Allocation.objects.count()) == (4, 2, 8)


def test_an_allocation_edited_away_from_the_tor_is_put_back(grant):
    Allocation.objects.filter(grant=grant, year=2025).update(amount=D("3600000.00"))

    assert load() == ["Budget (ToR §5: 4 cost categories, 2 grants, 8 allocations): 0 created, 1 updated."]
    assert Allocation.objects.get(grant=grant, year=2025).amount == D("3500000.00")


def test_a_deleted_allocation_is_made_again(grant):
    Allocation.objects.filter(grant=grant, year=2027).delete()

    assert load() == ["Budget (ToR §5: 4 cost categories, 2 grants, 8 allocations): 1 created, 0 updated."]
    assert allocations() == TOR


def test_the_danish_medicines_agency_grant_switched_to_managed_is_switched_back(dkma_grant):
    Grant.objects.filter(pk=dkma_grant.pk).update(is_managed=True, name_en="Renamed")

    assert load() == ["Budget (ToR §5: 4 cost categories, 2 grants, 8 allocations): 0 created, 1 updated."]
    dkma_grant.refresh_from_db()
    assert dkma_grant.is_managed is False
    assert dkma_grant.name_en == (
        "Strategy for life science 2024–2027: better early regulatory advice (Danish Medicines Agency)"
    )


def test_load_leaves_grants_and_allocations_it_does_not_own_alone(grant):
    other = Grant.objects.create(
        code="foundation", name_da="F", name_en="F", source="F", holder=GrantHolder.AMGROS
    )
    Allocation.objects.create(grant=other, year=2026, amount=D("1.00"))

    load()

    assert Allocation.objects.get(grant=other).amount == D("1.00")
    managed = Allocation.objects.filter(grant__is_managed=True).aggregate(total=Sum("amount"))["total"]
    assert managed == D("18500001.00")


def test_load_reference_data_loads_the_budget_too(db):
    out = StringIO()

    call_command("load_reference_data", stdout=out)

    assert (
        "Budget (ToR §5: 4 cost categories, 2 grants, 8 allocations): 14 created, 0 updated."
        in out.getvalue()
    )
    assert allocations() == TOR
