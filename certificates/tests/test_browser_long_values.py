"""Issue 12, point 6, on screen: with the longest allowed value in every text box (one word each), the COI
page and the edit form stay as wide as the window: long words wrap, every value is shown."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from accounts.tests.browser_login import logged_in
from certificates.tests.test_outputs_long_values import long_coi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 1280


@pytest.mark.parametrize("which", ["detail", "edit"])
def test_it_wraps_the_longest_values_within_the_window(
    browser: Browser, live_server: Any, world: Any, which: str
) -> None:
    coi, values = long_coi(world, submitted=False)
    page = logged_in(browser, live_server.url, world.importer.email)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(f"{live_server.url}/certificates/{coi.pk}/{'edit/' if which == 'edit' else ''}")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    shown = page.evaluate(
        "[...document.querySelectorAll('input, textarea')].map(e => e.value).join(' ') + document.body.innerText"
    )
    flat = "".join(shown.split())
    missing = [v[:12] for v in values if v not in flat and not (which == "edit" and "ADDR" in v)]
    assert missing == []
