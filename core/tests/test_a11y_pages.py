"""Accessibility in a real browser: axe-core (vendored, see `core/tests/vendor/README.md`) runs on each main
page, in French and in English, for a visitor and for the demo's importer: no serious or critical violation.
And the forms work with the keyboard alone: tab to a field, type, press Enter."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from accounts.tests import browser_login
from certificates.models import Certificate
from certificates.outputs.verification import public_token
from certificates.statuses import COIStatus
from demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
IMPORTER = "importer@acme-bio.example"
PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/help/", "/accounts/password/reset/"]
MEMBER_PAGES = [
    "/",
    "/accounts/me/",
    "/notices/",
    "/help/",
    "/directory/",
    "/directory/roles/",
    "/directory/operators/search/?q=acme",
    "/directory/control-bodies/",
    "/directory/organisations/",
    "/directory/requests/",
    "/certificates/",
    "/certificates/new/",
    "{coi}",
    "{coi}edit/",
    "{coi}documents/?type=bill_of_lading",
    "{signed}",
    "/dashboard/",
]


def violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations of the page, one line each."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:4]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page: Page, base: str, email: str) -> None:
    browser_login.log_in(page, base, email, password=settings.DEMO_PASSWORD)


@pytest.fixture
def demo(_allow_db_beside_playwright: None) -> dict[str, Any]:
    load_demo()
    coi = Certificate.objects.filter(importer__name__icontains="ACME", status=COIStatus.DRAFT).first()
    signed = Certificate.objects.filter(importer__name__icontains="ACME").exclude(status=COIStatus.DRAFT).first()
    return {
        "coi": f"/certificates/{coi.pk}/",
        "signed": f"/certificates/{signed.pk}/",
        "verify": f"/v/{public_token(signed)}",
    }


@pytest.mark.parametrize("language,locale", [("fr", "fr-FR"), ("en", "en-GB")])
def test_the_main_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_server: Any, demo: dict[str, Any], language: str, locale: str
) -> None:
    base = live_server.url
    User.objects.filter(email=IMPORTER).update(language=language)
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.set_default_timeout(10000)
    found = []
    for path in [*PUBLIC_PAGES, demo["verify"]]:
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == language
        found += violations(page)
    log_in(page, base, IMPORTER)
    for path in MEMBER_PAGES:
        page.goto(base + path.format(**demo))
        assert page.locator("html").get_attribute("lang") == language
        found += violations(page)
    context.close()
    assert found == []


# The keyboard alone ---------------------------------------------------------------------------------------


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the field has the focus, as a person without a mouse does (fails if it never comes)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reaches {selector} on {page.url}")


def test_the_forms_work_with_the_keyboard_alone(browser: Browser, live_server: Any, demo: dict[str, Any]) -> None:
    base = live_server.url
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10000)

    page.goto(f"{base}/accounts/signup/")
    question = page.locator("label[for=id_human_check]").inner_text()
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    for selector, text in [
        ("#id_first_name", "Nadia"),
        ("#id_last_name", "Benali"),
        ("#id_email", "nadia@acme-bio.example"),
        ("#id_email2", "nadia@acme-bio.example"),
        ("#id_human_check", str(a + b)),
    ]:
        tab_to(page, selector)
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page.locator("#id_human_check")).to_have_count(0)  # the form is gone: "check your emails"
    assert mail.outbox[-1].to == ["nadia@acme-bio.example"]

    page.goto(f"{base}/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(IMPORTER)
    tab_to(page, "#id_password")
    page.keyboard.type(settings.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"{base}/certificates/")
    tab_to(page, "#f-product")
    page.keyboard.type("0801")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "product=0801" in url)
    expect(page.locator("main table")).to_contain_text("0801")

    page.goto(f"{base}/directory/operators/search/")
    tab_to(page, "#id_country")
    page.keyboard.type("France")
    tab_to(page, "#id_q")
    page.keyboard.type("ACME")
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("ACME Bio Imports FR")
    page.context.close()
