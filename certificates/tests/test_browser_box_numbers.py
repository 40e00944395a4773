"""Issue 23, point 3, in Chromium, in French: a text that names a box takes its number from the COI's own form. The
importer drafts an extract of a 2021/2306 COI: the page says to check its boxes 8 and 10 (point of entry,
consignee of the batch on the extract of 2021/2307), not 9 and 12 (the guides' numbers); axe-core stays clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.tests.browser_login import in_french
from certificates.models import Certificate
from certificates.statuses import COIStatus

from .test_browser_coi import pick
from .test_browser_desk import serious_violations
from .workflow_world import make_flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_point_3_the_extract_names_its_own_boxes(browser: Browser, live_server: Any, world: Any) -> None:
    world.form = "2021/2306"
    coi = make_flow(world).coi(COIStatus.BASIS_FOR_EXTRACT)
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/{coi.pk}/")
    form = page.locator("#form-extract")
    pick(page, "#form-extract [name=consignee_q]", "Foods", "#consignee-results")
    form.locator("input[name^=packages_]").first.fill("3")
    form.locator("input[name^=weight_]").first.fill("60")
    page.locator("#button-extract").click()
    extract = Certificate.objects.get(base=coi)
    expect(page).to_have_url(f"{live_server.url}/certificates/{extract.pk}/")
    messages = page.locator(".messages")
    expect(messages).to_contain_text("Extrait préparé : vérifiez les cases 8 et 10, puis soumettez-le au visa.")
    expect(page.get_by_test_id("box-8")).to_contain_text("Le Havre")
    assert serious_violations(page) == []
