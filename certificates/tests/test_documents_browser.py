"""In a real browser, in French: the importer picks a document's type, then sees that type's fields, marked;
with JavaScript (htmx swaps the fields in) and without (the "Afficher ses champs" button loads them)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.tests.browser_login import logged_in
from certificates.models import Certificate
from certificates.statuses import COIStatus
from demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPORTER = "importer@acme-bio.example"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_it_shows_the_chosen_types_fields_then_attaches_the_document(
    browser: Browser,
    live_server: Any,
    settings: Any,
    tmp_path: Any,
    _allow_db_beside_playwright: None,
    javascript: bool,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    coi = Certificate.objects.filter(importer__name__icontains="ACME", status=COIStatus.DRAFT).first()
    page = logged_in(
        browser, live_server.url, IMPORTER, locale="fr-FR", javascript=javascript, password=settings.DEMO_PASSWORD
    )

    page.goto(f"{live_server.url}/certificates/{coi.pk}/")
    expect(page.locator("#doc-reference")).to_have_count(0)
    page.locator("#doc-type").select_option("bill_of_lading")
    if not javascript:
        page.get_by_role("button", name="Afficher ses champs").click()
    expect(page.locator("label[for=doc-issuing_country]")).to_contain_text("*")
    expect(page.locator("label[for=doc-issuer]")).not_to_contain_text("*")
    expect(page.locator("#doc-description")).to_have_count(1)
    page.locator("#doc-reference").fill("BL-MSC-2026-88")
    page.locator("#doc-date").fill("2026-11-02")
    page.locator("#doc-issuing_country").select_option("MA")
    page.locator("#doc-file").set_input_files(files=[{"name": "bl.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Joindre le document").click()
    expect(page.locator(".messages")).to_contain_text("Le document a été joint.")
    expect(page.locator("#documents")).to_contain_text("BL-MSC-2026-88")
    page.context.close()
