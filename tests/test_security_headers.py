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
