"""The steering group's dashboard prints on one A4 page, in Danish (longer words) as in English."""

import re

import pytest

from tests.page_inventory import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_dashboard_prints_on_one_a4_page(page, live_server, language):
    seed()  # the demo data: every section of the dashboard has rows
    page.goto("/accounts/login/")
    page.fill("#id_login", "styregruppe@atmp-demo.example")
    page.fill("#id_password", "atmp-demo-2026")
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile(r".*/$"))
    page.context.add_cookies([{"name": "atmp_language", "value": language, "url": live_server.url}])
    page.goto("/dashboard/")
    assert page.locator("html").get_attribute("lang") == language
    page.emulate_media(media="print")
    assert _pages(page.pdf(format="A4", print_background=True)) == 1
