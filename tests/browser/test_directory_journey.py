"""A visitor finds GMP manufacturing in Region Hovedstaden on the map, in Danish and in English,
and the directory's pages pass axe-core with no WCAG 2.1 A/AA violations."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from network import demo_data
from pages.loading import run_loaders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture
def directory(db):
    run_loaders("reference_data")  # governance's organisations, then the directory's own
    demo_data.load()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
        ".map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return result


@pytest.mark.parametrize(
    ("language", "capability", "region_link", "entry"),
    [
        (
            "da",
            "GMP-fremstilling (MIA / MIA(IMP))",
            "Region Hovedstaden",
            "GMP-facilitet for celle- og genterapi",
        ),
        (
            "en",
            "GMP manufacturing (MIA / MIA(IMP))",
            "Capital Region of Denmark",
            "GMP-facilitet for celle- og",
        ),
    ],
)
def test_a_visitor_finds_gmp_manufacturing_in_region_hovedstaden_on_the_map(
    page, live_server, screenshot, directory, language, capability, region_link, entry
):
    page.context.add_cookies([{"name": "atmp_language", "value": language, "url": live_server.url}])
    page.goto("/directory/")
    page.get_by_label("Kompetence" if language == "da" else "Capability", exact=True).select_option(
        label=capability
    )
    page.get_by_role("button", name="Søg" if language == "da" else "Search", exact=True).click()
    # The map's region (the SVG is for the eye; its table twin is the same link for everyone).
    page.locator("svg.directory-map a.map-area").nth(4).click()
    expect(page.locator(".directory-region-selected")).to_contain_text(region_link)
    cards = page.locator(".directory-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(entry)
    screenshot(page, f"directory-gmp-hovedstaden-{language}")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"directory-gmp-hovedstaden-{language}-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    cards.first.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text(entry)
    screenshot(page, f"directory-entry-{language}")
    assert page.csp_violations == []


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_directory_pages_pass_axe_core(browser, live_server, directory, language):
    # axe is injected from the test, so this context alone lets a script in past the CSP.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.add_cookies([{"name": "atmp_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    problems = {}
    for path in (
        "/directory/",
        "/directory/?region=hovedstaden&capability=gmp-manufacturing",
        "/directory/vaevscenter-syddanmark-demo/",
        "/directory/dkma/",
    ):
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    context.close()
    assert problems == {}, json.dumps(problems, indent=1)
