"""The secretariat keeps the directory in the admin, through the services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from network import services
from network.models import Capability, Entry
from tests.conftest import sign_in
from tests.factories import directory_entry

pytestmark = pytest.mark.django_db
ENTRIES = reverse("admin:network_entry_changelist")


@pytest.fixture
def admin_client(client, secretariat):
    client.cookies["atmp_language"] = "en"
    sign_in(client, secretariat)
    return client


def entry_data(**overrides):
    data = {
        "name": "Vector lab Aarhus (demo)",
        "name_language": "en",
        "slug": "",
        "entry_type": "university_group",
        "region": "midtjylland",
        "parent": "",
        "description_da": "Laver vektorer.",
        "description_en": "Makes vectors.",
        "contact_email": "vectors@lab.example",
        "contact_language": "en",
        "website": "lab.example",
        "is_published": "on",
        "atmp_classes": ["gene_therapy"],
        "stages": ["preclinical", "phase_1"],
        "interests-TOTAL_FORMS": 0,
        "interests-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_secretariat_adds_an_entry_through_the_service_with_its_name_on_the_history(
    admin_client, secretariat, capabilities
):
    vector = capabilities["viral-vector-production"]
    response = admin_client.post(reverse("admin:network_entry_add"), entry_data(capabilities=[vector.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get()
    assert entry.slug == "vector-lab-aarhus-demo"
    assert entry.website == "https://lab.example"
    assert list(entry.capabilities.all()) == [vector]
    assert sorted(entry.stage_rows.values_list("stage", flat=True)) == ["phase_1", "preclinical"]
    record = AuditEntry.objects.for_object(entry).get()
    assert (record.action, record.actor) == ("network.entry.created", secretariat)


def test_changing_capabilities_records_what_changed(admin_client, secretariat, capabilities):
    entry = directory_entry(
        "Vector lab Aarhus (demo)", region="midtjylland", capability_codes=["plasmid-dna"]
    )
    data = entry_data(capabilities=[capabilities["gmo-facility"].pk])
    data.pop("slug")
    response = admin_client.post(reverse("admin:network_entry_change", args=[entry.pk]), data)
    assert response.status_code == 302
    assert [c.code for c in entry.capabilities.all()] == ["gmo-facility"]
    record = AuditEntry.objects.for_object(entry).filter(action="network.entry.updated").get()
    assert record.actor == secretariat
    assert record.data["capabilities"] == [["plasmid-dna"], ["gmo-facility"]]
    assert "atmp_classes" in record.data


def test_a_taken_address_is_refused_next_to_the_field(admin_client, capabilities):
    directory_entry("First (demo)", slug="taken")
    response = admin_client.post(reverse("admin:network_entry_add"), entry_data(slug="taken"))
    assert response.status_code == 200
    assert "Another entry has this address already." in response.content.decode()
    assert Entry.objects.count() == 1


def test_entries_not_confirmed_in_time_are_flagged_and_filterable(admin_client, capabilities, settings):
    stale = directory_entry("Stale (demo)")
    fresh = directory_entry("Fresh (demo)")
    overdue = settings.NETWORK_CONFIRM_EVERY_DAYS + settings.NETWORK_CONFIRM_GRACE_DAYS + 10
    services.entry_confirm(
        entry=stale, actor=None, on=timezone.localdate() - datetime.timedelta(days=overdue)
    )
    services.entry_confirm(entry=fresh, actor=None)
    listing = admin_client.get(ENTRIES).content.decode()
    assert listing.count("Not confirmed since") == 1
    flagged = admin_client.get(ENTRIES, {"confirmation": "overdue"}).content.decode()
    assert "Stale (demo)" in flagged and "Fresh (demo)" not in flagged


def test_capabilities_are_edited_bilingually_and_never_deleted(admin_client, capabilities):
    response = admin_client.post(
        reverse("admin:network_capability_add"),
        {"code": "biobank", "name_da": "Biobank", "name_en": "Biobank", "position": 5, "is_active": "on"},
    )
    assert response.status_code == 302
    assert Capability.objects.get(code="biobank").name_da == "Biobank"
    gmp = capabilities["gmp-manufacturing"]
    assert admin_client.post(reverse("admin:network_capability_delete", args=[gmp.pk])).status_code == 403


def test_staff_without_a_second_factor_is_sent_to_set_it_up(client, staff_without_mfa):
    sign_in(client, staff_without_mfa)
    response = client.get(ENTRIES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("who", ["owner", "steering_member"])
def test_applicants_and_steering_members_do_not_reach_the_directory_admin(client, request, who):
    sign_in(client, request.getfixturevalue(who))
    response = client.get(ENTRIES)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_entry_list_query_count_does_not_grow(admin_client, capabilities, django_assert_max_num_queries):
    for n in range(3):
        directory_entry(f"Unit {n} (demo)", capability_codes=["apheresis"])
    with django_assert_max_num_queries(30) as few:
        admin_client.get(ENTRIES)
    for n in range(3, 30):
        directory_entry(f"Unit {n} (demo)", capability_codes=["apheresis", "cleanroom"])
    with django_assert_max_num_queries(30) as many:
        admin_client.get(ENTRIES)
    assert len(many) == len(few)


def test_a_standing_interest_is_added_through_the_service(admin_client, secretariat, capabilities):
    entry = directory_entry(
        "Vector lab Aarhus (demo)", region="midtjylland", capability_codes=["plasmid-dna"]
    )
    data = entry_data(capabilities=[capabilities["plasmid-dna"].pk])
    data.pop("slug")
    data.update(
        {
            "interests-TOTAL_FORMS": 1,
            "interests-0-capability": capabilities["viral-vector-production"].pk,
            "interests-0-atmp_class": "gene_therapy",
            "interests-0-stage": "",
        }
    )
    response = admin_client.post(reverse("admin:network_entry_change", args=[entry.pk]), data)
    assert response.status_code == 302
    interest = entry.interests.get()
    assert (interest.capability.code, interest.atmp_class) == ("viral-vector-production", "gene_therapy")
    record = AuditEntry.objects.for_object(entry).get(action="network.entry.interest_added")
    assert record.actor == secretariat
    assert "Viral" in record.data["interest"] or "vektor" in record.data["interest"].lower()
