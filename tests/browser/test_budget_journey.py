"""The secretariat posts and corrects the ledger; the report, the project page and the export agree;
a foundation application goes through the steering group to a grant."""

import re
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from playwright.sync_api import expect

from budget.models import ApplicationStatus, EntryKind, FundingApplication, Grant, LedgerEntry
from budget.reference_data import load as load_budget
from governance import services as governance
from governance.models import Body
from governance.reference_data import load as load_governance
from projects.models import Project
from projects.reference_data import load as load_projects
from tests.conftest import totp_code
from tests.factories import plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def decision(db):
    load_governance()
    load_projects()
    load_budget()
    meeting = plan(Body.objects.get(code="steering-group"), in_days=-14)
    return governance.decision_record(
        actor=None,
        meeting=meeting,
        title="Ansøgning til Eksempelfonden kan indsendes",
        text="Styregruppen godkender, at ansøgningen indsendes.",
    )


def _save(page):
    page.locator("input[name=_save]").click()


def _post(page, *, category, kind, amount, description, project=None, commitment=None):
    page.goto("/admin/budget/ledgerentry/add/")
    page.fill("#id_date", "02.03.2026")
    page.fill("#id_year", "2026")
    page.select_option("#id_category", label=category)
    page.select_option("#id_kind", kind)
    page.fill("#id_amount", amount)
    if project:
        page.select_option("#id_project", str(project.pk))
    if commitment:
        page.select_option("#id_commitment", str(commitment.pk))
    page.fill("#id_description", description)
    _save(page)
    expect(page.locator(".messagelist")).to_contain_text(description)
    return LedgerEntry.objects.order_by("-pk").first()


def test_the_secretariat_posts_reverses_and_the_report_project_page_and_export_agree(
    page, live_server, screenshot, secretariat, steering_member, decision
):
    page.goto("/admin/budget/ledgerentry/add/")
    page.fill("#id_login", secretariat.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.fill("#id_code", totp_code())
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/admin/budget/ledgerentry/add/")

    analysis_one = Project.objects.get(code="I")
    management = "Projektledelse og gennemførelse af analyser, pilotprojekter mv."
    commitment = _post(
        page,
        category=management,
        kind="commitment",
        amount="900000",
        description="Konsulentbistand til analyse I",
        project=analysis_one,
    )
    assert (commitment.kind, commitment.amount) == (EntryKind.COMMITMENT, Decimal("900000.00"))
    _post(
        page,
        category=management,
        kind="expense",
        amount="360000",
        description="Analyse I: 1. rate",
        project=analysis_one,
        commitment=commitment,
    )
    wrong = _post(
        page,
        category="Kommunikation og formidling",
        kind="expense",
        amount="48000",
        description="Rejse, forkert",
    )

    # Too much without a decision: refused next to the field, and the typed text stays.
    page.goto("/admin/budget/ledgerentry/add/")
    page.fill("#id_year", "2026")
    page.select_option("#id_category", label=management)
    page.select_option("#id_kind", "expense")
    page.fill("#id_amount", "9000000")
    page.fill("#id_description", "Alt for meget")
    _save(page)
    expect(page.locator(".errorlist")).to_contain_text("styregruppens beslutning")
    expect(page.locator("#id_description")).to_have_value("Alt for meget")
    screenshot(page, "budget-admin-refused-da")

    # The wrong one is reversed from its page, with a reason.
    page.goto(f"/admin/budget/ledgerentry/{wrong.pk}/change/")
    page.get_by_role("link", name="Tilbagefør denne postering").click()
    page.fill("#id_reason", "bogført på forkert kategori")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 postering tilbageført")
    assert LedgerEntry.objects.get(reverses=wrong).amount == Decimal("-48000.00")
    screenshot(page, "budget-admin-ledger-da")

    # The steering group reads the report: 2026 has 540,000 open and 360,000 spent of 5 million.
    page.goto("/accounts/logout/")
    page.locator("#main-content").get_by_role("button", name="Log ud").click()
    page.goto("/accounts/login/?next=/budget/")
    page.fill("#id_login", steering_member.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/budget/")
    row_2026 = page.locator("tr", has=page.locator("th a", has_text="2026"))
    expect(row_2026).to_contain_text("5.000.000,00 kr.")
    expect(row_2026).to_contain_text("540.000,00 kr.")
    expect(row_2026).to_contain_text("360.000,00 kr.")
    expect(row_2026).to_contain_text("4.100.000,00 kr.")
    screenshot(page, "budget-report-da")

    page.goto(f"/projects/{analysis_one.code}/")
    expect(page.locator("main")).to_contain_text("540.000,00 kr.")
    expect(page.locator("main")).to_contain_text("360.000,00 kr.")

    page.goto("/budget/ledger/?year=2026")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("XLSX")).click()
    workbook = openpyxl.load_workbook(BytesIO(open(download.value.path(), "rb").read()), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    assert sum(Decimal(str(row[8])) for row in rows) == Decimal("1260000.00")  # 900k + 360k + 48k − 48k

    page.get_by_role("button", name="English").click()
    page.goto("/budget/")
    expect(page.locator("h1")).to_have_text("Budget")
    expect(page.locator("main")).to_contain_text("DKK 18,500,000")
    screenshot(page, "budget-report-en")
    assert page.csp_violations == []


def test_a_foundation_application_goes_through_the_steering_group_to_a_grant(
    page, live_server, screenshot, secretariat, decision
):
    page.goto("/admin/budget/fundingapplication/add/")
    page.fill("#id_login", secretariat.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.fill("#id_code", totp_code())
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/admin/budget/fundingapplication/add/")

    page.fill("#id_foundation", "Eksempelfonden")
    page.fill("#id_title", "Nordisk erfaringsnetværk")
    page.fill("#id_purpose", "To seminarer om året.")
    page.fill("#id_amount", "500000")
    page.locator("input[name=_continue]").click()
    application = FundingApplication.objects.get()

    for status, extra in [
        ("to_steering_group", {}),
        ("approved", {"#id_decision": str(decision.pk)}),
        ("submitted", {}),
    ]:
        page.select_option("#id_new_status", status)
        for selector, value in extra.items():
            page.select_option(selector, value)
        page.locator("input[name=_continue]").click()
        application.refresh_from_db()
        assert application.status == status
    page.select_option("#id_new_status", "granted")
    page.fill("#id_granted_per_year", "2026: 250.000\n2027: 250.000")
    screenshot(page, "budget-admin-application-da")
    page.locator("input[name=_continue]").click()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    grant = Grant.objects.get(application=application)
    assert sum(grant.allocations.values_list("amount", flat=True)) == Decimal("500000.00")

    page.goto("/budget/")
    expect(page.locator("main")).to_contain_text("Nordisk erfaringsnetværk")
    expect(page.locator("main")).to_contain_text("19.000.000")  # 18.5 million and the new 0.5 million
