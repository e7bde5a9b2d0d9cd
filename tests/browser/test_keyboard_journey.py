"""An applicant with a keyboard only: log in, send a request (with a mistake first), reply, withdraw.

No clicks: every step is Tab, Shift+Tab, Enter or typing, and at each step the test checks where
the focus is, because that is where a keyboard or screen-reader user is (WCAG 2.1.1, 2.4.3, 3.3.1).
The portal's CSP is on, as in production.
"""

import re

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry, Status
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAX_TABS = 80


def focused(page) -> str:
    """A short description of the focused element: its id, or tag and text."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return 'body';
          return el.id ? '#' + el.id : el.tagName.toLowerCase() + ':' + (el.textContent || '').trim();
        }"""
    )


def tab_to(page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab until ``selector`` has the focus; fail if the keyboard never gets there."""
    target = page.locator(selector)
    expect(target).to_have_count(1)
    for _ in range(MAX_TABS):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab (focus ends on {focused(page)})")


def test_an_applicant_can_do_everything_with_the_keyboard_and_always_knows_where_the_focus_is(page, owner):
    # --- Log in: the skip link is the first stop, and it moves the focus into the page. ---
    page.goto("/accounts/login/?next=/requests/new/")
    page.keyboard.press("Tab")
    assert focused(page) == "a:" + page.locator(".skipnav").inner_text().strip()
    page.keyboard.press("Enter")
    assert focused(page) == "#main-content"
    tab_to(page, "#id_login")
    page.keyboard.type(owner.email)
    tab_to(page, "#id_password")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests/new/")
    assert page.locator("html").get_attribute("lang") == "da"

    # --- The request form, sent with the question missing: the error summary takes the focus. ---
    page.keyboard.press("Tab")  # the skip link, used again: the form must still put focus right
    page.keyboard.press("Enter")
    tab_to(page, "#id_region")
    page.keyboard.press("End")  # a select: the last region
    for field, text in (("#id_subject", "Spørgsmål om hospitalsundtagelse"),):
        tab_to(page, field)
        page.keyboard.type(text)
    for select in ("#id_topic", "#id_atmp_class", "#id_development_stage"):
        tab_to(page, select)
        page.keyboard.press("ArrowDown")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "form.request-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#form-errors")).to_be_focused()
    assert "#" not in page.url  # the skip link's #main-content did not follow the form
    # The summary's link to the question takes the focus to the field, which says what is wrong.
    page.keyboard.press("Tab")
    link = page.locator("#form-errors a[href='#id_question']")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_question")).to_be_focused()
    described = page.locator("#id_question").get_attribute("aria-describedby") or ""
    assert "id_question_error" in described.split()
    expect(page.locator("#id_question_error")).to_contain_text(re.compile(r"\S"))
    assert page.locator("#id_subject").input_value() == "Spørgsmål om hospitalsundtagelse"  # kept
    page.keyboard.type("Hvilken dokumentation kræver Lægemiddelstyrelsen?")
    tab_to(page, "#id_consent")
    if not page.locator("#id_consent").is_checked():
        page.keyboard.press("Space")
    tab_to(page, "form.request-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/requests/ATMP-\d{4}-\d{4}/$"))
    inquiry = Inquiry.objects.get()

    # --- A reply sent empty: the form posts to #reply, and still the error summary has the focus. ---
    tab_to(page, "#id_body")
    tab_to(page, "form[action$='#reply'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#form-errors")).to_be_focused()
    tab_to(page, "#id_body")
    page.keyboard.type("Vi har også et spørgsmål om GMP.")
    tab_to(page, "form[action$='#reply'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/requests/ATMP-\d{4}-\d{4}/(#.*)?$"))
    expect(page.locator(".request-thread")).to_contain_text("Vi har også et spørgsmål om GMP.")

    # --- Withdraw: a confirmation page first, then the request is withdrawn. ---
    tab_to(page, f"a[href='/requests/{inquiry.reference}/withdraw/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/requests/{inquiry.reference}/withdraw/")
    inquiry.refresh_from_db()
    assert inquiry.status != Status.WITHDRAWN  # opening the page withdraws nothing
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/requests/{inquiry.reference}/")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.WITHDRAWN
    expect(page.locator(".alert-success")).to_be_visible()
    assert page.csp_violations == []
