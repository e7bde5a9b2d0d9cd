"""News: who sees what, the Danish fallback, withdrawal, the Atom feed, the admin's write path."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from knowledge import news_services
from knowledge.models import NewsItem, NewsStatus
from tests.conftest import sign_in
from tests.knowledge.test_xss import MARKDOWN_ATTACKS, SCRIPT, _assert_inert

pytestmark = pytest.mark.django_db

CAST = ["outsider", "owner", "secretariat", "steering_member", "staff_without_second_factor"]
ATOM = "{http://www.w3.org/2005/Atom}"


def news(actor, *, publish=True, **fields):
    defaults = {
        "title_da": "Ny analyse af ATMP-feltet",
        "summary_da": "Analysen er klar.",
        "body_da": "## Baggrund\n\nTekst på dansk.",
    }
    item = news_services.news_create(actor=actor, **{**defaults, **fields})
    if publish:
        item = news_services.news_publish(item=item, actor=actor)
    return item


@pytest.fixture
def newsroom(secretariat):
    published = news(secretariat, title_en="A new analysis of the ATMP field", summary_en="It is ready.")
    draft = news(secretariat, title_da="Hemmeligt udkast", publish=False)
    withdrawn = news(secretariat, title_da="Trukket nyhed")
    news_services.news_withdraw(item=withdrawn, actor=secretariat)
    return {"published": published, "draft": draft, "withdrawn": withdrawn}


@pytest.mark.parametrize("who", CAST)
def test_news_list_and_a_published_item_are_public_and_drafts_never_are(client, request, newsroom, who):
    user = request.getfixturevalue(who)
    if user is not None and user.is_authenticated:
        sign_in(client, user)
    listing = client.get(reverse("news:list"))
    assert listing.status_code == 200
    assert "Ny analyse af ATMP-feltet" in listing.text
    assert "Hemmeligt udkast" not in listing.text and "Trukket nyhed" not in listing.text
    assert client.get(reverse("news:detail", args=[newsroom["published"].slug])).status_code == 200
    assert client.get(reverse("news:detail", args=[newsroom["draft"].slug])).status_code == 404
    gone = client.get(reverse("news:detail", args=[newsroom["withdrawn"].slug]))
    assert gone.status_code == 410 and "withdrawn" in gone.text.lower() or "trukket tilbage" in gone.text


def test_an_unknown_news_address_is_404(client):
    assert client.get(reverse("news:detail", args=["no-such-news"])).status_code == 404


def test_english_readers_get_the_english_text_and_danish_marked_where_english_is_missing(
    client, english, secretariat
):
    both = news(
        secretariat,
        title_da="Dansk titel",
        title_en="English title",
        summary_en="English summary",
        body_en="Text.",
    )
    danish_only = news(secretariat, title_da="Kun på dansk")
    listing = client.get(reverse("news:list"))
    assert "English title" in listing.text and "Dansk titel" not in listing.text
    assert 'lang="da">Kun på dansk</a>' in listing.text
    page = client.get(reverse("news:detail", args=[danish_only.slug]))
    assert "only available in Danish" in page.text and '<h1 lang="da">Kun på dansk</h1>' in page.text
    whole = client.get(reverse("news:detail", args=[both.slug])).text
    assert "<h1>English title</h1>" in whole and "only available in Danish" not in whole


def test_the_news_list_is_newest_first_paginated_and_its_queries_do_not_grow(
    client, secretariat, django_assert_max_num_queries
):
    for n in range(25):
        news(secretariat, title_da=f"Nyhed {n:02d}")
    with django_assert_max_num_queries(6):
        first = client.get(reverse("news:list"))
    assert first.text.index("Nyhed 24") < first.text.index("Nyhed 23")
    assert "Nyhed 04" not in first.text
    assert "Nyhed 04" in client.get(reverse("news:list") + "?page=2").text


def test_the_empty_news_page_says_so_and_offers_the_newsletter(client):
    page = client.get(reverse("news:list"))
    assert page.status_code == 200
    assert "Der er endnu ikke offentliggjort nogen nyheder." in page.text
    assert reverse("news:newsletter") in page.text


def test_the_atom_feed_lists_published_news_in_the_readers_language_with_absolute_links(
    client, english, newsroom
):
    response = client.get(reverse("news:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["A new analysis of the ATMP field"]
    link = entries[0].find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    assert link == f"http://testserver{reverse('news:detail', args=[newsroom['published'].slug])}"
    assert (entries[0].findtext(f"{ATOM}id") or "").startswith("tag:")


def test_the_feed_is_danish_by_default(client, newsroom):
    feed = ET.fromstring(client.get(reverse("news:feed")).content)
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Ny analyse af ATMP-feltet"]


def test_whatever_the_secretariat_types_in_news_renders_inert_on_the_list_the_page_and_the_feed(
    client, english, secretariat
):
    item = news(
        secretariat,
        title_da=SCRIPT,
        title_en=f'"><img src=x onerror=alert(1)>{SCRIPT}',
        summary_da=SCRIPT,
        summary_en=SCRIPT,
        body_da=MARKDOWN_ATTACKS,
        body_en=MARKDOWN_ATTACKS,
    )
    _assert_inert(client.get(reverse("news:list")).text)
    _assert_inert(client.get(reverse("news:detail", args=[item.slug])).text)
    feed = client.get(reverse("news:feed")).content.decode()
    assert "<script" not in feed and "<img" not in feed  # escaped inside the XML


def test_publishing_and_withdrawing_are_recorded_and_refuse_the_wrong_order(secretariat):
    item = news(secretariat, publish=False)
    with pytest.raises(ValidationError):
        news_services.news_withdraw(item=item, actor=secretariat)
    item = news_services.news_publish(item=item, actor=secretariat)
    with pytest.raises(ValidationError):
        news_services.news_publish(item=item, actor=secretariat)
    first = item.published_at
    news_services.news_withdraw(item=item, actor=secretariat)
    again = news_services.news_publish(item=item, actor=secretariat)
    assert again.published_at == first  # a republish keeps its place in the list
    actions = list(AuditEntry.objects.filter(object_id=str(item.pk)).values_list("action", flat=True))
    assert actions.count("knowledge.news.published") == 2 and "knowledge.news.withdrawn" in actions


def test_the_address_is_made_from_the_danish_title_and_never_takes_a_page_of_the_portal(secretariat):
    assert news(secretariat, title_da="Årsmøde på Ærø").slug == "aarsmoede-paa-aeroe"
    assert news(secretariat, title_da="Årsmøde på Ærø").slug == "aarsmoede-paa-aeroe-2"
    assert news(secretariat, title_da="Feed").slug == "feed-news"
    with pytest.raises(ValidationError):
        news(secretariat, title_da="X", slug="newsletter")


def test_the_secretariat_writes_and_publishes_news_in_the_admin(client, secretariat):
    sign_in(client, secretariat)
    response = client.post(
        reverse("admin:knowledge_newsitem_add"),
        {
            "title_da": "Nyt fra sekretariatet",
            "title_en": "News from the secretariat",
            "slug": "",
            "summary_da": "Kort resumé.",
            "summary_en": "Short summary.",
            "body_da": "Tekst.",
            "body_en": "Text.",
            "new_status": "published",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.status == NewsStatus.PUBLISHED and item.author == secretariat
    assert client.get(reverse("news:detail", args=[item.slug])).status_code == 200
    assert client.get(reverse("admin:knowledge_newsitem_preview", args=[item.pk])).status_code == 200
    changed = client.post(
        reverse("admin:knowledge_newsitem_change", args=[item.pk]),
        {
            "title_da": "Nyt fra sekretariatet",
            "title_en": "News from the secretariat",
            "slug": item.slug,
            "summary_da": "Nyt resumé.",
            "summary_en": "Short summary.",
            "body_da": "Tekst.",
            "body_en": "Text.",
            "new_status": "withdrawn",
        },
    )
    assert changed.status_code == 302
    item.refresh_from_db()
    assert item.summary_da == "Nyt resumé." and item.status == NewsStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="knowledge.news.changed", actor=secretariat).exists()


def test_the_admin_preview_of_news_is_the_secretariats_only(client, owner, secretariat):
    item = news(secretariat, publish=False)
    sign_in(client, owner)
    response = client.get(reverse("admin:knowledge_newsitem_preview", args=[item.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
