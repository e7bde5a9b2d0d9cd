"""Decisions in the reader's language: the English text where the secretariat wrote one, else the
Danish, marked lang="da" so that a screen reader reads it with Danish sounds (WCAG 3.1.2)."""

import re

import pytest
from django.urls import reverse

from tests.factories import decide

pytestmark = pytest.mark.django_db


def _heading(page: str, text: str) -> str:
    match = re.search(rf"<h2[^>]*>{re.escape(text)}</h2>", page)
    assert match, f"no heading {text!r}"
    return match.group(0)


def test_a_public_decision_shows_its_english_title_and_text_on_the_english_page(
    client, governance_bodies, english
):
    decide(
        governance_bodies["steering-group"],
        title="Igangsættelse af analyse II",
        text="Styregruppen igangsætter analyse II.",
        title_en="Start of analysis II",
        text_en="The steering group starts analysis II.",
        is_public=True,
    )
    page = client.get(reverse("governance:decisions")).content.decode()
    assert 'lang="da"' not in _heading(page, "Start of analysis II")
    assert "The steering group starts analysis II." in page
    assert "Igangsættelse af analyse II" not in page


def test_without_english_the_danish_decision_is_shown_and_marked_danish(client, governance_bodies, english):
    decide(
        governance_bodies["steering-group"],
        title="Igangsættelse af analyse II",
        text="Styregruppen igangsætter analyse II.",
        is_public=True,
    )
    page = client.get(reverse("governance:decisions")).content.decode()
    assert 'lang="da"' in _heading(page, "Igangsættelse af analyse II")
    assert '<p lang="da">Styregruppen igangsætter analyse II.</p>' in page


def test_the_danish_page_shows_the_danish_decision_unmarked(client, governance_bodies):
    decide(
        governance_bodies["steering-group"],
        title="Igangsættelse af analyse II",
        text="Styregruppen igangsætter analyse II.",
        title_en="Start of analysis II",
        is_public=True,
    )
    page = client.get(reverse("governance:decisions")).content.decode()
    assert 'lang="da"' not in _heading(page, "Igangsættelse af analyse II")
