"""The browser test harness: a real Chromium driven by Playwright against a live server.

Every page a test opens is watched for console errors and CSP violations, and
``assert_accessible`` fails the test on any axe-core violation.
"""

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tools.chromium import CHROMIUM_ARGS

# Playwright's sync API runs an event loop in this thread; the Django ORM calls
# the tests make between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_path() -> str | None:
    """Debian's Chromium where it exists; otherwise Playwright's own download."""
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(), headless=True, args=list(CHROMIUM_ARGS)
        )
        yield browser
        browser.close()


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen on a page.

    The browser logs an error status of the page itself (a 404 page, say) as a
    failed load; that is the test's business, so only failed sub-resources and
    real errors count.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.messages: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        is_document_status = message.text.startswith("Failed to load resource") and (
            message.location.get("url") == self.page.url
        )
        if not is_document_status:
            self.messages.append(f"console: {message.text} ({message.location.get('url')})")

    def on_page_error(self, error: Exception) -> None:
        self.messages.append(f"page error: {error}")


def _watched_page(browser: Browser, live_server, **options) -> Iterator[Page]:
    """A fresh browser tab with ``options`` for its context; the test fails if the page
    logged any error."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    page = context.new_page()
    problems = PageProblems(page)
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    page.problems = problems
    yield page
    context.close()
    assert problems.messages == [], "The page reported errors:\n" + "\n".join(problems.messages)


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh browser tab; the test fails if the page logged any error."""
    yield from _watched_page(browser, live_server)


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh browser tab with JavaScript off; the test fails if the page logged any error."""
    yield from _watched_page(browser, live_server, java_script_enabled=False)


_axe = Axe()


def assert_accessible(page: Page, context: dict | None = None) -> None:
    """Fail with axe-core's report if the current page has any accessibility violation
    (only in the parts ``context`` names, as axe-core's context: ``{"include": [...]}``)."""
    results = _axe.run(page, context=context)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page: Page, live_server, client, user) -> None:
    """Sign ``user`` in on ``page`` with a session made by Django's test client; signing in
    through the pages has browser tests of its own."""
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def assert_no_page_errors(page: Page) -> None:
    """Fail now (not only at teardown) if the page logged errors or CSP violations."""
    assert page.problems.messages == [], "\n".join(page.problems.messages)
