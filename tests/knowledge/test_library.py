"""The guidance library: who sees what, versions, withdrawal, the Danish fallback, search, reports."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from knowledge.models import Item, ItemStatus, ItemVersion
from projects import services as project_services
from projects.models import ProjectStatus
from tests.conftest import sign_in
from tests.factories import SecretariatUserFactory, deliverable, library_item

pytestmark = pytest.mark.django_db

CAST = ["outsider", "owner", "secretariat", "steering_member"]


def as_user(client, user):
    if user is not None and user.is_authenticated:
        sign_in(client, user)
    return client


@pytest.fixture
def staff_without_second_factor(db):
    return SecretariatUserFactory(email="new.staff@example.org")


@pytest.fixture
def shelf(secretariat):
    """A published item with a file, a draft, and a withdrawn item that points at its successor."""
    published = library_item(
        actor=secretariat, slug="hospital-exemption", files=[("IMPD template", "impd.txt", b"IMPD")]
    )
    draft = library_item(actor=secretariat, slug="draft-item", title_da="Hemmeligt udkast", publish=False)
    draft_file = services.item_file_save(
        item=draft, actor=secretariat, title="Draft file", upload=_upload("draft.txt")
    )
    old = library_item(actor=secretariat, slug="old-guidance", title_da="Gammel vejledning")
    services.item_withdraw(item=old, actor=secretariat, successor=published)
    return {"published": published, "draft": draft, "draft_file": draft_file, "withdrawn": old}


def _upload(name, content=b"x"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- Access matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [*CAST, "staff_without_second_factor"])
def test_the_library_and_a_published_item_are_public_and_drafts_are_not_listed(client, request, shelf, who):
    as_user(client, request.getfixturevalue(who))
    listing = client.get(reverse("knowledge:library"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Vejledning om hospitalsundtagelse" in page
    assert "Hemmeligt udkast" not in page and "Gammel vejledning" not in page
    assert client.get(reverse("knowledge:item", args=["hospital-exemption"])).status_code == 200


@pytest.mark.parametrize("who", [*CAST, "staff_without_second_factor"])
def test_a_draft_is_404_for_everyone_on_the_public_pages(client, request, shelf, who):
    as_user(client, request.getfixturevalue(who))
    assert client.get(reverse("knowledge:item", args=["draft-item"])).status_code == 404
    url = reverse("knowledge:item_file", args=["draft-item", shelf["draft_file"].pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", CAST)
def test_a_withdrawn_item_answers_410_and_points_at_its_successor(client, request, shelf, who):
    as_user(client, request.getfixturevalue(who))
    response = client.get(reverse("knowledge:item", args=["old-guidance"]))
    assert response.status_code == 410
    assert reverse("knowledge:item", args=["hospital-exemption"]) in response.content.decode()


@pytest.mark.parametrize("who", CAST)
def test_a_published_items_file_downloads_for_anyone(client, request, shelf, who):
    as_user(client, request.getfixturevalue(who))
    row = shelf["published"].files.get()
    response = client.get(reverse("knowledge:item_file", args=["hospital-exemption", row.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"IMPD"
    assert "attachment" in response["Content-Disposition"]


def test_a_file_is_404_under_another_items_address(client, shelf, secretariat):
    other = library_item(actor=secretariat, slug="other")
    row = shelf["published"].files.get()
    assert client.get(reverse("knowledge:item_file", args=[other.slug, row.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [("outsider", 302), ("owner", 302), ("steering_member", 302), ("secretariat", 200)],
)
def test_the_library_admin_and_preview_are_the_secretariats(client, request, shelf, who, expected):
    as_user(client, request.getfixturevalue(who))
    for url in (
        reverse("admin:knowledge_item_changelist"),
        reverse("admin:knowledge_item_change", args=[shelf["draft"].pk]),
        reverse("admin:knowledge_item_preview", args=[shelf["draft"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert "login" in response["Location"]


def test_staff_without_a_second_factor_is_sent_to_set_one_up_before_the_library_admin(
    client, shelf, staff_without_second_factor
):
    sign_in(client, staff_without_second_factor)
    response = client.get(reverse("admin:knowledge_item_preview", args=[shelf["draft"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_the_secretariat_previews_a_draft_in_the_admin(client, shelf, secretariat):
    sign_in(client, secretariat)
    page = client.get(reverse("admin:knowledge_item_preview", args=[shelf["draft"].pk])).content.decode()
    assert "Hemmeligt udkast" in page
    assert "Forhåndsvisning for sekretariatet" in page


# --- Versions, review and withdrawal ------------------------------------------------------------


def test_changing_a_published_items_text_needs_a_change_note(secretariat, english):
    item = library_item(actor=secretariat)
    with pytest.raises(ValidationError) as error:
        services.item_update(item=item, actor=secretariat, body_da="Ny tekst")
    assert "change_note" in str(error.value.message_dict)
    assert Item.objects.get(pk=item.pk).body_da != "Ny tekst"


def test_publishing_a_change_keeps_the_earlier_version_with_its_date_and_note(client, secretariat):
    item = library_item(actor=secretariat, slug="versioned", body_da="Første udgave")
    services.item_update(item=item, actor=secretariat, body_da="Anden udgave", change_note="Nye frister")
    versions = list(ItemVersion.objects.filter(item=item).order_by("number"))
    assert [v.body_da for v in versions] == ["Første udgave", "Anden udgave"]
    assert [v.change_note for v in versions] == ["", "Nye frister"]
    assert versions[1].published_by == secretariat
    page = client.get(reverse("knowledge:item", args=["versioned"])).content.decode()
    assert "Anden udgave" in page and "Første udgave" not in page
    assert "Nye frister" in page and "Først offentliggjort" in page


def test_changing_only_tags_of_a_published_item_needs_no_note(secretariat):
    item = library_item(actor=secretariat)
    services.item_update(item=item, actor=secretariat, tags={"topic": ["funding"]})
    assert item.versions.count() == 1
    assert [t.value for t in item.tags.all()] == ["funding"]


def test_every_published_item_has_a_review_date_and_passed_ones_are_listed(secretariat):
    item = library_item(actor=secretariat)
    assert item.review_by == timezone.localdate() + services.REVIEW_AFTER
    Item.objects.filter(pk=item.pk).update(review_by=timezone.localdate() - datetime.timedelta(days=1))
    fresh = library_item(actor=secretariat, slug="fresh")
    assert list(services.item_review_due()) == [Item.objects.get(pk=item.pk)]
    assert fresh not in services.item_review_due()


def test_the_database_refuses_a_published_item_without_a_review_date(secretariat):
    from django.db import IntegrityError

    item = library_item(actor=secretariat)
    with pytest.raises(IntegrityError):
        Item.objects.filter(pk=item.pk).update(review_by=None)


def test_a_withdrawn_item_can_not_be_replaced_by_a_draft(secretariat, english):
    item = library_item(actor=secretariat)
    draft = library_item(actor=secretariat, slug="d", publish=False)
    with pytest.raises(Exception, match="must be published"):
        services.item_withdraw(item=item, actor=secretariat, successor=draft)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.PUBLISHED


def test_a_template_is_not_published_without_its_file(secretariat, english):
    item = library_item(actor=secretariat, kind="template", publish=False)
    with pytest.raises(Exception, match="file"):
        services.item_publish(item=item, actor=secretariat)


def test_an_external_resource_needs_its_address(secretariat, english):
    with pytest.raises(Exception, match="address"):
        library_item(actor=secretariat, kind="external", publish=False)


def test_the_checklist_address_is_never_an_items_address(secretariat):
    item = library_item(actor=secretariat, title_da="Checklist", publish=False)
    assert item.slug == "checklist-item"


def test_addresses_are_made_from_the_danish_title_and_kept_unique(secretariat):
    first = library_item(actor=secretariat, title_da="Søg om hospitalsundtagelse på én gang", publish=False)
    second = library_item(actor=secretariat, title_da="Søg om hospitalsundtagelse på én gang", publish=False)
    assert first.slug == "soeg-om-hospitalsundtagelse-paa-en-gang"
    assert second.slug == "soeg-om-hospitalsundtagelse-paa-en-gang-2"


# --- Languages ----------------------------------------------------------------------------------


def test_an_item_without_english_shows_the_danish_text_marked_danish_with_a_notice(
    client, english, secretariat
):
    library_item(actor=secretariat, slug="da-only", title_en="", summary_en="", body_en="")
    page = client.get(reverse("knowledge:item", args=["da-only"])).content.decode()
    assert '<h1 lang="da">Vejledning om hospitalsundtagelse</h1>' in page
    assert 'class="knowledge-body" lang="da"' in page
    assert page.count("This item is only available in Danish.") == 1


def test_an_item_with_english_shows_english_to_english_readers_without_a_notice(client, english, secretariat):
    library_item(actor=secretariat, slug="both")
    page = client.get(reverse("knowledge:item", args=["both"])).content.decode()
    assert "<h1>Guidance on the hospital exemption</h1>" in page
    assert "only available in Danish" not in page


def test_danish_readers_get_danish(client, secretariat):
    library_item(actor=secretariat, slug="both")
    page = client.get(reverse("knowledge:item", args=["both"])).content.decode()
    assert "<h1>Vejledning om hospitalsundtagelse</h1>" in page


# --- Search, filters and the list ---------------------------------------------------------------


@pytest.fixture
def catalogue(secretariat):
    library_item(
        actor=secretariat,
        slug="gene",
        kind="article",
        title_da="Genterapi i kliniske forsøg",
        title_en="Gene therapy in clinical trials",
        summary_da="Om vektorer.",
        summary_en="On vectors.",
        tags={"topic": ["clinical_trials"], "atmp_class": ["gene_therapy"], "stage": ["phase_1"]},
    )
    library_item(
        actor=secretariat,
        slug="he",
        kind="faq",
        title_da="Hospitalsundtagelse",
        title_en="Hospital exemption",
        summary_da="Om undtagelsen.",
        summary_en="On the exemption.",
        tags={
            "topic": ["hospital_exemption"],
            "atmp_class": ["somatic_cell"],
            "stage": ["hospital_exemption"],
        },
    )


def _listed(client, **query):
    page = client.get(reverse("knowledge:library"), query).content.decode()
    return {slug for slug in ("gene", "he") if f'href="/knowledge/{slug}/"' in page}


def test_the_library_searches_danish_and_english_text(client, catalogue):
    assert _listed(client, q="genterapi") == {"gene"}
    assert _listed(client, q="Gene therapy") == {"gene"}
    assert _listed(client, q="exemption") == {"he"}
    assert _listed(client, q="nothing like this") == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "faq"}, {"he"}),
        ({"topic": "clinical_trials"}, {"gene"}),
        ({"atmp_class": "somatic_cell"}, {"he"}),
        ({"stage": "phase_1"}, {"gene"}),
        ({"stage": "phase_1", "kind": "faq"}, set()),
        ({}, {"gene", "he"}),
    ],
)
def test_the_library_filters_by_kind_topic_class_and_stage(client, catalogue, query, expected):
    assert _listed(client, **query) == expected


@pytest.mark.parametrize("query", [{"kind": "bogus"}, {"page": "x"}, {"page": "999"}, {"q": "a" * 5000}])
def test_malformed_library_queries_are_answered_not_500(client, catalogue, query):
    assert client.get(reverse("knowledge:library"), query).status_code == 200


def test_the_library_list_is_paginated_and_its_query_count_does_not_grow(
    client, secretariat, django_assert_max_num_queries
):
    for n in range(45):
        library_item(
            actor=secretariat,
            slug=f"item-{n}",
            tags={"topic": ["regulatory"], "stage": ["phase_1", "phase_2"]},
        )
    with django_assert_max_num_queries(4):
        response = client.get(reverse("knowledge:library"), {"page": 2})
    page = response.content.decode()
    assert page.count('class="knowledge-card"') == 20
    assert "Side 2 af 3" in page or "Page 2 of 3" in page


def test_the_item_page_query_count_is_fixed(client, secretariat, django_assert_max_num_queries):
    item = library_item(
        actor=secretariat, slug="many", files=[(f"F{n}", f"f{n}.txt", b"x") for n in range(5)]
    )
    for n in range(5):
        services.item_update(item=item, actor=secretariat, body_da=f"Udgave {n}", change_note=f"Ændring {n}")
    with django_assert_max_num_queries(5):
        assert client.get(reverse("knowledge:item", args=["many"])).status_code == 200


# --- Reports from projects ----------------------------------------------------------------------


def test_a_published_deliverable_appears_in_the_library_as_a_report_linked_to_its_project(
    client, tor_projects, steering_decision
):
    project = project_services.project_approve(
        actor=None, project=tor_projects["II"], decision=steering_decision
    )
    project_services.project_transition(actor=None, project=project, to_status=ProjectStatus.IN_PROGRESS)
    made = deliverable(project, title="Tjekliste for tidlig rådgivning", summary="Hvad man spørger om.")
    approved = project_services.deliverable_approve(actor=None, deliverable=made, decision=steering_decision)
    assert not Item.objects.filter(deliverable=made).exists()  # not before it is published
    project_services.deliverable_publish(actor=None, deliverable=approved)

    item = Item.objects.get(deliverable=made)
    assert item.kind == "report" and item.status == ItemStatus.PUBLISHED and item.review_by
    page = client.get(reverse("knowledge:item", args=[item.slug])).content.decode()
    assert reverse("projects:detail", args=["II"]) in page
    assert reverse("projects:deliverable", args=[made.pk]) in page
    assert "Tjekliste for tidlig rådgivning" in client.get(reverse("knowledge:library")).content.decode()


def test_the_reference_data_adds_deliverables_published_before_the_library_and_is_idempotent(
    tor_projects, steering_decision
):
    from knowledge.reference_data import load
    from projects.publication import _listeners

    project = project_services.project_approve(
        actor=None, project=tor_projects["II"], decision=steering_decision
    )
    saved = list(_listeners)
    _listeners.clear()  # as before the library existed
    try:
        published = project_services.deliverable_publish(
            actor=None,
            deliverable=project_services.deliverable_approve(
                actor=None, deliverable=deliverable(project), decision=steering_decision
            ),
        )
    finally:
        _listeners.extend(saved)
    assert not Item.objects.filter(deliverable=published).exists()
    load()
    load()
    assert Item.objects.filter(deliverable=published).count() == 1


def test_demo_data_has_items_in_both_languages_and_one_in_danish_only(db):
    from knowledge import demo_data

    demo_data.load()
    demo_data.load()
    published = Item.objects.published()
    assert published.count() == 6
    assert published.exclude(title_en="").count() == 5
    assert published.filter(title_en="").count() == 1
    assert Item.objects.filter(status=ItemStatus.DRAFT).count() == 1
