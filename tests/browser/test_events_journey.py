"""A visitor without an account finds a full event, joins the waiting list (double opt-in), and
moves up when a participant cancels by the link in their email: all in real Chromium."""

import base64
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from knowledge import events_services as services
from knowledge.models import Registration, RegistrationStatus
from outbox.models import OutboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _link(to: str, pattern: str) -> str:
    """The link in the newest email to ``to`` (sent, so its outbox row's body is already blanked)."""
    from django.core import mail

    for message in reversed(mail.outbox):
        found = re.search(pattern, str(message.body)) if to in message.to else None
        if found:
            return "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no email to {to} with {pattern}")


@pytest.fixture
def full_workshop(db):
    day = timezone.localdate() + datetime.timedelta(days=21)
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    event = services.event_create(
        actor=None,
        slug="gmp-workshop",
        kind="workshop",
        title_da="Workshop om GMP for ATMP",
        title_en="Workshop on GMP for ATMPs",
        summary_da="En praktisk workshop om fremstilling efter GMP.",
        summary_en="A hands-on workshop on GMP manufacturing.",
        programme_da="- 9.00 Velkomst\n- 9.15 GMP i praksis",
        programme_en="- 9:00 Welcome\n- 9:15 GMP in practice",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        format="physical",
        venue="Amgros, Dampfærgevej 22, 2100 København Ø",
        capacity=1,
    )
    event = services.event_publish(event=event, actor=None)
    seated = services.registration_confirm(
        registration=services.registration_register(
            event=event, actor=None, name="Mette Holm", email="mette@example.org", language="da"
        )
    )
    return event, seated


def test_a_visitor_joins_the_waiting_list_and_moves_up_when_someone_cancels(
    browser, page, live_server, screenshot, full_workshop
):
    event, seated = full_workshop
    page.goto("/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrangementer")
    expect(page.get_by_text("Fuldt: venteliste åben")).to_be_visible()
    screenshot(page, "events-list-da")

    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Workshop on GMP for ATMPs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshop on GMP for ATMPs")
    expect(page.get_by_text("Full: you can join the waiting list")).to_be_visible()
    page.get_by_label("Your name").fill("Emma English")
    page.get_by_label("Email").fill("not-an-address")
    page.get_by_label("Organisation").fill("Rigshospitalet")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid email address")
    expect(page.get_by_label("Your name")).to_have_value("Emma English")  # what was typed is kept
    page.get_by_label("Email").fill("emma@example.org")
    page.get_by_label("English", exact=True).check()
    screenshot(page, "events-detail-form-en")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_role("status")).to_contain_text("we have sent an email to emma@example.org")
    emma = Registration.objects.get(email="emma@example.org")
    assert emma.status == RegistrationStatus.PENDING

    # The double opt-in: the link in the email opens a page with a button; pressing it confirms.
    page.goto(_link("emma@example.org", r"http\S+/events/confirm/\S+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your registration")
    screenshot(page, "events-confirm-en")
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the waiting list")
    screenshot(page, "events-waiting-en")

    # Mette cannot come after all: her cancel link (in Danish, her language) frees the seat.
    mette = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 390, "height": 844}
    )
    phone = mette.new_page()
    phone.goto(_link("mette@example.org", r"http\S+/events/cancel/\S+/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Afmeld din tilmelding")
    screenshot(phone, "events-cancel-da-390")
    phone.get_by_role("button", name="Afmeld mig").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Din tilmelding er afmeldt")
    screenshot(phone, "events-cancelled-da-390")
    mette.close()

    emma.refresh_from_db()
    assert emma.status == RegistrationStatus.CONFIRMED
    promoted = OutboundEmail.objects.get(key=f"knowledge:event-promoted:{emma.pk}")
    assert promoted.language == "en" and "A seat is free, and it is yours" in promoted.subject
    [ics] = promoted.attachments
    assert "BEGIN:VEVENT" in base64.b64decode(ics["base64"]).decode()

    page.goto(f"/events/{event.slug}/")
    expect(page.get_by_text("Full: you can join the waiting list")).to_be_visible()
    assert page.csp_violations == []


@pytest.mark.parametrize("width", [1366, 390])
def test_the_event_pages_at_desktop_and_phone_width(browser, live_server, screenshot, full_workshop, width):
    """Screenshots for a person to look at: the list, the page with its form, and a past event."""
    from knowledge import events_demo

    events_demo.load()
    for language in ("da", "en"):
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": width, "height": 900}
        )
        context.add_cookies([{"name": "atmp_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.goto("/events/")
        screenshot(page, f"events-list-{language}-{width}")
        page.goto("/events/webinar-ctis-for-akademiske-sponsorer/")
        screenshot(page, f"events-detail-{language}-{width}")
        page.goto("/events/?when=past")
        screenshot(page, f"events-past-{language}-{width}")
        page.goto("/events/netvaerksmoede-atmp-hospitaler/")
        expect(page.get_by_role("heading", level=2).first).to_be_visible()
        screenshot(page, f"events-past-detail-{language}-{width}")
        context.close()
