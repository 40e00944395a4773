"""In a real browser, in French: a new importer types French product names on the new-COI page and in "Ajouter
une marchandise", and finds them with their full path (guide 000, 3.1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.browser_login import logged_in
from reference.loader import load_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def search(page: Page, text: str) -> None:
    page.locator("#q").fill(text)
    page.get_by_role("button", name="Rechercher").click()


def test_it_finds_french_product_names(browser: Browser, live_server: object, world: object) -> None:
    load_base()
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    base = live_server.url
    page = logged_in(browser, base, world.importer.email, locale="fr-FR")
    page.goto(f"{base}/certificates/new/")

    for typed, code, text in [
        ("cafe", "09011100", "Café, même torréfié ou décaféiné"),
        ("dattes", "08041000", "Dattes"),
        ("NOIX", "08011100", "Noix de coco"),
        ("0801 32", "08013200", "sans coques"),
        ("cajou", "08013200", "noix de cajou"),
    ]:
        search(page, typed)
        result = page.locator("label.check", has=page.locator(f"input[name=cn][value='{code}']"))
        expect(result).to_contain_text(text)
    expect(page.locator("main")).not_to_contain_text("Aucun produit ne correspond")

    page.locator("input[name=cn][value='08013200']").check()
    page.get_by_role("button", name="Fait").click()
    expect(page.locator("#box-13")).to_contain_text("0801 32 00 Noix de coco, noix du Brésil et noix de cajou")

    page.locator("#new_cn_q").fill("dattes")  # "Ajouter une marchandise": htmx fetches as one types
    expect(page.locator("#new-cn-results")).to_contain_text("0804 10 00 Dattes, figues")
    page.locator("#new_cn_q").fill("pâtes de prunes")
    expect(page.locator("#new-cn-results")).to_contain_text("2007 99 10")
