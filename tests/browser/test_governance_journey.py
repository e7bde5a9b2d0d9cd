"""A steering group member's way to the next meeting, and the secretariat's meeting in the admin."""

import re

import icalendar
import pytest
from playwright.sync_api import expect

from governance.models import Body
from governance.reference_data import load as load_governance
from tests.conftest import totp_code
from tests.factories import UserFactory, membership_for, plan, with_agenda, with_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def next_meeting(db):
    load_governance()
    steering = Body.objects.get(code="steering-group")
    member = UserFactory(email="stine@example.org", full_name="Stine Styregruppe", applicant_type="")
    membership_for(member, steering, seat_code="health-director", role="co_chair")
    meeting = with_agenda(
        plan(
            steering, in_days=12, location="Amgros, Dampfærgevej 22", online_url="https://meet.example.dk/sg"
        ),
        "Godkendelse af dagsorden",
        "Analyse II: tidsplan og tjekliste",
    )
    with_document(meeting, title="Bilag 1: tidsplan", name="bilag-1.pdf")
    plan(steering, in_days=80)
    return member, meeting


def test_a_steering_member_finds_the_next_meeting_downloads_a_document_and_adds_it_to_the_calendar(
    page, screenshot, next_meeting, tmp_path
):
    member, meeting = next_meeting
    page.goto("/governance/")
    expect(page.get_by_role("heading", name="Styregruppen for ATMP Danmark")).to_be_visible()
    expect(page.get_by_role("heading", name="Referencegruppen for ATMP Danmark")).to_be_visible()
    screenshot(page, "governance-public-da")

    page.goto("/governance/mine/")
    page.fill("#id_login", member.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/governance/mine/")
    first_card = page.locator(".meeting-card").first
    expect(first_card).to_contain_text("Analyse II: tidsplan og tjekliste")
    screenshot(page, "governance-members-area-da")

    first_card.get_by_role("heading").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Styregruppen for ATMP Danmark")
    expect(page.get_by_role("cell", name=re.compile("Godkendelse af dagsorden"))).to_be_visible()
    screenshot(page, "governance-meeting-da")

    with page.expect_download() as document:
        page.get_by_role("link", name="Bilag 1: tidsplan").click()
    saved = tmp_path / "bilag.pdf"
    document.value.save_as(saved)
    assert document.value.suggested_filename == "bilag-1.pdf"
    assert saved.read_bytes().startswith(b"%PDF")

    with page.expect_download() as calendar_file:
        page.get_by_role("link", name=re.compile(r"\(\.ics\)")).click()
    ics = tmp_path / "meeting.ics"
    calendar_file.value.save_as(ics)
    event = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at
    assert page.csp_violations == []

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    screenshot(page, "governance-meeting-en")


def test_the_secretariat_sees_the_meeting_with_agenda_and_documents_in_the_admin(
    page, screenshot, secretariat, next_meeting
):
    _, meeting = next_meeting
    page.goto(f"/admin/governance/meeting/{meeting.pk}/change/")
    page.fill("#id_login", secretariat.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.fill("#id_code", totp_code())
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"**/admin/governance/meeting/{meeting.pk}/change/")
    expect(page.locator("#agenda_items-group")).to_contain_text("Analyse II")
    screenshot(page, "governance-admin-meeting-da")
    page.goto("/admin/governance/seat/?vacancy=vacant")
    screenshot(page, "governance-admin-vacancies-da")
    assert page.csp_violations == []
