"""A reader finds the news from the front page, subscribes to the newsletter without an account,
confirms from the email, gets an issue and leaves with one click: in real Chromium, both languages."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from playwright.sync_api import expect

from knowledge import demo_data, news_services, reference_data
from knowledge.models import NewsletterIssue, Subscriber, SubscriberStatus
from outbox.models import OutboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = ((1366, 900), (390, 844))


@pytest.fixture
def newsroom(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_data.load()
    demo_data.load()  # the library and the demo news


def shots(page, screenshot, name):
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def link_in(text: str, pattern: str) -> str:
    found = re.search(r"https?://[^/\s]+(" + pattern + r")", text)
    assert found is not None, text
    return found.group(1)


def delivered(subject_start: str) -> str:
    """The body of the email as the relay got it (the outbox blanks a sensitive one once sent)."""
    (message,) = [m for m in mail.outbox if m.subject.startswith(subject_start)]
    return str(message.body)


def test_a_reader_subscribes_confirms_gets_an_issue_and_unsubscribes_with_one_click(
    page, live_server, screenshot, newsroom, secretariat
):
    page.goto("/")
    expect(page.get_by_role("heading", name="Spørg: vejledning")).to_be_visible()
    expect(page.get_by_role("heading", name="Samarbejd: kliniske forsøg")).to_be_visible()
    expect(page.get_by_role("heading", name="Lær: videndeling")).to_be_visible()
    shots(page, screenshot, "home-da")
    page.get_by_role("link", name="Referencegruppen holder sit første møde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referencegruppen holder sit første møde")
    shots(page, screenshot, "news-item-da")
    page.get_by_role("link", name="Nyheder", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyheder")
    shots(page, screenshot, "news-list-da")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("News")
    expect(page.locator('a[lang="da"]', has_text="Referencegruppen holder sit første møde")).to_be_visible()
    shots(page, screenshot, "news-list-en")
    page.goto("/")
    shots(page, screenshot, "home-en")

    page.goto("/news/")
    page.get_by_role("link", name="Subscribe to the newsletter").first.click()
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#form-errors")).to_contain_text("Enter a valid email address")
    shots(page, screenshot, "newsletter-subscribe-error-en")
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("English").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    shots(page, screenshot, "newsletter-check-email-en")

    page.goto(link_in(delivered("Confirm your subscription"), r"/news/newsletter/confirm/\S+/"))
    expect(page.get_by_text("r…r@example.org")).to_be_visible()
    shots(page, screenshot, "newsletter-confirm-en")
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    assert Subscriber.objects.get(email="reader@example.org").status == SubscriberStatus.CONFIRMED

    with TestCase.captureOnCommitCallbacks(execute=True):
        news_services.issue_send(issue=NewsletterIssue.objects.get(), actor=secretariat)
    issue_email = OutboundEmail.objects.get(
        to=["reader@example.org"], key__startswith="knowledge:newsletter:"
    )
    assert issue_email.subject == "News from ATMP Danmark, December"
    assert issue_email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(link_in(delivered("News from ATMP Danmark"), r"/news/newsletter/unsubscribe/\S+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from the newsletter")
    shots(page, screenshot, "newsletter-unsubscribe-en")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    shots(page, screenshot, "newsletter-unsubscribed-en")
    assert Subscriber.objects.get(email="reader@example.org").status == SubscriberStatus.UNSUBSCRIBED

    page.get_by_role("button", name="Dansk").click()
    page.goto("/news/newsletter/confirm/forged-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Linket virker ikke")
    shots(page, screenshot, "newsletter-bad-link-da")
    page.goto("/news/newsletter/")
    shots(page, screenshot, "newsletter-subscribe-da")
    assert page.csp_violations == []
