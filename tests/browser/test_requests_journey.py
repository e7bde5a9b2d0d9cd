"""A request from the applicant's form to the secretariat's answer in the admin, in real Chromium."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from inquiries.models import Inquiry
from tests.conftest import totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _wait_for_mail(to: str, subject_part: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if to in message.to and subject_part in message.subject:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no email to {to} with {subject_part!r}: {[m.subject for m in mail.outbox]}")


def _log_in(page, user, *, two_factor=False, next_url="/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_login", user.email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("^(Log ind|Sign In)$")).click()
    if two_factor:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.fill("#id_code", totp_code())
        page.get_by_role("button", name=re.compile("^(Log ind|Sign In)$")).click()
    page.wait_for_url(f"**{next_url}")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_applicant_files_secretariat_answers_applicant_reads(
    browser, page, live_server, screenshot, owner, secretariat, media
):
    # --- The applicant files a request with an attachment (Danish, the default). ---
    _log_in(page, owner, next_url="/requests/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spørg ATMP Danmark")
    page.select_option("#id_region", "midtjylland")
    page.select_option("#id_topic", "hospital_exemption")
    page.select_option("#id_atmp_class", "somatic_cell")
    page.select_option("#id_development_stage", "phase_1")
    page.fill("#id_subject", "Hospitalsundtagelse for CAR-T <b>nu</b>")
    page.fill("#id_question", "Hvilken dokumentation kræver Lægemiddelstyrelsen?")
    page.set_input_files(
        "#id_attachments", files=[{"name": "protokol.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.check("#id_consent")
    screenshot(page, "request-form-da")
    page.get_by_role("button", name="Send henvendelse").click()
    page.wait_for_url(re.compile(r".*/requests/ATMP-\d{4}-\d{4}/$"))
    inquiry = Inquiry.objects.get()
    expect(page.locator(".alert-success")).to_contain_text(inquiry.reference)
    expect(page.get_by_role("link", name="protokol.pdf")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("<b>nu</b>")  # shown, not rendered
    screenshot(page, "request-detail-da")
    receipt = _wait_for_mail(owner.email, inquiry.reference)
    assert "Vi har modtaget" in receipt.subject

    # --- The secretariat finds it under "unassigned", assigns, notes, replies, answers. ---
    staff_context = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 1600, "height": 900}
    )
    staff = staff_context.new_page()
    staff.csp_violations = []
    staff.on("console", lambda m: "Content Security Policy" in m.text and staff.csp_violations.append(m.text))
    _log_in(staff, secretariat, two_factor=True, next_url="/admin/inquiries/inquiry/")
    staff.get_by_role("link", name="Ikke tildelt").click()
    expect(staff.get_by_role("link", name=inquiry.reference)).to_be_visible()
    screenshot(staff, "admin-queue-da")
    staff.get_by_role("link", name=inquiry.reference).click()
    staff.select_option("#id_assignee", str(secretariat.pk))
    staff.fill("#id_internal_note", "Intern vurdering: tjek med DKMA.")
    staff.locator('input[name="_save"]').click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.get_by_role("link", name=re.compile(inquiry.reference)).first.click()
    staff.fill("#id_reply", "Her er vores vejledning om hospitalsundtagelse.")
    staff.select_option("#id_new_status", "answered")
    screenshot(staff, "admin-request-da")
    staff.locator('input[name="_save"]').click()
    expect(staff.locator(".messagelist")).to_be_visible()
    inquiry.refresh_from_db()
    assert inquiry.status == "answered"
    assert staff.csp_violations == []
    staff_context.close()

    # --- The applicant sees the answer, not the internal note, and got the email. ---
    page.reload()
    expect(page.get_by_text("Her er vores vejledning om hospitalsundtagelse.")).to_be_visible()
    expect(page.get_by_text("Intern vurdering")).to_have_count(0)
    expect(page.locator(".request-facts")).to_contain_text("Besvaret")
    answered = _wait_for_mail(owner.email, "besvaret")
    assert "Her er vores vejledning" in answered.body
    assert "Intern vurdering" not in answered.body
    screenshot(page, "request-answered-da")

    # --- The same pages in English. ---
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    expect(page.locator(".request-facts")).to_contain_text("Answered")
    screenshot(page, "request-answered-en")
    page.get_by_role("link", name="My requests").first.click()
    expect(page.get_by_role("link", name=inquiry.reference)).to_be_visible()
    screenshot(page, "request-list-en")
    page.goto("/requests/new/")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#form-errors")).to_be_visible()
    screenshot(page, "request-form-errors-en")
    assert page.csp_violations == []


def test_secretariat_queue_in_english(browser, live_server, screenshot, owner, secretariat, media):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import submit

    for subject in ("Funding for a pilot", "GMP facility question", "Real-world data"):
        submit(owner, subject=subject)
    late = timezone.localdate() - timedelta(days=3)
    Inquiry.objects.filter(subject="Funding for a pilot").update(
        acknowledge_due=late - timedelta(days=8), answer_due=late
    )
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1600, "height": 900}
    )
    page = context.new_page()
    secretariat.preferred_language = "en"  # the login switches to the profile's language
    secretariat.save()
    _log_in(page, secretariat, two_factor=True, next_url="/admin/inquiries/inquiry/")
    expect(page.get_by_role("link", name="GMP facility question")).to_be_visible()
    expect(page.locator(".clock-overdue")).to_contain_text("Not acknowledged")
    screenshot(page, "admin-queue-en")
    page.get_by_role("link", name="GMP facility question").click()
    expect(page.get_by_text("Reply to the applicant")).to_be_visible()
    screenshot(page, "admin-request-en")
    context.close()
