"""Guidance for a request: "related guidance" on the request page, suggestions on the form.

knowledge registers its provider with inquiries (inquiries imports nothing from knowledge).
"""

import pytest
from django.urls import reverse

from inquiries import guidance
from knowledge import services
from knowledge.guidance import related_items
from tests.conftest import sign_in
from tests.factories import library_item, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(secretariat):
    return {
        "best": library_item(
            actor=secretariat,
            slug="he-cell-phase-1",
            title_da="Hospitalsundtagelse for celleterapi i fase I",
            title_en="Hospital exemption for cell therapy in phase I",
            tags={"topic": ["hospital_exemption"], "atmp_class": ["somatic_cell"], "stage": ["phase_1"]},
        ),
        "topic_only": library_item(
            actor=secretariat,
            slug="he-general",
            title_da="Hospitalsundtagelse generelt",
            title_en="",
            summary_en="",
            tags={"topic": ["hospital_exemption"]},
        ),
        "stage_only": library_item(
            actor=secretariat, slug="phase-1-only", title_da="Kun fase I", tags={"stage": ["phase_1"]}
        ),
        "other": library_item(
            actor=secretariat, slug="gmp", title_da="GMP-fremstilling", tags={"topic": ["manufacturing"]}
        ),
        "draft": library_item(
            actor=secretariat,
            slug="draft-he",
            title_da="Udkast om hospitalsundtagelse",
            publish=False,
            tags={"topic": ["hospital_exemption"]},
        ),
    }


def test_knowledge_registers_the_library_as_a_guidance_provider():
    assert related_items in guidance._providers


def test_items_sharing_more_of_the_requests_tags_come_first_and_drafts_or_stage_only_never(shelf):
    links = guidance.related_guidance(
        topic="hospital_exemption", atmp_class="somatic_cell", stage="phase_1", language="en"
    )
    assert [link.title for link in links] == [
        "Hospital exemption for cell therapy in phase I",
        "Hospitalsundtagelse generelt",
    ]
    assert [link.lang for link in links] == ["en", "da"]  # the Danish one is marked for screen readers
    assert links[0].url == reverse("knowledge:item", args=["he-cell-phase-1"])


def test_nothing_is_suggested_without_a_topic_or_class(shelf):
    assert guidance.related_guidance(stage="phase_1") == []


def test_a_withdrawn_item_is_no_longer_suggested(shelf, secretariat):
    services.item_withdraw(item=shelf["topic_only"], actor=secretariat)
    links = guidance.related_guidance(topic="hospital_exemption", language="da")
    assert [link.title for link in links] == ["Hospitalsundtagelse for celleterapi i fase I"]


def test_the_provider_costs_two_queries_however_large_the_library(
    shelf, secretariat, django_assert_num_queries
):
    for n in range(20):
        library_item(actor=secretariat, slug=f"extra-{n}", tags={"topic": ["hospital_exemption"]})
    with django_assert_num_queries(2):
        links = guidance.related_guidance(topic="hospital_exemption", atmp_class="somatic_cell", limit=5)
    assert len(links) == 5


def test_the_applicant_sees_related_guidance_on_their_request_page(client, owner, shelf, english):
    inquiry = submit(owner)  # hospital exemption, somatic cell, phase I
    sign_in(client, owner)
    page = client.get(reverse("inquiries:detail", args=[inquiry.reference])).text
    assert "Related guidance" in page
    assert page.index("Hospital exemption for cell therapy in phase I") < page.index(
        "Hospitalsundtagelse generelt"
    )
    assert 'lang="da">Hospitalsundtagelse generelt</a>' in page
    assert "GMP-fremstilling" not in page and "Udkast om" not in page


def test_a_request_with_no_matching_guidance_has_no_empty_section(client, owner, english):
    inquiry = submit(owner)
    sign_in(client, owner)
    assert "Related guidance" not in client.get(reverse("inquiries:detail", args=[inquiry.reference])).text


def test_the_form_filled_in_from_the_checklist_suggests_guidance_without_javascript(
    client, owner, shelf, english
):
    sign_in(client, owner)
    page = client.get(reverse("inquiries:new") + "?topic=hospital_exemption&atmp_class=somatic_cell").text
    assert "Perhaps this answers your question" in page
    assert "Hospital exemption for cell therapy in phase I" in page


def test_the_suggestions_endpoint_answers_json_for_the_chosen_topic_and_class(client, owner, shelf):
    sign_in(client, owner)
    response = client.get(reverse("inquiries:suggestions"), {"topic": "manufacturing", "atmp_class": ""})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["GMP-fremstilling"]
    unknown = client.get(reverse("inquiries:suggestions"), {"topic": "<script>", "atmp_class": "x"})
    assert unknown.json() == {"items": []}


def test_the_suggestions_endpoint_needs_a_login_like_the_form(client, shelf):
    response = client.get(reverse("inquiries:suggestions"), {"topic": "hospital_exemption"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
