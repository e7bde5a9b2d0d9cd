"""A referral to a directory entry in Chromium: the secretariat refers a request to an entry from
the entry's admin page, records the outcome, and the applicant sees the entry and what was shared
on the request page, in Danish and in English, on a laptop and a phone."""

import pytest
from playwright.sync_api import expect

from network.reference_data import load_capabilities
from tests.browser.test_requests_journey import _log_in
from tests.factories import directory_entry, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHARED = "Et hospital søger et sted med en fase I-enhed til et førstegangsforsøg med en AAV-vektor."


def test_referral_from_the_entry_page_to_the_applicants_request_page(
    page, browser, live_server, screenshot, secretariat, owner
):
    load_capabilities()
    inquiry = submit(
        owner,
        topic="clinical_trials",
        atmp_class="gene_therapy",
        subject="Sites for a first-in-human AAV trial",
        shareable_summary="A first-in-human trial of an AAV gene therapy.",
        confidential_details="Unpublished toxicology.",
    )
    entry = directory_entry(
        "Fase I-enhed, Hovedstaden (demo)",
        capability_codes=["phase-1-unit"],
        contact_email="fase1@unit.example",
        website="https://fase1.example",
    )

    _log_in(page, secretariat, two_factor=True, next_url=f"/admin/network/entry/{entry.pk}/change/")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("link", name="Henvis en henvendelse til dette opslag").click()
    page.fill("#id_reference", "ATMP-1999-0001")
    page.fill("#id_note", SHARED)
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("Ingen henvendelse har denne reference")
    expect(page.locator("#id_note")).to_have_value(SHARED)  # what was typed is kept
    screenshot(page, "referral-add-error-da-1366")
    page.fill("#id_reference", inquiry.reference)
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.get_by_role("link", name=inquiry.reference, exact=True).click()
    page.select_option("#id_outcome", "accepted")
    page.fill("#id_outcome_note", "Enheden har taget kontakt til ansøgeren.")
    screenshot(page, "referral-change-da-1366")
    page.get_by_role("button", name="Gem", exact=True).click()

    page.goto(f"/admin/network/entry/{entry.pk}/change/")
    referrals = page.locator("table.entry-activity", has_text=inquiry.reference)
    expect(referrals).to_contain_text("Overtaget af samarbejdspartneren")
    page.locator("table.entry-activity").last.scroll_into_view_if_needed()
    screenshot(page, "entry-admin-referrals-da-1366")

    for language, width in (("da", 1366), ("en", 1366), ("da", 390), ("en", 390)):
        applicant = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        applicant.add_cookies([{"name": "atmp_language", "value": language, "url": live_server.url}])
        reader = applicant.new_page()
        _log_in(reader, owner, next_url=f"/requests/{inquiry.reference}/")
        section = reader.locator("#referred-sites + p + ul")
        expect(section).to_contain_text("Fase I-enhed, Hovedstaden (demo)")
        expect(section).to_contain_text("fase1@unit.example")
        expect(section).to_contain_text(SHARED)
        expect(section).not_to_contain_text("Unpublished toxicology")
        if language == "en":
            expect(section.locator('a[lang="da"]')).to_have_text("Fase I-enhed, Hovedstaden (demo)")
        reader.locator("#referred-sites").scroll_into_view_if_needed()
        screenshot(reader, f"referral-request-page-{language}-{width}")
        if width == 390:  # WCAG 1.4.10, as the audit checks it: nothing scrolls sideways at 320 px
            reader.set_viewport_size({"width": 320, "height": 900})
            wider = reader.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert wider <= 0, f"the request page scrolls sideways by {wider}px at 320 px"
        applicant.close()
    assert not page.csp_violations
