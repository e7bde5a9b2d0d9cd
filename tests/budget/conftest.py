"""The budget's reference data (ToR §5), the people who post, and the decisions they name."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from budget import services
from budget.models import CostCategory, EntryKind, Grant
from budget.reference_data import load as load_budget
from governance import services as governance
from projects.models import Project
from projects.reference_data import load as load_projects
from tests.governance.helpers import plan

AMGROS = "ls-2024-2027-amgros"
DKMA = "ls-2024-2027-dkma"
ON = datetime.date(2025, 3, 14)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); amounts then read "DKK 1,234.00"."""
    with translation.override("en"):
        yield


@pytest.fixture
def budget_data(db):
    """ToR §5 as `load_reference_data` makes it: four cost categories, the Amgros and DKMA grants."""
    load_budget()


@pytest.fixture
def grant(budget_data):
    """The Strategy's DKK 18.5 million to Amgros, managed in this ledger."""
    return Grant.objects.get(code=AMGROS)


@pytest.fixture
def dkma_grant(budget_data):
    """The Danish Medicines Agency's DKK 7.0 million: shown, never posted to."""
    return Grant.objects.get(code=DKMA)


@pytest.fixture
def categories(budget_data):
    return {category.code: category for category in CostCategory.objects.all()}


@pytest.fixture
def tor_projects(db):
    load_projects()
    return {project.code: project for project in Project.objects.all()}


@pytest.fixture
def poster(secretariat):
    return secretariat


@pytest.fixture
def steering_decision(governance_bodies):
    meeting = plan(governance_bodies["steering-group"], in_days=-10)
    return governance.decision_record(
        meeting=meeting, title="Overspend on analysis II", text="The steering group approves the overspend."
    )


@pytest.fixture
def reference_decision(governance_bodies):
    meeting = plan(governance_bodies["reference-group"], in_days=-10)
    return governance.decision_record(meeting=meeting, title="Advice", text="The reference group advises.")


def post(grant, category, by, *, kind=EntryKind.COMMITMENT, amount="1000.00", year=2025, **fields):
    """One posting through the service, with the dull fields filled in."""
    fields.setdefault("description", f"{kind} {amount}")
    fields.setdefault("date", ON)
    return services.ledger_post(
        grant=grant, year=year, kind=kind, amount=Decimal(amount), category=category, by=by, **fields
    )
