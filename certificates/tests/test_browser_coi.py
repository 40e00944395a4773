"""In a real browser, the guide's path for a COI: cashew nuts from Morocco, two lots, one container, submitted."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.browser_login import logged_in
from certificates.models import Certificate
from reference.loader import load_base

# Written for the guides' form (1235/2008): the COI made here through the pages takes it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("guides_form")]


def pick(page: Page, search: str, text: str, results: str) -> None:
    """Type in an autocomplete field and choose the first result (htmx fetches them)."""
    page.locator(search).fill(text)
    choice = page.locator(f"{results} input[type=radio]:not([disabled])").first
    choice.wait_for()
    choice.check()


def fill_line(page: Page, prefix: str, trade_name: str, lot: str, packages: str, weight: str) -> None:
    page.locator(f"[name={prefix}-trade_name]").fill(trade_name)
    page.locator(f"[name={prefix}-lot_number]").fill(lot)
    page.locator(f"[name={prefix}-packages]").fill(packages)
    page.locator(f"[name={prefix}-packaging_type]").select_option("CT")
    page.locator(f"[name={prefix}-net_weight]").fill(weight)
    pick(page, f"[name={prefix}-producer_q]", "Souss", f"#{prefix}-producer-results")


def test_the_importer_fills_and_submits_a_coi(browser: Browser, live_server: object, world: object) -> None:
    load_base()  # the real nomenclature, with its search texts
    base = live_server.url
    page = logged_in(browser, base, world.importer.email)

    page.goto(f"{base}/certificates/")
    page.get_by_role("link", name="Create a new COI").click()
    page.locator("#q").fill("cashew")
    page.get_by_role("button", name="Search").click()
    page.locator("input[name=cn][value='08013200']").check()
    page.get_by_role("button", name="Done").click()

    expect(page.locator("#box-11")).to_contain_text("ACME Bio Imports FR")  # box 11 pre-filled for the importer
    pick(page, "[name=exporter_q]", "Atlas", "#exporter-results")
    page.locator("#export_country").select_option("MA")
    pick(page, "#control_body_code_q", "MA-BIO-154", "#control_body_code-results")
    page.locator("#national_reference").fill("ACME-PO-4711")
    page.locator("#origin_countries").select_option(["MA"])
    page.locator("#release_member_state").select_option("FR")
    pick(page, "#validating_authority_q", "INAO", "#validating_authority-results")
    pick(page, "#point_of_entry_q", "Havre", "#point_of_entry-results")
    pick(page, "[name=first_consignee_q]", "Foods", "#first_consignee-results")
    fill_line(page, "c-0-l-0", "Organic cashew W320", "LOT-A", "400", "9000")

    page.get_by_role("button", name="Add a line").click()  # the page comes back with everything typed, and a line
    fill_line(page, "c-0-l-1", "Organic cashew W240", "LOT-B", "300", "6800")
    page.get_by_role("button", name="Add a container").click()
    page.locator("[name=k-0-number]").fill("CSQU3054383")
    page.locator("[name=k-0-seals]").fill("SEAL-001")
    page.locator("#gross_weight").fill("16500")
    page.locator("#transport_mode").select_option("vessel")
    page.locator("#transport_identification").fill("MSC Agadir")

    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    page.get_by_role("button", name="Submit for certification").click()

    expect(page.locator(".messages")).to_contain_text("submitted for certification")
    expect(page.locator("h1")).to_contain_text("Description completed")
    coi = Certificate.objects.get()
    assert coi.number and coi.number.startswith("COI.EU.MA.")
    expect(page.locator("#coi-number")).to_contain_text(coi.number)
    assert [line.lot_number for line in coi.lines()] == ["LOT-A", "LOT-B"]
    assert coi.containers.get().number == "CSQU3054383"
