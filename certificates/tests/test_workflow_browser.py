"""In a real browser: the demo COI from submission to First consignee declaration signed, each actor logging
in with password and TOTP in turn and signing with a current code."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from accounts.tests import browser_login
from accounts.tests.helpers import totp_code
from certificates.models import Certificate
from demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(browser: Browser, base: str, email: str) -> Page:
    """A demo signer logged in with the demo password and the current period's code."""
    return browser_login.logged_in(
        browser,
        base,
        email,
        password=settings.DEMO_PASSWORD,
        two_factor=lambda: totp_code(settings.DEMO_TOTP_SECRET),
    )


def signing_code() -> str:
    """A code of the neighbouring period (valid with a tolerance of one): the login used the current one."""
    return totp_code(settings.DEMO_TOTP_SECRET, 1)


def test_the_demo_coi_goes_from_submission_to_the_first_consignee_s_signature(
    browser: Browser, live_server: Any, settings: Any, _allow_db_beside_playwright: None
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    load_demo()  # the demo's people read French, but for the inspector, who reads English
    User.objects.filter(email="agent@inao.example").update(language="en")
    coi = Certificate.objects.get(national_reference="ACME-2026-001")
    url = f"{live_server.url}/certificates/{coi.pk}/"

    page = logged_in(browser, live_server.url, "agent@ecocert.example")
    page.goto(url)
    page.locator("#wf-documentary").select_option("acceptable")
    page.locator("#wf-physical").select_option("not_done")
    page.locator("#wf-physical-remarks").fill("Documentary check only")
    page.locator("#wf-place-18").fill("Agadir")
    page.locator("#wf-code-18").fill(signing_code())
    page.locator("#form-sign-18 button[name=sign]").click()
    expect(page.locator(".messages")).to_contain_text("Case 18 signée.")
    expect(page.locator("h1 .status-coi-issuing_body_signed")).to_contain_text("Déclaration de l’organisme")
    expect(page.get_by_test_id("signature-18")).to_contain_text("Agadir")
    page.context.close()

    page = logged_in(browser, live_server.url, "agent@inao.example")
    page.goto(url)
    expect(page.locator("#form-sign-18")).to_have_count(0)
    page.locator("#wf-decision").select_option("consignment_verified")
    page.locator("#wf-place-20").fill("Paris")
    page.locator("#wf-code-20").fill(signing_code())
    page.get_by_role("button", name="Sign box 20").click()
    expect(page.locator(".messages")).to_contain_text("Box 20 signed.")
    expect(page.locator("h1 .status-coi-consignment_verified")).to_contain_text("Consignment verified")
    page.context.close()

    page = logged_in(browser, live_server.url, "consignee@acme-foods.example")
    page.goto(url)
    page.locator("#wf-place-21").fill("Bordeaux")
    page.locator("#wf-code-21").fill(signing_code())
    page.locator("#form-sign-21 button").click()
    expect(page.locator(".messages")).to_contain_text("Case 21 signée.")
    expect(page.locator("h1 .status-coi-first_consignee_signed")).to_be_visible()
    history = page.locator("#history")
    for step in ("submit", "checks", "sign_18", "sign_20", "sign_21"):
        expect(history.get_by_test_id(f"history-{step}")).to_have_count(1)
    expect(page.locator("#steps")).to_have_count(0)  # nothing more for the consignee

    page.goto(f"{live_server.url}/notices/")  # the consignee was told box 20 was signed, in French
    expect(page.locator("main")).to_contain_text("lot vérifié")
    page.context.close()
    coi.refresh_from_db()
    assert coi.status == "first_consignee_signed"
