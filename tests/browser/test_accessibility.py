"""axe-core over every page the portal serves, as each role, in Danish and English (WCAG 2.1 A/AA).

The pages come from tests/page_inventory.py (the URL resolver and the admin registry), filled
with the demo data, so a page added tomorrow is audited tomorrow. Each role signs in once, through
the real login form (and the second factor for the secretariat); its session is reused for a
Danish and an English browser context, each opening its pages one after the other in one tab.

axe-core is vendored from npm in tests/vendor/axe-core/ (see VERSION and LICENSE there). Playwright
puts it into the page as an inline script, which the portal's strict CSP (`script-src 'self'`)
rightly refuses; the audit's browser contexts alone use ``bypass_csp=True``. The CSP itself is
tested by tests/test_security_headers.py and the other journeys, which keep it.

A failure lists each rule with the pages and elements it failed on; the full report of the last
run is written to var/a11y/axe-report.json.
"""

import json
import os
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import IN_CI, totp_code
from tests.page_inventory import DEMO_APPLICANT, page_urls, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
REPORT = Path(__file__).resolve().parents[2] / "var" / "a11y" / "axe-report.json"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 640}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ALL_RULES = {"type": "tag", "values": WCAG_21_AA}
# At 390 px only what the width changes: a table that now scrolls must be reachable by keyboard.
# The other rules read the same markup and colours as at 1280 px; running them twice only costs.
LAYOUT_RULES = {"type": "rule", "values": ["scrollable-region-focusable"]}
LANGUAGES = ("da", "en")

DEMO_PASSWORD = "atmp-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ROLES = {
    "anonymous": None,
    "applicant": DEMO_APPLICANT,
    "steering_member": "styregruppe@atmp-demo.example",
    "secretariat": "sekretariat@atmp-demo.example",
}

RUN_AXE = """async (only) => {
  const result = await axe.run(document, {runOnly: only, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


@pytest.fixture
def demo_data(db):
    seed()


def _log_in(page, email: str, *, two_factor: bool) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    if two_factor:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.fill("#id_code", totp_code(DEMO_TOTP_SECRET))
        page.press("#id_code", "Enter")
    page.wait_for_function("() => !location.pathname.startsWith('/accounts/')")


def _open(page, url: str) -> bool:
    """Whether this role is shown a page at this URL (not a redirect, an error or a file)."""
    try:
        response = page.goto(url)
    except PlaywrightError:  # Chromium reports a 405 or 404 with an empty body as a failed load
        return False
    if response is None or response.status != 200:
        return False
    if "text/html" not in response.headers.get("content-type", ""):
        return False
    # Redirected (to the login, or elsewhere): that page is audited in its own right.
    return urlsplit(page.url).path == urlsplit(url).path


def _axe(page, only: dict = ALL_RULES) -> list[dict]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, only)


def _reflow(page) -> list[dict]:
    """WCAG 1.4.10: at 320 CSS pixels nothing but a data table's own scroll box scrolls sideways."""
    page.set_viewport_size(NARROWEST)
    wider = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(DESKTOP)
    if wider <= 0:
        return []
    help_text = f"scrolls sideways by {wider}px"
    return [{"id": "reflow-320", "impact": "serious", "help": help_text, "nodes": ["html"]}]


def _states(page, label: str) -> dict[str, list[dict]]:
    """Violations by width: the desktop, and for the portal's own pages a phone and 320 px."""
    states = {"1280": _axe(page)}
    if not label.startswith("admin:"):
        page.set_viewport_size(PHONE)
        states["390"] = _axe(page, LAYOUT_RULES) + _reflow(page)
    return states


def _only() -> list[str]:
    """The inner loop's filter: A11Y_PAGES=admin:inquiries,knowledge audits only the pages whose
    inventory label contains one of those words. Unset, and always in CI, every page is audited."""
    return [] if IN_CI else [word for word in os.environ.get("A11Y_PAGES", "").split(",") if word]


def _chosen(label: str) -> bool:
    only = _only()
    return not only or any(word in label for word in only)


def test_every_page_meets_wcag_21_aa_for_every_role_in_both_languages(browser, live_server, demo_data):
    urls = page_urls(applicant=DEMO_APPLICANT)
    audited: list[dict] = []
    for role, email in ROLES.items():
        login_context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        if email:
            _log_in(login_context.new_page(), email, two_factor=role == "secretariat")
        session = login_context.storage_state()
        login_context.close()
        for language in LANGUAGES:
            context = browser.new_context(
                base_url=live_server.url,
                bypass_csp=True,
                storage_state=session,
                locale="da-DK" if language == "da" else "en-GB",
                viewport=DESKTOP,
            )
            context.add_cookies([{"name": "atmp_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(20_000)
            pages = [(label, url) for label, url in urls.items() if _chosen(label)]
            if role == "anonymous":
                pages.append(("404", "/no-such-page/"))
            for label, url in pages:
                if role != "secretariat" and label.startswith("admin:"):
                    continue  # the admin is the secretariat's; others are sent to the login
                if label == "404":
                    page.goto(url)  # the 404 page: its status is tested elsewhere
                elif not _open(page, url):
                    continue
                for width, violations in _states(page, label).items():
                    audited.append(
                        {
                            "role": role,
                            "language": language,
                            "width": width,
                            "page": label,
                            "url": url,
                            "violations": violations,
                        }
                    )
            context.close()

    failing = [entry for entry in audited if entry["violations"]]
    by_rule: dict[str, list[str]] = defaultdict(list)
    elements: Counter = Counter()
    for entry in failing:
        for violation in entry["violations"]:
            state = f"{entry['role']}/{entry['language']}/{entry['width']}"
            by_rule[violation["id"]].append(f"{state} {entry['url']}")
            elements[violation["id"]] += len(violation["nodes"])
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "page_states": len(audited),
                "pages": len({entry["url"] for entry in audited}),
                "failing_page_states": len(failing),
                "violations_by_rule": {rule: len(pages) for rule, pages in sorted(by_rule.items())},
                "elements_by_rule": dict(sorted(elements.items())),
                "audited": audited,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    # Without A11Y_PAGES the whole portal was walked: far more than a handful of pages.
    least = 1 if _only() else 61
    assert len({entry["url"] for entry in audited}) >= least, "the audit opened suspiciously few pages"
    summary = "\n".join(
        f"  {rule}: {len(pages)} page states, {elements[rule]} elements, e.g. {pages[0]}"
        for rule, pages in sorted(by_rule.items())
    )
    assert not failing, f"WCAG 2.1 AA violations on {len(failing)} of {len(audited)} page states:\n{summary}"
