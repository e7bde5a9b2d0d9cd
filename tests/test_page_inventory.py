"""The accessibility audit's list of pages is complete: every URL is either opened or explained."""

import pytest

from tests.page_inventory import (
    DEMO_APPLICANT,
    NOT_PAGES,
    OPENERS,
    page_urls,
    routes,
    seed,
    unaccounted_routes,
)

pytestmark = pytest.mark.django_db


def test_every_url_with_parameters_is_opened_by_the_audit_or_declared_not_a_page():
    missing = [f"{route.name} ({route.route})" for route in unaccounted_routes()]
    assert not missing, f"add these to OPENERS or NOT_PAGES in tests/page_inventory.py: {missing}"


def test_the_inventory_names_no_url_that_no_longer_exists():
    names = {route.name for route in routes()}
    assert not (set(NOT_PAGES) | set(OPENERS)) - names


def test_the_demo_data_opens_every_page_including_each_admin_models_pages():
    seed()
    urls = page_urls(applicant=DEMO_APPLICANT)
    assert urls["inquiries:detail"].startswith("/requests/ATMP-")
    assert urls["admin:governance_meeting_change"].endswith("/change/")
    assert "/admin/inquiries/" in urls["admin:app_list:inquiries"]
    assert "governance:feed" not in urls
