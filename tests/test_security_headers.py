"""The strict Content-Security-Policy is sent on public pages, account pages and the admin."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(response):
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    for values in csp.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values
        assert not any(v.startswith(("http:", "https:")) or "*" in v for v in values), values
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url_name",
    ["pages:home", "pages:accessibility", "pages:privacy", "account_login", "account_signup", "health"],
)
def test_public_pages_send_the_strict_policy(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    _assert_strict(response)


def test_admin_sends_the_strict_policy(client, secretariat):
    sign_in(client, secretariat)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    _assert_strict(response)


def test_pages_have_no_inline_script(client):
    html = client.get(reverse("pages:home")).content.decode()
    assert "<script>" not in html and "onclick=" not in html


# --- Cache-Control on what is not public (issue 14, item 6) -----------------------------------


def _no_store(response) -> bool:
    values = {v.strip() for v in response.headers.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= values


def test_pages_and_downloads_for_signed_in_people_are_never_stored(
    client, owner, secretariat, governance_bodies
):
    from tests.factories import plan, submit

    inquiry = submit(owner)
    meeting = plan(governance_bodies["steering-group"])
    sign_in(client, secretariat)
    for url in (
        reverse("inquiries:detail", args=[inquiry.reference]),
        reverse("inquiries:list"),
        reverse("budget:report"),
        reverse("budget:ledger_export", args=["csv"]),
        reverse("budget:report_export", args=["xlsx"]),
        reverse("dashboard:index"),
        reverse("governance:members_area"),
        reverse("governance:meeting", args=[meeting.pk]),
        reverse("governance:meeting_ics", args=[meeting.pk]),
        reverse("admin:index"),
        reverse("pages:home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.headers.get("Cache-Control"))


def test_the_personal_calendar_feed_is_never_stored(client, steering_member):
    from governance.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=steering_member)
    response = client.get(reverse("governance:feed", args=[feed.token]))
    assert response.status_code == 200
    assert _no_store(response)


def test_public_pages_for_visitors_may_be_cached(client):
    response = client.get(reverse("pages:home"))
    assert not _no_store(response)


# --- A NUL byte in the URL (issue 14, item 7) -------------------------------------------------

NUL_URLS = [
    "/projects/%00/",
    "/governance/calendar/%00.ics",
    "/requests/ATMP-2026-%00/",
    "/governance/decisions/?q=%00",
    "/budget/ledger/?q=a%00b",
]


def _nul_bytes_are_refused(client, owner):
    sign_in(client, owner)
    for url in NUL_URLS:
        assert client.get(url).status_code in (400, 404), url


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_in_the_url_is_a_400_not_a_500(client, owner, url):
    sign_in(client, owner)
    assert client.get(url).status_code == 400


@pytest.mark.postgres
def test_a_nul_byte_in_the_url_is_refused_on_postgresql(client, owner):
    """PostgreSQL refuses NUL in text (the probe's 500s came from there)."""
    client.raise_request_exception = True
    _nul_bytes_are_refused(client, owner)


# --- Downloads and static files (issue 14, item 11) -------------------------------------------


def test_an_attachment_download_may_not_be_framed(client, owner):
    from tests.factories import pdf, submit

    inquiry = submit(owner, files=[pdf()])
    attachment = inquiry.attachments.get()
    sign_in(client, owner)
    response = client.get(reverse("inquiries:attachment", args=[inquiry.reference, attachment.uuid]))
    csp = _directives(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'none'"]
    assert "sandbox" in csp


def test_static_files_say_nosniff_from_whitenoise_itself(settings):
    """whitenoise's own headers, so a static file says nosniff even where no Django middleware runs
    after it (the SecurityMiddleware adds it too in today's order)."""
    from django.test import Client
    from whitenoise import WhiteNoise  # type: ignore[import-untyped]

    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/portal.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"

    bare = WhiteNoise(None, add_headers_function=settings.WHITENOISE_ADD_HEADERS_FUNCTION)
    bare.add_files(str(settings.BASE_DIR / "static"), prefix="static/")
    static_file = bare.files["/static/css/portal.css"]
    headers = dict(static_file.get_response("GET", {}).headers)
    assert headers["X-Content-Type-Options"] == "nosniff"
