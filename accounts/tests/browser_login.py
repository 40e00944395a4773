"""Logging in through the real login page in Chromium: the one helper every browser test (`-m browser`) uses.

`log_in(page, ...)` logs a person in on a page already open; `logged_in(browser, ...)` opens a new browser context
(its own cookies: one person per context) and logs in there; `in_french(browser, ...)` is a French-speaking person
at the desk (their account's language French, a French browser, 1280 x 900 px), as issue 23's tests read the pages.
A person with two-factor authentication on is asked for a code after the password (allauth's
/accounts/2fa/authenticate/): `two_factor` gives it, called only then (codes are single-use, so none is spent
for a person not asked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, Page

from accounts.tests.factories import PASSWORD

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/2fa/authenticate/"
DESK = {"width": 1280, "height": 900}


def log_in(
    page: Page, base: str, email: str, *, password: str = PASSWORD, two_factor: Callable[[], str] | None = None
) -> Page:
    """Log `email` in on `page` (the live server at `base`), giving a two-factor code if the site asks one.

    Returns once the page after the login has loaded. Raises AssertionError when a code is asked and no
    `two_factor` was given; Playwright's TimeoutError when the login page does not let the person in.
    """
    page.goto(f"{base}{LOGIN}")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: LOGIN not in url)
    if TWO_FACTOR in page.url:
        if two_factor is None:
            raise AssertionError(f"{email} is asked for a two-factor code and the test gave none")
        page.locator("#id_code").fill(two_factor())
        page.locator("#id_code").press("Enter")
        page.wait_for_url(lambda url: TWO_FACTOR not in url)
    page.wait_for_load_state()
    return page


def logged_in(
    browser: Browser,
    base: str,
    email: str,
    *,
    locale: str = "en-GB",
    javascript: bool = True,
    viewport: dict[str, int] | None = None,
    password: str = PASSWORD,
    two_factor: Callable[[], str] | None = None,
) -> Page:
    """A new page, in a browser context of its own (`locale`, JavaScript on or off, `viewport`), logged in."""
    options: dict[str, Any] = {"locale": locale, "java_script_enabled": javascript}
    if viewport:
        options["viewport"] = viewport
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(10000)
    return log_in(page, base, email, password=password, two_factor=two_factor)


def in_french(
    browser: Browser, base: str, user: Any, *, javascript: bool = True, two_factor: Callable[[], str] | None = None
) -> Page:
    """`user` (their account's language set to French) logged in from a French browser at the desk (1280 px)."""
    user.language = "fr"
    user.save(update_fields=["language"])
    return logged_in(
        browser, base, user.email, locale="fr-FR", javascript=javascript, viewport=DESK, two_factor=two_factor
    )
