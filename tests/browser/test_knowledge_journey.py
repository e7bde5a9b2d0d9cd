"""A reader searches the library in Danish and English and builds a checklist for an academic gene
therapy phase I trial, then downloads it as PDF: all without logging in, in real Chromium."""

import re
import zlib

import pytest
from playwright.sync_api import expect

from knowledge import demo_data, reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def library(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_data.load()
    demo_data.load()


def test_a_reader_searches_the_library_in_both_languages_and_takes_a_checklist_as_pdf(
    page, live_server, screenshot, library
):
    page.goto("/knowledge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vidensbank")
    page.get_by_role("searchbox", name="Søg").fill("genterapi")
    page.get_by_role("button", name="Søg", exact=True).click()
    expect(page.get_by_role("link", name="Kliniske forsøg med genterapi: ansøgning i CTIS")).to_be_visible()
    expect(page.get_by_role("link", name="Hospitalsundtagelse trin for trin")).to_have_count(0)
    screenshot(page, "knowledge-library-search-da")

    page.get_by_role("button", name="English").click()
    page.get_by_role("searchbox", name="Search").fill("hospital exemption")
    page.get_by_role("button", name="Search", exact=True).click()
    result = page.get_by_role("link", name="Hospital exemption step by step")
    expect(result).to_be_visible()
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hospital exemption step by step")
    screenshot(page, "knowledge-item-en")

    # The checklist, with the keyboard-and-mouse form (no JavaScript needed for any of it).
    page.goto("/knowledge/checklist/")
    page.get_by_label("ATMP class").select_option("gene_therapy")
    page.get_by_label("Development stage").select_option("phase_1")
    page.get_by_label("Academic (university or research group)").check()
    page.get_by_role("group", name="genetically modified organism").get_by_label("Yes").check()
    page.get_by_label("Autologous (the patient's own cells)").check()
    page.get_by_label("Clinical trial").check()
    page.get_by_role("button", name="Show my checklist").click()
    expect(page).to_have_url(re.compile(r"atmp_class=gene_therapy&stage=phase_1&sponsor=academic"))
    steps = page.locator(".checklist-step h3")
    expect(steps).to_have_count(6)
    expect(steps.nth(4)).to_contain_text("Apply for the clinical trial in CTIS")
    screenshot(page, "knowledge-checklist-result-en")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    pdf = open(download_info.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF-")
    text = b"".join(
        zlib.decompress(stream) for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    ).decode("latin-1")
    assert "Apply for the clinical trial in CTIS" in text

    # Ask about it: the request form (after logging in) comes back with the answers.
    page.get_by_role("link", name="Ask ATMP Danmark about this").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=.*atmp_class"))
    assert page.csp_violations == []
