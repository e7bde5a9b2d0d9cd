"""Small things a screen reader meets first: the page title, the profile's autocomplete, headings."""

import re

import pytest
from django.urls import reverse

from tests.factories import decide

pytestmark = pytest.mark.django_db


def test_the_page_title_separates_the_page_from_the_portal(client):
    page = client.get(reverse("pages:home")).content.decode()
    assert "<title>Forside – ATMP Danmark</title>" in page


def test_the_profile_form_tells_the_browser_what_each_field_is(client, owner):
    client.force_login(owner)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert re.search(
        r'<input[^>]*autocomplete="name"[^>]*id="id_full_name"|id="id_full_name"[^>]*autocomplete="name"',
        page,
    )
    assert 'autocomplete="organization"' in page


def test_the_decisions_register_goes_from_h1_to_h2(client, governance_bodies):
    decide(governance_bodies["steering-group"], title="Start analysis II", is_public=True)
    page = client.get(reverse("governance:decisions")).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", page.split('id="main-content"')[1])]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
