"""The secretariat writes, tags, publishes, changes and withdraws library items in the admin."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Item, ItemStatus
from tests.conftest import sign_in
from tests.factories import library_item

pytestmark = pytest.mark.django_db


def inlines(item=None):
    files = item.files.count() if item else 0
    versions = item.versions.count() if item else 0
    data = {
        "files-TOTAL_FORMS": str(files),
        "files-INITIAL_FORMS": str(files),
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "versions-TOTAL_FORMS": str(versions),
        "versions-INITIAL_FORMS": str(versions),
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    if item:
        for index, row in enumerate(item.files.all()):
            data.update(
                {
                    f"files-{index}-id": row.pk,
                    f"files-{index}-item": item.pk,
                    f"files-{index}-title": row.title,
                    f"files-{index}-position": row.position,
                }
            )
        for index, version in enumerate(item.versions.order_by("-number")):
            data.update({f"versions-{index}-id": version.pk, f"versions-{index}-item": item.pk})
    return data


def form(item=None, **changes):
    data = {
        "kind": "article",
        "slug": "",
        "title_da": "Ny vejledning",
        "title_en": "New guidance",
        "summary_da": "Kort.",
        "summary_en": "Short.",
        "body_da": "Tekst",
        "body_en": "Text",
        "external_url": "",
        "owner": "",
        "review_by": "",
        "successor": "",
        "new_status": "",
        "change_note": "",
        "topics": [],
        "atmp_classes": [],
        "stages": [],
    }
    if item is not None:
        data.update(
            {
                "kind": item.kind,
                "slug": item.slug,
                "title_da": item.title_da,
                "title_en": item.title_en,
                "summary_da": item.summary_da,
                "summary_en": item.summary_en,
                "body_da": item.body_da,
                "body_en": item.body_en,
                "review_by": item.review_by or "",
                "topics": [t.value for t in item.tags.filter(dimension="topic")],
            }
        )
    data.update(inlines(item))
    data.update(changes)
    return data


def test_the_secretariat_writes_tags_and_publishes_an_item_with_a_file(client, secretariat):
    sign_in(client, secretariat)
    data = form(
        topics=["regulatory", "hospital_exemption"],
        atmp_classes=["somatic_cell"],
        new_status="published",
        **{
            "files-TOTAL_FORMS": "1",
            "files-0-title": "Skabelon",
            "files-0-position": "0",
            "files-0-file": SimpleUploadedFile("skabelon.docx", b"PK docx"),
        },
    )
    response = client.post(reverse("admin:knowledge_item_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Item.objects.get(slug="ny-vejledning")
    assert item.status == ItemStatus.PUBLISHED
    assert sorted(t.value for t in item.tags.all()) == ["hospital_exemption", "regulatory", "somatic_cell"]
    assert item.files.get().original_name == "skabelon.docx"
    assert item.versions.get().published_by == secretariat
    assert item.review_by == timezone.localdate() + datetime.timedelta(days=365)


def test_changing_a_published_text_in_the_admin_asks_for_a_change_note_and_keeps_the_input(
    client, secretariat
):
    item = library_item(actor=secretariat, slug="kept")
    sign_in(client, secretariat)
    url = reverse("admin:knowledge_item_change", args=[item.pk])
    response = client.post(url, form(item, body_da="Rettet tekst"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rettet tekst" in page  # nothing the secretariat typed is lost
    assert "change_note" in response.context["adminform"].form.errors
    assert Item.objects.get(pk=item.pk).body_da != "Rettet tekst"

    response = client.post(url, form(item, body_da="Rettet tekst", change_note="Ny frist"))
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).body_da == "Rettet tekst"
    assert item.versions.order_by("-number").first().change_note == "Ny frist"


def test_the_secretariat_withdraws_an_item_and_names_its_successor(client, secretariat):
    item = library_item(actor=secretariat, slug="old")
    successor = library_item(actor=secretariat, slug="new")
    sign_in(client, secretariat)
    response = client.post(
        reverse("admin:knowledge_item_change", args=[item.pk]),
        form(item, new_status="withdrawn", successor=successor.pk),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN and item.successor == successor


def test_the_review_filter_lists_items_past_their_review_date(client, secretariat):
    late = library_item(actor=secretariat, slug="late", title_da="Forfalden vejledning")
    Item.objects.filter(pk=late.pk).update(review_by=timezone.localdate() - datetime.timedelta(days=3))
    library_item(actor=secretariat, slug="fine", title_da="Frisk vejledning")
    sign_in(client, secretariat)
    page = client.get(reverse("admin:knowledge_item_changelist"), {"review": "due"}).content.decode()
    assert "Forfalden vejledning" in page and "Frisk vejledning" not in page
