"""A newcomer's first visit, and the secretariat's way into the admin, in real Chromium."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.conftest import totp_code

# The live server needs committed data; serialized_rollback restores what the migrations
# created (the Secretariat group and its permissions) after each flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _wait_for_mail(to: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if to in message.to:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no email to {to} arrived")


def test_home_in_danish_then_english_sign_up_confirm_and_log_in(page, screenshot):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "da"  # Danish although the browser asks for English
    assert page.get_by_role("heading", level=1).inner_text() == "ATMP Danmark"
    expect(page.get_by_role("heading", name="Vejledning")).to_be_visible()
    screenshot(page, "home-da")

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    expect(page.get_by_role("heading", name="Guidance")).to_be_visible()
    screenshot(page, "home-en")

    page.get_by_role("link", name="Create account").first.click()
    page.fill("#id_email", "nina.nielsen@example.org")
    page.fill("#id_full_name", "Nina Nielsen")
    page.fill("#id_organisation", "Odense Universitetshospital")
    page.select_option("#id_applicant_type", "researcher")
    page.select_option("#id_preferred_language", "en")
    page.fill("#id_password1", "a-sound-passphrase-2026")
    page.fill("#id_password2", "a-sound-passphrase-2026")
    screenshot(page, "signup-en")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    message = _wait_for_mail("nina.nielsen@example.org")
    found = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)
    assert found is not None, message.body
    link = found.group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto("/accounts/login/")
    page.fill("#id_login", "nina.nielsen@example.org")
    page.fill("#id_password", "a-sound-passphrase-2026")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")
    expect(page.locator(".portal-user .user")).to_have_text("Nina Nielsen")
    assert User.objects.get(email="nina.nielsen@example.org").last_login is not None
    assert page.csp_violations == []


def test_secretariat_signs_in_with_two_factor_and_reaches_the_admin(page, screenshot, secretariat):
    from pages.loading import run_loaders

    run_loaders("reference_data")
    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/?next=/admin/")
    page.fill("#id_login", secretariat.email)
    page.fill("#id_password", "correct-horse-battery-staple")
    page.get_by_role("button", name="Log ind").click()  # the portal is in Danish until one switches
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("#id_code", totp_code())
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/admin/")
    assert "ATMP Danmark" in page.locator("#site-name").inner_text()
    screenshot(page, "admin-index")

    page.get_by_role("link", name=re.compile("^Organisation(s|er)$")).first.click()
    expect(page.get_by_role("link", name="Lægemiddelstyrelsen")).to_be_visible()
    screenshot(page, "admin-organisations")
    assert page.csp_violations == []


def test_on_a_phone_the_menu_and_login_stay_reachable_without_javascript_dialogs(page, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()
    menu = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Forside")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    screenshot(page, "home-da-phone")
