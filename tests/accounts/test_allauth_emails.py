"""allauth's emails (password reset, confirmation) reach people in their language, as the portal."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def _ask_for_reset(client, email, capture):
    with capture(execute=True):  # the email task is queued on commit
        client.post(reverse("account_reset_password"), {"email": email})


def test_a_password_reset_goes_out_in_the_recipients_language_not_the_pages(
    client, owner, django_capture_on_commit_callbacks
):
    owner.preferred_language = "en"
    owner.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"  # asked for from a Danish page

    _ask_for_reset(client, owner.email, django_capture_on_commit_callbacks)

    message = mail.outbox[-1]
    assert message.to == [owner.email]
    assert "Password Reset" in message.subject or "password" in message.subject.lower()
    assert "Hello," in message.body and "Hej" not in message.body
    assert "The secretariat of ATMP Danmark, Amgros" in message.body


def test_allauths_emails_name_the_portal_not_the_host_and_come_with_the_portals_html(
    client, owner, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    _ask_for_reset(client, owner.email, django_capture_on_commit_callbacks)

    message = mail.outbox[-1]
    assert "Hej," in message.body
    for wrong in ("127.0.0.1", "example.com", "Hej fra"):  # SITE_URL is http://testserver here
        assert wrong not in message.body
    assert settings.SITE_URL in message.body
    html = _html(message)
    assert html.startswith("<!DOCTYPE html>") and 'lang="da"' in html
    assert "ATMP Danmark" in html and "Amgros" in html
    assert "<a href=" in html  # the reset link is a link


def test_an_email_to_an_unknown_address_is_in_the_language_of_the_page(
    client, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    _ask_for_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert "Hello," in mail.outbox[-1].body
