"""Playwright for Python driving Debian's Chromium (no browser download: executable_path)."""

import os
from pathlib import Path

import pytest

from tests.conftest import chromium_path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # This machine has no network beyond localhost: keep Chromium from trying.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _keep_serialized_contents(saved: dict[str, str]) -> None:
    """Hand the test database's serialized contents to the connections seen once Playwright runs.

    Playwright's sync API leaves an event loop running in this thread. Django keeps its connections
    in an asgiref ``Local`` that then follows the context instead of the thread: the tests get new
    connection objects, without the ``_test_serialized_contents`` that ``setup_databases`` put on the
    old ones. A ``serialized_rollback`` test would then start from the empty database that the
    previous transactional test's flush left (no Secretariat group, new content type ids): CI, stop 22.
    """
    from django.db import connections

    for alias, contents in saved.items():
        connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    path = chromium_path()
    if path is None:
        pytest.skip("needs Chromium")  # the runtest_setup hook fails instead under CI=true
    from django.db import connections

    saved = {
        alias: connections[alias]._test_serialized_contents  # type: ignore[attr-defined]
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    # Playwright's sync API runs an event loop in this thread; the ORM calls that the tests
    # make between browser steps are synchronous and safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
            _keep_serialized_contents(saved)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text)
    )
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
