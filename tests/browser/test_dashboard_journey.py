"""A steering group member opens the dashboard from the menu, reads the five answers the meeting needs,
switches to English, and prints the page as a one-page brief; a reference member is told why not."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budget.models import EntryKind
from budget.reference_data import load as load_budget
from budget.services import ledger_post
from governance import services as governance
from governance.models import Body
from projects import services as projects
from projects.models import Project, ProjectStatus
from projects.reference_data import load as load_projects
from tests.factories import MilestoneFactory, UserFactory, plan, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def initiative(governance_bodies, secretariat):
    """This quarter's requests, a late analysis, money spent this year, the next steering meeting."""
    from budget.models import CostCategory, Grant

    load_projects()
    load_budget()
    today = timezone.localdate()
    steering = governance_bodies["steering-group"]
    applicant = UserFactory(email="anna.applicant@hospital.example", full_name="Anna Applicantsen")
    for topic in ("regulatory", "hta", "regulatory"):
        submit(applicant, topic=topic, subject="Anna's confidential CAR-T plan")
    decision = governance.decision_record(
        actor=None,
        meeting=plan(steering, in_days=-20),
        title="Analyse I igangsættes",
        text="Styregruppen godkender.",
    )
    first = Project.objects.get(code="I")
    projects.project_approve(actor=None, project=first, decision=decision)
    projects.project_transition(actor=None, project=first, to_status=ProjectStatus.IN_PROGRESS)
    MilestoneFactory.create(project=first, title_da="Interviews", due_date=today - datetime.timedelta(days=7))
    ledger_post(
        grant=Grant.objects.get(code="ls-2024-2027-amgros"),
        year=today.year,
        kind=EntryKind.EXPENSE,
        amount=Decimal("1250000.00"),
        category=CostCategory.objects.get(code="secretariat"),
        actor=secretariat,
        date=today,
        description="Sekretariatet, første halvår",
    )
    return {"next": plan(steering, in_days=9)}


def test_a_steering_member_reads_the_dashboard_and_prints_it_on_one_page(
    page, screenshot, steering_member, reference_member, initiative
):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    page.goto("/accounts/login/")
    page.fill("#id_login", steering_member.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Overblik").click()
    page.wait_for_url("**/dashboard/")

    tiles = page.locator(".dash-tiles")
    expect(tiles).to_contain_text(f"Henvendelser modtaget i {quarter}. kvartal {today.year}")
    expect(tiles.locator("div", has_text="Henvendelser modtaget").locator("dd")).to_have_text("3")
    expect(tiles.locator("div", has_text="bagud").locator("dd")).to_have_text("I")
    expect(
        tiles.locator("div", has_text=f"Tilbage af budgettet for {today.year}").locator("dd")
    ).to_contain_text("3.750.000 kr.")
    starts = timezone.localtime(
        Body.objects.get(code="steering-group").meetings.get(pk=initiative["next"].pk).starts_at
    )
    expect(tiles.locator("div", has_text="Næste styregruppemøde").locator("time")).to_have_attribute(
        "datetime", starts.isoformat()
    )
    assert "Anna" not in page.content() and "anna.applicant" not in page.content()
    screenshot(page, "dashboard-da")

    # The period filter keeps a wrong range and says what is wrong.
    page.fill("#id_start", "2025-06-30")
    page.fill("#id_end", "2025-01-01")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator(".form-error-message")).to_contain_text("Sidste dag kan ikke ligge før første dag.")
    expect(page.locator("#id_start")).to_have_value("2025-06-30")

    page.locator(".language-form button", has_text="English").click()
    page.goto("/dashboard/")
    expect(page.locator("h1")).to_have_text("Steering group dashboard")
    expect(page.locator(".dash-tiles")).to_contain_text(f"Requests received in Q{quarter} {today.year}")
    screenshot(page, "dashboard-en")
    assert page.csp_violations == []

    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the meeting brief should print on one page"

    page.emulate_media(media="screen")
    page.goto("/accounts/logout/")
    page.locator("#main-content").get_by_role("button").click()
    page.goto("/accounts/login/?next=/dashboard/")
    page.fill("#id_login", reference_member.email)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    # Her account speaks Danish: the 403 page says why in her language.
    expect(page.locator("main")).to_contain_text("Overblikket er for medlemmerne af styregruppen")
    screenshot(page, "dashboard-403-da")
