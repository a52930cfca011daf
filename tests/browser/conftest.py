"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

import contextlib
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"No Chromium at {CHROMIUM}: install Debian's (sudo apt-get install chromium) to run "
            "the browser tests, or set CHROMIUM to its path."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _context(browser, live_server, request, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(15_000)
    pages = []
    context.on("page", lambda page: pages.append(page))
    yield context
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for i, page in enumerate(pages):
            with contextlib.suppress(Exception):  # a closed page has nothing to show
                page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
    context.close()


@pytest.fixture
def context(browser, live_server, request, transactional_db):
    yield from _context(browser, live_server, request)


@pytest.fixture
def audit_context(browser, live_server, request, transactional_db):
    """For the accessibility audit only: axe-core is injected, which the site's CSP forbids."""
    yield from _context(browser, live_server, request, bypass_csp=True)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def small_year(transactional_db):
    """The small year made with factories (tests/small_year.py), for the live server to serve."""
    from bscb.core.roles import ensure_roles
    from tests.small_year import build_small_year

    ensure_roles()  # the roles and their permissions, after a flush
    return build_small_year()
