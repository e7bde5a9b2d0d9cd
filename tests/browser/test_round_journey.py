"""A feasibility round in Chromium: the secretariat starts it from a request, two sites answer
through their personal links (one in Danish, one in English), the deadline passes, and the
applicant sees the answer that was released with consent."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from network import services
from network.links import answer_token
from network.models import Round
from network.reference_data import load_capabilities
from network.tasks import close_due_rounds
from tests.browser.test_requests_journey import _log_in
from tests.factories import directory_entry, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def request_and_sites(owner):
    load_capabilities()
    inquiry = submit(
        owner,
        topic="clinical_trials",
        atmp_class="somatic_cell",
        subject="Sites for a CAR-T phase I trial",
        shareable_summary="A phase I trial of an autologous CAR-T product in lymphoma.",
        confidential_details="Unpublished potency data.",
    )
    danish = directory_entry(
        "Hæmatologisk afdeling (demo)",
        region="sjaelland",
        capability_codes=["apheresis"],
        contact_language="da",
    )
    english = directory_entry(
        "Nordic cell centre (demo)", region="norway", capability_codes=["apheresis"], contact_language="en"
    )
    return inquiry, danish, english


def test_round_from_request_to_released_answer(
    page, browser, live_server, screenshot, secretariat, owner, request_and_sites
):
    inquiry, danish, english = request_and_sites
    _log_in(page, secretariat, two_factor=True, next_url="/admin/network/round/start/")
    page.fill("#id_reference", inquiry.reference)
    page.select_option("#id_atmp_class", "somatic_cell")
    page.get_by_label("Aferese").check()
    page.get_by_role("button", name="Foreslå steder").click()
    expect(page.locator("#content-main")).to_contain_text("Den fortrolige del af henvendelsen sendes aldrig")
    expect(page.locator("#id_synopsis")).to_have_value(
        "A phase I trial of an autologous CAR-T product in lymphoma."
    )
    rows = page.locator("#content-main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("kompetencer: Aferese")
    screenshot(page, "round-start-da")
    page.get_by_role("button", name="Start runden").click()
    expect(page.locator(".messagelist")).to_contain_text("Runden er startet: 2 steder")
    feasibility = Round.objects.get()

    # Two sites answer through their links, without an account: one in Danish, one in English.
    for entry, language, answer, consent in (
        (danish, "da", "Interesseret", True),
        (english, "en", "Not interested", False),
    ):
        site = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
        site.add_cookies([{"name": "atmp_language", "value": language, "url": live_server.url}])
        contact = site.new_page()
        invitation = feasibility.invitations.get(entry=entry)
        contact.goto(f"/directory/answer/{answer_token(invitation)}/")
        expect(contact.locator(".synopsis")).to_contain_text("autologous CAR-T")
        expect(contact.locator("body")).not_to_contain_text("Unpublished potency data")
        contact.get_by_label(answer, exact=True).check()
        contact.get_by_label(re.compile("Kapacitet|Capacity")).fill(f"Capacity of {entry.name}")
        if consent:
            contact.get_by_label(re.compile("må dele dette svar|may share this answer")).check()
        screenshot(contact, f"round-answer-{language}-390")
        contact.get_by_role("button", name=re.compile("Send svar|Send answer")).click()
        expect(contact.locator(".alert-success")).to_be_visible()
        site.close()

    # The deadline passes (beat closes the round); the secretariat releases what may be shared.
    Round.objects.filter(pk=feasibility.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert close_due_rounds() == 1
    page.goto("/admin/network/round/")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "release_answers")
    page.get_by_role("button", name=re.compile("Udfør")).click()
    expect(page.locator(".messagelist")).to_contain_text("1 svar frigivet")

    applicant = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    reader = applicant.new_page()
    _log_in(reader, owner, next_url=f"/requests/{inquiry.reference}/")
    section = reader.locator(".directory-list")
    expect(section).to_contain_text("Hæmatologisk afdeling (demo)")
    expect(section).to_contain_text("Capacity of Hæmatologisk afdeling (demo)")
    expect(reader.locator("body")).not_to_contain_text("Nordic cell centre (demo)")
    screenshot(reader, "round-released-answers-da")
    applicant.close()
    assert page.csp_violations == []
    assert services.round_release(round=feasibility, actor=secretariat) == 0  # nothing twice
