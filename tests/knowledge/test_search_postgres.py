"""PostgreSQL full-text search of the library: Danish and English stemming, ranking, web syntax."""

import pytest
from django.urls import reverse

from knowledge.models import Item
from knowledge.search import search_items
from tests.factories import library_item

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def items(secretariat):
    return {
        "gene": library_item(
            actor=secretariat,
            slug="gene",
            title_da="Genterapier i kliniske forsøg",
            title_en="Gene therapies in clinical trials",
            summary_da="Vektorer.",
            summary_en="Vectors.",
            body_da="Forsøgene kræver en ansøgning.",
            body_en="The trial requires an application.",
        ),
        "body": library_item(
            actor=secretariat,
            slug="body",
            title_da="Fremstilling",
            title_en="Manufacturing",
            summary_da="Renrum.",
            summary_en="Clean rooms.",
            body_da="Også relevant for genterapi.",
            body_en="Also relevant to gene therapy.",
        ),
        "draft": library_item(
            actor=secretariat,
            slug="draft",
            title_da="Genterapi-udkast",
            publish=False,
        ),
    }


def _slugs(text):
    return [item.slug for item in search_items(Item.objects.published(), text)]


def test_danish_words_match_their_inflections(items):
    assert _slugs("genterapien") == ["gene", "body"]  # title outranks body
    assert "gene" in _slugs("forsøg")


def test_english_words_match_their_inflections(items):
    assert "gene" in _slugs("trials")
    assert "gene" in _slugs("therapy")
    assert _slugs("clean room") == ["body"]


def test_web_search_syntax_excludes_and_quotes(items):
    assert _slugs("genterapi -fremstilling") == ["gene"]
    assert _slugs('"clinical trials"') == ["gene"]


def test_search_never_shows_drafts_and_odd_input_is_harmless(client, items):
    page = client.get(reverse("knowledge:library"), {"q": "genterapi"}).content.decode()
    assert 'href="/knowledge/gene/"' in page and 'href="/knowledge/draft/"' not in page
    for text in ["'", "!!", "&|", "a:*", '"unclosed', "(((", "\\"]:
        assert client.get(reverse("knowledge:library"), {"q": text}).status_code == 200


def test_the_search_document_follows_a_change(secretariat, items):
    from knowledge import services

    services.item_update(
        item=items["body"], actor=secretariat, title_en="Cleanroom work", change_note="Title"
    )
    assert "body" in _slugs("cleanroom")
