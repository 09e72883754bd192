"""Browser journeys: Playwright for Python driving Debian's Chromium at /usr/bin/chromium.

Every page a journey visits is checked with axe-core (shipped inside
axe-playwright-python); a serious or critical violation fails the test. Screenshots
are kept in test-artifacts/ (or $HROMADA_TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HROMADA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("HROMADA_TEST_ARTIFACTS", "test-artifacts"))
# Playwright's sync API runs an event loop in this thread; the Django test database is
# used from the same thread by fixtures, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # browser journeys must run in CI, never skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request, live_server):
    context = browser.new_context(base_url=live_server.url, locale="uk-UA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Nothing may leave this machine: fail any request that is not to the live server.
    page.route(
        re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]).*"),
        lambda route: route.abort(),
    )
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Fail on any serious or critical axe-core violation on the current page."""

    def check(page) -> None:
        results = axe.run(page)
        bad = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(
                node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5]
            )
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert not bad, f"axe-core violations on {page.url}:\n" + "\n".join(bad)

    return check
