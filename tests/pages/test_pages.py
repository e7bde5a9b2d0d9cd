"""Public pages: Danish by default, English on request, accessible structure."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_home_is_danish_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("pages:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Vejledning" in html
    assert response.headers["Content-Language"] == "da"


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    html = client.get(reverse("pages:home")).content.decode()
    assert '<html lang="en">' in html and "Guidance" in html
    client.post(reverse("accounts:set_language"), {"language": "da", "next": "/"})
    assert '<html lang="da">' in client.get(reverse("pages:home")).content.decode()


def test_language_switch_ignores_a_foreign_next_url(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_language_switch_refuses_get(client):
    assert client.get(reverse("accounts:set_language"), {"language": "en"}).status_code == 405


def test_a_signed_in_persons_choice_is_kept_in_the_profile(client, owner):
    sign_in(client, owner)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    owner.refresh_from_db()
    assert owner.preferred_language == "en"


def test_home_offers_the_three_services_and_a_way_to_ask(client):
    html = client.get(reverse("pages:home")).content.decode()
    for text in (
        "Spørg: vejledning",
        "Samarbejd: kliniske forsøg",
        "Lær: videndeling",
        "Spørg ATMP Danmark",
    ):
        assert text in html


@pytest.mark.parametrize(
    "url_name, heading",
    [
        ("pages:home", "ATMP Danmark"),
        ("pages:accessibility", "Tilgængelighedserklæring"),
        ("pages:privacy", "Privatlivspolitik"),
    ],
)
def test_page_structure_is_accessible(client, url_name, heading):
    html = client.get(reverse(url_name)).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="skipnav" href="#main-content"' in html
    assert '<main id="main-content"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert reverse("pages:accessibility") in html and reverse("pages:privacy") in html


def test_home_query_count_does_not_depend_on_data(client, django_assert_max_num_queries, owner):
    sign_in(client, owner)
    with django_assert_max_num_queries(6):
        client.get(reverse("pages:home"))


def test_uploaded_files_are_not_served_from_a_public_url(client):
    assert client.get("/media/anything.pdf").status_code == 404


def test_every_page_links_the_icon_and_favicon_ico_leads_to_it(client):
    html = client.get(reverse("pages:home")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")


# The front page reads the latest news: one query (tests/pages/test_home.py pins it).
@pytest.mark.parametrize("url", ["/accessibility/", "/privacy/"])
def test_a_trivial_page_costs_an_anonymous_visitor_no_query(client, url, django_assert_num_queries):
    # No language cookie and no session cookie: nobody is signed in, so nothing is looked up.
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "da"


def test_a_signed_in_visitor_without_a_language_cookie_still_gets_their_preferred_language(client):
    from tests.factories import UserFactory

    sign_in(client, UserFactory(preferred_language="en"))
    assert client.get("/privacy/").headers["Content-Language"] == "en"
