"""The front page: the three ways in of ToR §2 (ask, collaborate, learn) and the latest news."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.knowledge.test_news import news

pytestmark = pytest.mark.django_db


def test_the_front_page_offers_the_three_ways_in(client, english):
    page = client.get(reverse("pages:home")).text
    for heading in ("Ask: guidance", "Collaborate: clinical trials", "Learn: knowledge sharing"):
        assert heading in page
    for name in (
        "inquiries:new",
        "network:directory",
        "knowledge:library",
        "knowledge:checklist",
        "news:list",
    ):
        assert f'href="{reverse(name)}' in page, name


def test_the_front_page_shows_the_three_latest_published_news_in_one_query(
    client, secretariat, django_assert_num_queries
):
    for n in range(5):
        news(secretariat, title_da=f"Nyhed {n}")
    news(secretariat, title_da="Udkast", publish=False)
    client.get(reverse("pages:home"))
    with django_assert_num_queries(1):  # the news; the rest of the page reads nothing for anonymous
        page = client.get(reverse("pages:home")).text
    assert "Nyhed 4" in page and "Nyhed 2" in page and "Nyhed 1" not in page and "Udkast" not in page


def test_without_news_the_front_page_says_so(client, english):
    assert "No news has been published yet." in client.get(reverse("pages:home")).text


def test_a_signed_in_applicant_is_offered_their_requests_instead_of_an_account(client, owner, english):
    sign_in(client, owner)
    page = client.get(reverse("pages:home")).text
    assert f'href="{reverse("inquiries:list")}">Follow your requests' in page
    assert "Create an account to follow your requests" not in page
