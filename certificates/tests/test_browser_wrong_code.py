"""In a real browser, in French: a wrong two-factor code when signing box 18 brings the control body back to the
COI's page, styled and whole, with the checks and remarks as typed and the message at the code field; the
right code then signs."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from certificates.models import Certificate
from demo.load import load_demo

from .test_workflow_browser import logged_in, signing_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_keeps_the_checks_and_remarks_when_the_box_18_code_is_wrong(
    browser: Browser, live_server: Any, settings: Any, _allow_db_beside_playwright: None
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    load_demo()
    coi = Certificate.objects.get(national_reference="ACME-2026-001")
    page = logged_in(browser, live_server.url, "agent@ecocert.example")
    page.goto(f"{live_server.url}/certificates/{coi.pk}/")
    page.locator("#wf-documentary").select_option("acceptable")
    page.locator("#wf-documentary-remarks").fill("Facture et TC concordants")
    page.locator("#wf-physical").select_option("not_done")
    page.locator("#wf-physical-remarks").fill("Contrôle documentaire seul")
    page.locator("#wf-place-18").fill("Agadir")
    page.locator("#wf-code-18").fill("000000")
    page.locator("#form-sign-18 button[name=sign]").click()

    expect(page.locator("#wf-code-18-error")).to_contain_text("est faux ou déjà utilisé")
    expect(page.locator("#wf-code-18")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#wf-documentary")).to_have_value("acceptable")
    expect(page.locator("#wf-documentary-remarks")).to_have_value("Facture et TC concordants")
    expect(page.locator("#wf-physical")).to_have_value("not_done")
    expect(page.locator("#wf-physical-remarks")).to_have_value("Contrôle documentaire seul")
    expect(page.locator("#wf-place-18")).to_have_value("Agadir")
    # The COI's own page, with the site's and the COI's style sheets, not a bare page.
    expect(page.locator("h1")).to_contain_text(coi.number)
    expect(page.locator("dl.boxes").first).to_be_visible()
    assert page.locator("link[href*='coi.css']").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderTopStyle") == "solid"

    page.locator("#wf-code-18").fill(signing_code())
    page.locator("#form-sign-18 button[name=sign]").click()
    expect(page.locator(".messages")).to_contain_text("Case 18 signée.")
    expect(page.get_by_test_id("checks")).to_contain_text("Facture et TC concordants")
    page.context.close()
