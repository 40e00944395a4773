"""In a real browser, the importer drafts an extract of a COI whose decision was "part can be released": the
consignee is searched by name (htmx fetches the first consignees), a quantity of the lot is taken, and the
extract's draft opens with that consignee (2021/2306 form, Art. 4 of Reg. (EU) 2021/2307)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.tests.browser_login import logged_in
from certificates.models import Certificate
from certificates.statuses import COIStatus

from .test_browser_coi import pick
from .workflow_world import make_flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_importer_drafts_an_extract_for_a_consignee_found_by_name(
    browser: Browser, live_server: Any, world: Any
) -> None:
    world.form = "2021/2306"
    coi = make_flow(world).coi(COIStatus.BASIS_FOR_EXTRACT)
    page = logged_in(browser, live_server.url, world.importer.email)

    page.goto(f"{live_server.url}/certificates/{coi.pk}/")
    form = page.locator("#form-extract")
    expect(form).to_contain_text("Consignee of the extract")
    pick(page, "#form-extract [name=consignee_q]", "Foods", "#consignee-results")
    form.locator("input[name^=packages_]").first.fill("3")  # the first lot: 3 packages, 60 kg
    form.locator("input[name^=weight_]").first.fill("60")
    page.locator("#button-extract").click()
    page.wait_for_load_state()

    extract = Certificate.objects.get(base=coi)
    expect(page).to_have_url(f"{live_server.url}/certificates/{extract.pk}/")
    expect(page.locator("main")).to_contain_text("ACME Bio Foods FR")


def test_it_searches_on_enter_in_the_consignee_search_without_drafting_the_extract(
    browser: Browser, live_server: Any, world: Any
) -> None:
    """A keyboard user who has chosen a consignee and typed a quantity, then searches another name and presses
    Enter, gets the names found: the form is not sent (Enter in a text field would send it, drafting the extract
    with the consignee chosen before)."""
    world.form = "2021/2306"
    coi = make_flow(world).coi(COIStatus.BASIS_FOR_EXTRACT)
    page = logged_in(browser, live_server.url, world.importer.email)

    page.goto(f"{live_server.url}/certificates/{coi.pk}/")
    form = page.locator("#form-extract")
    pick(page, "#form-extract [name=consignee_q]", "Foods", "#consignee-results")
    form.locator("input[name^=packages_]").first.fill("3")
    form.locator("input[name^=weight_]").first.fill("60")
    search = form.locator("[name=consignee_q]")
    search.fill("ACME")
    search.press("Enter")

    expect(form.locator("#consignee-results")).to_contain_text("ACME Bio Foods FR")
    expect(page).to_have_url(f"{live_server.url}/certificates/{coi.pk}/")
    assert not Certificate.objects.filter(base=coi).exists()
    expect(form.locator("input[name^=packages_]").first).to_have_value("3")
