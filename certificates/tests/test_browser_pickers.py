"""Issue 23, point 2, in Chromium, in French: box 6 of the form in force (traders who neither store nor handle) is
a search picker as boxes 5, 12 and 24 are; with JavaScript the results come as one types, without it the
"Rechercher" button brings them; a search left without a choice is refused at the picker, kept as typed (its comma
too), nothing saved. axe-core stays clean on the edit page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.tests.browser_login import in_french
from certificates.coi_forms import FormCode

from .test_browser_desk import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRADER = "ACME Bio Foods FR, Lyon"


def test_point_2_box_6_names_a_trader_by_name_with_javascript(browser: Browser, live_server: Any, world: Any) -> None:
    world.form = FormCode.R2021_2306
    coi = world.draft()
    page = in_french(browser, live_server.url, world.importer, javascript=True)
    page.goto(f"{live_server.url}/certificates/{coi.pk}/edit/")
    box = page.locator("#box-6")
    box.get_by_role("searchbox").fill(TRADER)
    expect(box.locator("#traders-results")).to_contain_text("ACME Bio Foods FR, Lyon (France)")
    page.get_by_role("button", name="Enregistrer comme brouillon").click()  # searched, nothing chosen: refused
    expect(box.get_by_role("alert")).to_contain_text(f"Vous avez cherché « {TRADER} » sans choisir")
    assert serious_violations(page) == []  # the refused page, its results and message at the picker
    choice = box.locator("#traders-results").get_by_label("ACME Bio Foods FR, Lyon (France)")
    choice.check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enregistrer comme brouillon").click()
    expect(page.locator("main")).to_contain_text("Enregistré.")
    expect(page.locator("#box-6").get_by_label("ACME Bio Foods FR, Lyon (France)")).to_be_checked()
    coi.refresh_from_db()  # the draft's own copy had loaded box 6 (empty) when it was made: read what is stored
    assert list(coi.traders.all()) == [world.foods]


def test_point_2_box_6_without_javascript_searches_and_keeps_what_was_typed(
    browser: Browser, live_server: Any, world: Any
) -> None:
    world.form = FormCode.R2021_2306
    coi = world.draft(national_reference="NAT-1")
    page = in_french(browser, live_server.url, world.importer, javascript=False)
    page.goto(f"{live_server.url}/certificates/{coi.pk}/edit/")
    page.locator("#national_reference").fill("NAT-2, tapée")
    box = page.locator("#box-6")
    box.get_by_role("searchbox").fill(TRADER)
    page.get_by_role("button", name="Enregistrer comme brouillon").click()  # searched, nothing chosen
    box = page.locator("#box-6")
    expect(box.get_by_role("alert")).to_contain_text(f"Vous avez cherché « {TRADER} » sans choisir")
    expect(box.get_by_role("searchbox")).to_have_value(TRADER)  # its comma kept
    expect(page.locator("#national_reference")).to_have_value("NAT-2, tapée")
    coi.refresh_from_db()
    assert coi.national_reference == "NAT-1" and not coi.traders.exists()
    box.get_by_role("searchbox").fill("Foods")
    box.get_by_role("button", name="Rechercher").click()
    page.locator("#box-6").get_by_label("ACME Bio Foods FR, Lyon (France)").check()
    page.get_by_role("button", name="Enregistrer comme brouillon").click()
    expect(page.locator("#box-6").get_by_label("ACME Bio Foods FR, Lyon (France)")).to_be_checked()
    assert list(coi.traders.all()) == [world.foods]
    coi.refresh_from_db()
    assert coi.national_reference == "NAT-2, tapée"
