"""The public directory: who sees what, search and filters, the map, and flat query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import Entry
from tests.factories import directory_entry
from tests.network.conftest import login

pytestmark = pytest.mark.django_db

EVERYONE = ["owner", "colleague", "outsider", "secretariat", "steering_member", "staff_without_mfa"]


@pytest.fixture
def gmp_hovedstaden(capabilities):
    return directory_entry(
        "Cell factory Copenhagen (demo)",
        region="hovedstaden",
        capability_codes=["gmp-manufacturing", "qp-release"],
        atmp_classes=["somatic_cell"],
        stages=["phase_1"],
        description_en="Makes CAR-T cells for trials.",
    )


@pytest.fixture
def apheresis_nord(capabilities):
    return directory_entry(
        "Apheresis unit Aalborg (demo)",
        region="nordjylland",
        entry_type="hospital_unit",
        capability_codes=["apheresis"],
        atmp_classes=["gene_therapy"],
    )


@pytest.fixture
def unpublished(capabilities):
    return directory_entry("Hidden draft (demo)", region="sjaelland", is_published=False)


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_directory_and_published_entry_are_public(client, cast, gmp_hovedstaden, unpublished, who):
    login(client, cast[who])
    listing = client.get(reverse("network:directory"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Cell factory Copenhagen (demo)" in html
    assert ("Hidden draft (demo)" in html) == (who == "secretariat")
    assert client.get(reverse("network:entry", args=[gmp_hovedstaden.slug])).status_code == 200


@pytest.mark.parametrize("who", EVERYONE)
def test_unpublished_entry_is_404_for_all_but_the_secretariat_with_a_second_factor(
    client, cast, unpublished, who
):
    login(client, cast[who])
    response = client.get(reverse("network:entry", args=[unpublished.slug]))
    assert response.status_code == (200 if who == "secretariat" else 404)


def test_unknown_entry_is_404(client, db):
    assert client.get(reverse("network:entry", args=["no-such-entry"])).status_code == 404


# --- Search and filters -----------------------------------------------------------------------------


def _names(response) -> set[str]:
    pattern = r'<h3 class="h4"><a href="[^"]+"(?: lang="[a-z]+")?>([^<]+)</a>'
    return set(re.findall(pattern, response.content.decode()))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "hovedstaden"}, {"Cell factory Copenhagen (demo)"}),
        ({"capability": "apheresis"}, {"Apheresis unit Aalborg (demo)"}),
        ({"atmp_class": "somatic_cell"}, {"Cell factory Copenhagen (demo)"}),
        ({"entry_type": "hospital_unit"}, {"Apheresis unit Aalborg (demo)"}),
        ({"q": "car-t"}, {"Cell factory Copenhagen (demo)"}),
        ({"q": "aalborg", "region": "hovedstaden"}, set()),
        ({"region": "hovedstaden", "capability": "gmp-manufacturing"}, {"Cell factory Copenhagen (demo)"}),
    ],
)
def test_filters_narrow_the_list(client, gmp_hovedstaden, apheresis_nord, query, expected):
    response = client.get(reverse("network:directory"), query)
    assert response.status_code == 200
    assert _names(response) == expected


@pytest.mark.parametrize(
    "query", [{"region": "mars"}, {"capability": "teleportation"}, {"atmp_class": "x"}, {"page": "abc"}]
)
def test_malformed_filters_are_a_clear_4xx_or_ignored_never_a_500(client, gmp_hovedstaden, query):
    response = client.get(reverse("network:directory"), query)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "form-error-message" in response.content.decode()


def test_an_entry_with_two_matching_capabilities_is_listed_once(client, gmp_hovedstaden):
    response = client.get(reverse("network:directory"), {"q": "demo"})
    assert response.content.decode().count("Cell factory Copenhagen (demo)</a>") == 1


# --- The map ------------------------------------------------------------------------------------------


def test_map_counts_link_to_the_filtered_list_and_follow_the_other_filters(
    client, gmp_hovedstaden, apheresis_nord
):
    html = client.get(reverse("network:directory"), {"capability": "apheresis"}).content.decode()
    # The table beside the map: one row per region, with the count left by the capability filter.
    assert re.search(r'href="\?capability=apheresis&amp;region=nordjylland">[^<]+</a></td><td[^>]*>1<', html)
    assert re.search(r'href="\?capability=apheresis&amp;region=hovedstaden">[^<]+</a></td><td[^>]*>0<', html)
    # The SVG is drawn on the server, links the same way and is hidden from screen readers.
    assert '<svg class="directory-map"' in html and 'aria-hidden="true"' in html
    assert html.count('href="?capability=apheresis&amp;region=nordjylland"') == 2
    assert "<script" not in html.split('<svg class="directory-map"')[1].split("</svg>")[0]


def test_choosing_a_region_keeps_the_counts_of_the_others(client, gmp_hovedstaden, apheresis_nord):
    html = client.get(reverse("network:directory"), {"region": "hovedstaden"}).content.decode()
    assert re.search(r'href="\?region=nordjylland">[^<]+</a></td><td[^>]*>1<', html)
    assert 'aria-current="true">Region Hovedstaden' in html or 'aria-current="true">Capital Region' in html


# --- Query counts -----------------------------------------------------------------------------------


def _queries_for(client, django_assert_max_num_queries, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_directory_query_count_does_not_grow_with_entries(
    client, capabilities, django_assert_max_num_queries
):
    url = reverse("network:directory") + "?capability=gmp-manufacturing"
    for n in range(3):
        directory_entry(f"Unit {n} (demo)", capability_codes=["gmp-manufacturing", "apheresis"])
    few = _queries_for(client, django_assert_max_num_queries, url, 8)
    for n in range(3, 45):
        directory_entry(
            f"Unit {n} (demo)",
            capability_codes=["gmp-manufacturing", "cleanroom", "qc-testing"],
            atmp_classes=["gene_therapy", "somatic_cell"],
        )
    many = _queries_for(client, django_assert_max_num_queries, url, 8)
    assert many == few


def test_entry_page_query_count_is_flat(client, capabilities, django_assert_max_num_queries):
    small = directory_entry("Small (demo)", capability_codes=["apheresis"])
    big = directory_entry(
        "Big (demo)",
        capability_codes=list(capabilities)[:12],
        atmp_classes=["gene_therapy", "somatic_cell", "combined"],
        stages=["phase_1", "phase_2", "phase_3"],
    )
    counts = [
        _queries_for(client, django_assert_max_num_queries, reverse("network:entry", args=[e.slug]), 6)
        for e in (small, big)
    ]
    assert counts[0] == counts[1]


# --- Keeping entries true (the public mark) ---------------------------------------------------------


def test_entry_not_confirmed_in_time_says_since_when(client, english, gmp_hovedstaden, settings):
    long_ago = timezone.localdate() - datetime.timedelta(
        days=settings.NETWORK_CONFIRM_EVERY_DAYS + settings.NETWORK_CONFIRM_GRACE_DAYS + 1
    )
    services.entry_confirm(entry=gmp_hovedstaden, actor=None, on=long_ago)
    html = client.get(reverse("network:entry", args=[gmp_hovedstaden.slug])).content.decode()
    assert "Not confirmed since" in html

    services.entry_confirm(entry=gmp_hovedstaden, actor=None)
    html = client.get(reverse("network:entry", args=[gmp_hovedstaden.slug])).content.decode()
    assert "Not confirmed since" not in html


# --- Reference and demo data --------------------------------------------------------------------------


def test_reference_data_lists_the_tor_organisations_without_inventing_capabilities(governance_bodies):
    from network.reference_data import CAPABILITIES, load

    load()
    load()  # idempotent
    entries = Entry.objects.all()
    assert entries.count() == 21
    assert {e.slug for e in entries} >= {"region-hovedstaden", "dkma", "trial-nation"}
    assert not Entry.capabilities.through.objects.exists()
    assert Entry.objects.get(slug="region-syddanmark").region == "syddanmark"
    assert Entry.objects.get(slug="dkma").region == "national"
    from network.models import Capability

    assert Capability.objects.count() == len(CAPABILITIES) >= 18


@pytest.mark.parametrize("language", ["da", "en"])
def test_demo_gmp_manufacturing_in_region_hovedstaden_is_found_from_the_map(
    client, governance_bodies, language
):
    """The issue's "done when": find GMP manufacturing in Region Hovedstaden, in Danish and English."""
    from network import demo_data, reference_data

    reference_data.load()
    demo_data.load()
    assert all("(demo)" in e.name for e in Entry.objects.filter(contact_email__endswith="demo.example"))
    client.cookies["atmp_language"] = language
    listing = client.get(reverse("network:directory"), {"capability": "gmp-manufacturing"}).content.decode()
    found = re.search(r'href="(\?capability=gmp-manufacturing&amp;region=hovedstaden)"', listing)
    assert found is not None
    link = found.group(1)
    filtered = client.get(reverse("network:directory") + link.replace("&amp;", "&"))
    names = _names(filtered)
    assert names and all("Hovedstaden (demo)" in name for name in names)
    assert ("GMP-fremstilling" if language == "da" else "GMP manufacturing") in filtered.content.decode()


def test_search_finds_capabilities_in_both_languages_and_follows_a_renamed_capability(
    client, gmp_hovedstaden, apheresis_nord, capabilities
):
    assert _names(client.get(reverse("network:directory"), {"q": "Aferese"})) == {
        "Apheresis unit Aalborg (demo)"
    }
    assert _names(client.get(reverse("network:directory"), {"q": "QP release"})) == {
        "Cell factory Copenhagen (demo)"
    }
    renamed = capabilities["apheresis"]
    renamed.name_en = "Leukapheresis"
    services.capability_save(actor=None, capability=renamed)
    assert _names(client.get(reverse("network:directory"), {"q": "leukapheresis"})) == {
        "Apheresis unit Aalborg (demo)"
    }
