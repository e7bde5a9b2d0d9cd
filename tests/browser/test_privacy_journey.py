"""An applicant takes their data, then deletes their account, in real Chromium; the secretariat's
queue still counts the request, and the secretariat's privacy pages work."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry
from tests.browser.test_requests_journey import _log_in
from tests.factories import DEFAULT_PASSWORD, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (1366, 390)


def _shots(page, screenshot, name):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_applicant_downloads_their_data_then_deletes_their_account(
    browser, page, live_server, screenshot, owner, secretariat, media
):
    inquiry = submit(owner, subject="Hospitalsundtagelse for CAR-T", question="Hvilken dokumentation?")

    # --- My data, in Danish: what is held, then the ZIP through the one-time link. ---
    _log_in(page, owner, next_url="/account/data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine data")
    _shots(page, screenshot, "privacy-my-data-da")
    page.get_by_role("button", name="Dan mine data til download").click()
    page.wait_for_url(re.compile(r".*/downloads/[0-9a-f-]+/$"))
    expect(page.get_by_role("link", name="Hent filen")).to_be_visible()
    _shots(page, screenshot, "privacy-download-ready-da")
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent filen").click()
    archive = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))
    data = json.loads(archive.read("data.json"))
    assert [r["reference"] for r in data["sources"]["inquiries.requests"]["data"]] == [inquiry.reference]
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linket virker ikke længere")
    _shots(page, screenshot, "privacy-download-gone-da")

    # --- Delete my account: the open request is withdrawn first, said on the page. ---
    page.goto("/account/delete/")
    expect(page.locator("main")).to_contain_text(inquiry.reference)
    _shots(page, screenshot, "privacy-delete-da")
    page.fill("#id_password", "forkert")
    page.get_by_role("button", name="Slet min konto endeligt").click()
    expect(page.locator(".form-error-message")).to_contain_text("Det er ikke din adgangskode")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Slet min konto endeligt").click()
    page.wait_for_url("**/account/deleted/")
    _shots(page, screenshot, "privacy-deleted-da")

    # --- They can no longer sign in. ---
    page.goto("/accounts/login/")
    page.fill("#id_login", "owner@example.org")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("^(Log ind|Log in)$")).click()
    expect(page).to_have_url(re.compile(r".*/accounts/login/$"))

    # --- The secretariat's queue still counts the request, anonymised. ---
    staff = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1366, "height": 900}
    )
    admin = staff.new_page()
    _log_in(admin, secretariat, two_factor=True, next_url="/admin/inquiries/inquiry/")
    expect(admin.locator("#result_list")).to_contain_text(inquiry.reference)
    assert Inquiry.objects.get().anonymised_at is not None
    admin.goto("/admin/privacy/handling/person/?email=owner%40example.org")
    _shots(admin, screenshot, "privacy-admin-person")
    admin.goto("/admin/privacy/handling/retention/")
    _shots(admin, screenshot, "privacy-admin-retention")
    staff.close()
    assert page.csp_violations == []


def test_the_privacy_notice_reads_well_in_both_languages(page, screenshot):
    page.goto("/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privatlivspolitik")
    _shots(page, screenshot, "privacy-notice-da")
    page.context.add_cookies([{"name": "atmp_language", "value": "en", "url": page.url}])
    page.goto("/privacy/")
    expect(page.get_by_role("heading", name="How long we keep it")).to_be_visible()
    _shots(page, screenshot, "privacy-notice-en")
