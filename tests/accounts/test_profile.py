"""The profile page: the owner edits their own details; nobody else's can be reached."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

URL = "/account/profile/"


def test_outsider_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_owner_updates_their_profile_and_language(client, owner):
    sign_in(client, owner)
    data = {
        "full_name": "Olivia Owner-Hansen",
        "organisation": "Region Midtjylland",
        "applicant_type": "researcher",
        "preferred_language": "en",
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.full_name, owner.organisation, owner.applicant_type, owner.preferred_language) == (
        "Olivia Owner-Hansen",
        "Region Midtjylland",
        "researcher",
        "en",
    )
    assert client.cookies["atmp_language"].value == "en"


def test_the_page_shows_only_the_signed_in_persons_details(client, owner, colleague):
    sign_in(client, colleague)
    html = client.get(URL).content.decode()
    assert colleague.full_name in html
    assert owner.full_name not in html and owner.email not in html


def test_a_failed_save_keeps_what_was_typed(client, owner):
    sign_in(client, owner)
    response = client.post(
        URL,
        {
            "full_name": "",
            "organisation": "Nyt sted",
            "applicant_type": "company",
            "preferred_language": "da",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nyt sted"' in html and "form-error-message" in html
    owner.refresh_from_db()
    assert owner.organisation != "Nyt sted"
