"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# The browser tests (`-m browser`, test_browser_*.py and the others marked so, in every app) share one Chromium:
# pytest-playwright's `browser` fixture is session-scoped, launched once with the arguments below; each test
# opens its own context(s) on it (`browser.new_context(locale=...)`, or the `page` fixture), closed after it.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright cannot download its own browser here: drive Debian's Chromium, kept off the network.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_language() -> Any:
    """Each test starts in the default language, whatever the previous one activated."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Rate limits and used one-time codes start from nothing in each test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _allow_db_beside_playwright() -> Any:
    """Playwright's sync API keeps an event loop running in the tests' thread until the session ends;
    Django's guard against database calls from async code would refuse the test database's set-up and flush."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], _allow_db_beside_playwright: None) -> dict[str, Any]:
    # A French-speaking browser, as most OpenCOI users: pages start in French.
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def guides_form(settings: Any) -> Any:
    """For tests written for the guides' form (Reg. (EC) No 1235/2008, boxes 1-21) that create COIs through the
    pages or the API without naming a form: new COIs take that form, whatever `COI_FORM_DEFAULT` says."""
    settings.COI_FORM_DEFAULT = "1235/2008"
    return settings


@pytest.fixture(autouse=True)
def _close_browser_contexts(request: pytest.FixtureRequest) -> Any:
    """The contexts a browser test opened on the shared Chromium are closed after it, so their pages (and their
    scripts, timers and connections to the live server) do not pile up in the one browser for the next tests."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


# The longest tests start first, so that neither of the two test workers is left alone with one of them at
# the end. make test runs `--dist worksteal`: each worker gets half of the tests in this order, and a worker
# that runs out takes the other's not yet started tail, so these (at the head) stay on the first worker and
# their module-scoped fixtures are built once. Each module keeps its tests together and in order.
SLOW_FIRST = (
    "core/tests/test_fuzz_api.py",
    "core/tests/test_sec_refusals.py",
    "certificates/tests/test_workflow_matrix.py",
    "core/tests/test_fuzz_workflow.py",
    "reference/tests/test_official_layout.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within each module and among the others is kept
