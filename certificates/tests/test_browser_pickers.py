"""Issue 23, point 2, in Chromium, in French: box 6 of the form in force (traders who neither store nor handle) is
a search picker as boxes 5, 12 and 24 are; with JavaScript the results come as one types, without it the
"Rechercher" button brings them; a search left without a choice is refused at the picker, kept as typed (its comma
too), nothing saved. axe-core stays clean on the edit page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.browser_login import in_french
from certificates.coi_forms import FormCode

from .test_browser_desk import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRADER = "ACME Bio Foods FR, Lyon"
# What a 2021/2306 draft's edit page asks the importer that names an operator, a body, an authority or a post.
PARTIES = {
    "control_body_code": "1", "exporter": "5", "traders": "6", "point_of_entry": "10", "validating_authority": "10",
    "importer": "12", "first_consignee": "24", "c-0-l-0-producer": "13",
}  # fmt: skip


def assert_every_party_is_a_picker(page: Page, *, javascript: bool = True) -> None:
    """Each box naming a party is a search field in its box (with a "Rechercher" button when JavaScript is off),
    never a text field or a list to scroll."""
    for name, box in PARTIES.items():
        search = page.locator(f"#box-{box} [name='{name}_q']")
        expect(search, name).to_have_attribute("type", "search")
        expect(search, name).to_be_visible()
        expect(page.locator(f"input[type=text][name='{name}'], select[name='{name}']"), name).to_have_count(0)
        if not javascript:
            expect(page.locator(f"#box-{box} button[value='search-{name}']"), name).to_be_visible()


def test_point_2_box_6_names_a_trader_by_name_with_javascript(browser: Browser, live_server: Any, world: Any) -> None:
    world.form = FormCode.R2021_2306
    coi = world.draft()
    page = in_french(browser, live_server.url, world.importer, javascript=True)
    page.goto(f"{live_server.url}/certificates/{coi.pk}/edit/")
    assert_every_party_is_a_picker(page)
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
    assert_every_party_is_a_picker(page, javascript=False)
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
