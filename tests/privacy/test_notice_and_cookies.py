"""The privacy notice tells the truth from the settings; the public pages set only needed cookies."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.page_inventory import NOT_PAGES, routes

pytestmark = pytest.mark.django_db

NEEDED = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def test_the_notice_states_the_retention_periods_from_the_settings(client, settings, english):
    settings.RETENTION_REQUESTS_YEARS = 7
    settings.RETENTION_EMAIL_DAYS = 45
    settings.DOWNLOAD_LINK_HOURS = 24
    html = client.get(reverse("pages:privacy")).content.decode()
    assert "7 years after the request was closed or withdrawn" in html
    assert "45 days after the email" in html
    assert "30 days after sign-up" in html
    assert "7 days after they were made" in html
    assert "for 24 hours" in html
    assert reverse("privacy:data") in html and reverse("privacy:delete") in html


def test_the_notice_names_every_cookie_the_portal_sets(client, english):
    html = client.get(reverse("pages:privacy")).content.decode()
    for name in NEEDED:
        assert f"<code>{name}</code>" in html


def test_the_notice_is_in_danish_too(client):
    html = client.get(reverse("pages:privacy")).content.decode()
    assert "5 år efter, at henvendelsen blev lukket eller trukket tilbage" in html
    assert "Mine data" in html


def _public_urls():
    for route in routes():
        if route.params or route.name in NOT_PAGES or route.name.startswith("admin:"):
            continue
        yield route.name, reverse(route.name)


def test_the_public_pages_set_only_the_session_csrf_and_language_cookies():
    client = Client()
    seen: dict[str, str] = {}
    for name, url in _public_urls():
        response = client.get(url)
        for cookie in response.cookies:
            seen.setdefault(cookie, name)
    # Changing the language and a failed sign-in set what they set; nothing else.
    for response in (
        client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"}),
        client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"}),
    ):
        for cookie in response.cookies:
            seen.setdefault(cookie, response.request["PATH_INFO"])
    assert set(seen) <= NEEDED, {c: where for c, where in seen.items() if c not in NEEDED}
    assert settings.CSRF_COOKIE_NAME in seen and settings.LANGUAGE_COOKIE_NAME in seen
