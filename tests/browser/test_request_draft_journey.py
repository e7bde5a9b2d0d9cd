"""The request form keeps a draft in the browser: an unclear failure loses nothing and files once."""

import re

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry
from tests.browser.test_requests_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fill_form(page):
    page.select_option("#id_region", "midtjylland")
    page.select_option("#id_topic", "hospital_exemption")
    page.select_option("#id_atmp_class", "somatic_cell")
    page.select_option("#id_development_stage", "phase_1")
    page.fill("#id_subject", "Hospitalsundtagelse for CAR-T")
    page.fill("#id_question", "Et langt spørgsmål, skrevet med omhu over en halv time.")
    page.check("#id_consent")


def test_a_submit_whose_answer_is_lost_keeps_the_text_and_a_resubmit_files_once(
    page, owner, media, screenshot
):
    _log_in(page, owner, next_url="/requests/new/")
    expect(page.locator("#draft-note")).to_be_visible()  # says the draft stays on this device
    fill_form(page)
    page.wait_for_timeout(500)  # the draft is saved 300 ms after the last keystroke
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"request-form-draft-note-{width}")

    # The server saves the request, but its answer never reaches the browser (a dropped
    # connection, a proxy timeout): the applicant cannot tell whether it arrived.
    def lose_the_answer(route):
        route.fetch()
        route.abort("connectionreset")

    page.route(
        "**/requests/new/",
        lambda route: lose_the_answer(route) if route.request.method == "POST" else route.continue_(),
    )
    with pytest.raises(Exception):  # noqa: B017 - the navigation fails, as the browser shows it
        page.get_by_role("button", name="Send henvendelse").click()
        page.wait_for_url(re.compile(r".*/requests/ATMP-.*"), timeout=3000)
    page.unroute("**/requests/new/")
    assert Inquiry.objects.count() == 1

    page.goto("/requests/new/")  # back to the form: everything typed is still there
    expect(page.locator("#draft-restored")).to_be_visible()
    expect(page.locator("#id_question")).to_have_value(
        "Et langt spørgsmål, skrevet med omhu over en halv time."
    )
    expect(page.locator("#id_region")).to_have_value("midtjylland")
    screenshot(page, "request-form-draft-restored-1366")
    page.get_by_role("button", name="Send henvendelse").click()
    page.wait_for_url(re.compile(r".*/requests/ATMP-\d{4}-\d{4}/$"))
    inquiry = Inquiry.objects.get()  # still one request: the resubmit found the first
    expect(page.locator(".alert-success")).to_contain_text(inquiry.reference)

    page.goto("/requests/new/")  # the receipt page deleted the draft
    expect(page.locator("#draft-restored")).to_be_hidden()
    expect(page.locator("#id_question")).to_have_value("")
    assert page.csp_violations == []


def test_logging_out_deletes_the_draft(page, owner, media):
    _log_in(page, owner, next_url="/requests/new/")
    page.fill("#id_question", "Halvfærdigt udkast")
    page.wait_for_timeout(500)
    assert any(k.startswith("atmp-draft:") for k in page.evaluate("Object.keys(localStorage)"))
    page.get_by_role("button", name=re.compile("^(Log ud|Log out)$")).click()
    page.wait_for_load_state()
    assert not any(k.startswith("atmp-draft:") for k in page.evaluate("Object.keys(localStorage)"))


def test_an_older_draft_does_not_overwrite_what_the_checklist_filled_in_and_guidance_is_suggested(
    page, owner, media, secretariat, screenshot
):
    from tests.factories import library_item

    library_item(
        actor=secretariat,
        slug="gene-therapy-trials",
        title_da="Kliniske forsøg med genterapi",
        tags={"topic": ["clinical_trials"], "atmp_class": ["gene_therapy"]},
    )
    _log_in(page, owner, next_url="/requests/new/")
    fill_form(page)  # an older draft: hospital exemption, somatic cell, phase I
    page.wait_for_timeout(500)
    # Then the checklist's "ask ATMP Danmark about this" opens the form with other answers.
    page.goto("/requests/new/?topic=clinical_trials&atmp_class=gene_therapy&development_stage=phase_1")
    expect(page.locator("#draft-restored")).to_be_visible()  # the draft filled in the rest
    expect(page.locator("#id_question")).to_have_value(
        "Et langt spørgsmål, skrevet med omhu over en halv time."
    )
    expect(page.locator("#id_topic")).to_have_value("clinical_trials")  # not the draft's
    expect(page.locator("#id_atmp_class")).to_have_value("gene_therapy")
    suggestions = page.locator("#guidance-suggestions")
    expect(suggestions).to_contain_text("Kliniske forsøg med genterapi")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        suggestions.scroll_into_view_if_needed()
        screenshot(page, f"request-form-suggestions-{width}")
    page.select_option("#id_topic", "manufacturing")  # nothing in the library for these two
    page.select_option("#id_atmp_class", "somatic_cell")
    expect(suggestions).to_be_empty()
    page.select_option("#id_atmp_class", "gene_therapy")
    expect(suggestions).to_contain_text("Kliniske forsøg med genterapi")
    assert page.csp_violations == []
