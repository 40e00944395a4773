"""In a real browser, one COI of the 2021/2306 form from draft to box 31, through the pages only, each actor
logged in as themselves: the importer drafts and submits it, the control body signs box 18, the importer gives
the prior notification (box 20), the border control post records the documentary check (box 25) and decides
(box 30), the first consignee declares (box 31). At the end each of them sees the same status, decision and
declaration."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.tests import browser_login
from accounts.tests.helpers import totp_code
from certificates.coi_forms import FormCode
from certificates.models import Certificate

from .test_browser_coi import pick
from .workflow_world import SECRET, two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Codes:
    """Two-factor codes, each used once: the current period's first, then its neighbours (tolerance 2)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def next(self) -> str:
        for step in (0, 1, -1, 2, -2):
            code = totp_code(SECRET, step)
            if code not in self.used:
                self.used.add(code)
                return code
        raise AssertionError("no unused code left in the tolerance")


def logged_in(browser: Browser, base: str, user: Any, codes: Codes) -> Page:
    return browser_login.logged_in(browser, base, user.email, two_factor=codes.next)


def test_a_2021_2306_coi_goes_from_draft_to_box_31_through_the_pages(
    browser: Browser, live_server: Any, world: Any, settings: Any
) -> None:
    settings.COI_FORM_DEFAULT = FormCode.R2021_2306  # named, whatever the default
    settings.MFA_TOTP_TOLERANCE = 2
    signers = (world.control_body, world.border_agent, world.consignee)
    for user in (world.importer, *signers):
        user.language = "en"
        user.save(update_fields=["language"])
    for user in signers:
        two_factor(user)
    codes = {user.pk: Codes() for user in (world.importer, *signers)}
    base = live_server.url

    # The importer drafts the COI, box by box, and submits it.
    page = logged_in(browser, base, world.importer, codes[world.importer.pk])
    page.goto(f"{base}/certificates/new/form/?cn=08013200")
    expect(page.locator("#box-12 h2")).to_have_text("Box 12: Importer")
    expect(page.locator("#box-12")).to_contain_text("ACME Bio Imports FR")  # pre-filled for the importer
    pick(page, "[name=exporter_q]", "Atlas", "#exporter-results")
    page.locator("#export_country").select_option("MA")
    pick(page, "#control_body_code_q", "MA-BIO-154", "#control_body_code-results")
    page.locator("#national_reference").fill("ACME-2306-BROWSER")
    page.locator("#origin_countries").select_option(["MA"])
    page.locator("#point_of_entry_kind").select_option("bcp")
    pick(page, "#point_of_entry_q", "Havre", "#point_of_entry-results")
    page.locator("#release_member_state").select_option("FR")
    pick(page, "#validating_authority_q", "INAO", "#validating_authority-results")
    pick(page, "[name=first_consignee_q]", "Foods", "#first_consignee-results")
    line = "c-0-l-0"
    page.locator(f"[name={line}-trade_name]").fill("Organic cashew W320")
    page.locator(f"[name={line}-lot_number]").fill("LOT-A")
    page.locator(f"[name={line}-packages]").fill("400")
    page.locator(f"[name={line}-packaging_type]").select_option("CT")
    page.locator(f"[name={line}-net_weight]").fill("9000")
    page.locator(f"[name={line}-organic_status]").select_option("organic")
    page.locator(f"[name={line}-category]").select_option("a")
    pick(page, f"[name={line}-producer_q]", "Souss", f"#{line}-producer-results")
    page.get_by_role("button", name="Add a container").click()  # the page comes back with everything typed
    page.locator("[name=k-0-number]").fill("CSQU3054383")
    page.locator("[name=k-0-seals]").fill("SEAL-001")
    page.locator("#gross_weight").fill("9500")
    page.locator("#transport_mode").select_option("vessel")
    page.locator("#transport_identification").fill("MSC Agadir")
    page.locator("#transport_document").fill("BL-MSC-0042")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    page.get_by_role("button", name="Submit for certification").click()
    expect(page.locator(".messages")).to_contain_text("submitted for certification")
    coi = Certificate.objects.get(national_reference="ACME-2306-BROWSER")
    assert coi.form == FormCode.R2021_2306
    url = f"{base}/certificates/{coi.pk}/"
    page.context.close()

    # The issuing control body records its checks and signs box 18.
    page = logged_in(browser, base, world.control_body, codes[world.control_body.pk])
    page.goto(url)
    page.locator("#wf-documentary").select_option("acceptable")
    page.locator("#wf-physical").select_option("not_done")
    page.locator("#wf-place-18").fill("Agadir")
    page.locator("#wf-code-18").fill(codes[world.control_body.pk].next())
    page.locator("#form-sign-18 button[name=sign]").click()
    expect(page.locator(".messages")).to_contain_text("Box 18 signed.")
    expect(page.locator("h1 .status-coi-issuing_body_signed")).to_be_visible()
    page.context.close()

    # The importer gives the prior notification (box 20) on the edit page.
    page = logged_in(browser, base, world.importer, codes[world.importer.pk])
    page.goto(url)
    page.get_by_role("link", name="Edit the boxes I may change").click()
    expect(page.locator("#box-20 h2")).to_have_text("Box 20: Prior notification")
    arrival = timezone.localtime() + datetime.timedelta(days=7)
    page.locator("#prior_notification_at").fill(arrival.strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    page.context.close()

    # The border control post: documentary check (box 25), then the decision (box 30).
    agent_codes = codes[world.border_agent.pk]
    page = logged_in(browser, base, world.border_agent, agent_codes)
    page.goto(url)
    expect(page.get_by_test_id("box-20")).to_contain_text(str(arrival.year))  # box 20 as the post reads it
    page.locator("#wf-documentary-25").select_option("satisfactory")
    page.locator("#wf-selected-25").select_option("no")
    page.locator("#wf-place-25").fill("Le Havre")
    page.locator("#wf-code-25").fill(agent_codes.next())
    page.get_by_role("button", name="Sign box 25").click()
    expect(page.locator(".messages")).to_contain_text("Box 25 signed.")
    expect(page.get_by_test_id("box-25")).to_contain_text("Satisfactory")
    page.locator("#wf-decision-30").select_option("released_organic")
    page.locator("#wf-place-30").fill("Le Havre")
    page.locator("#wf-code-30").fill(agent_codes.next())
    page.get_by_role("button", name="Sign box 30").click()
    expect(page.locator("h1 .status-coi-released_organic")).to_be_visible()
    page.context.close()

    # The first consignee declares box 31.
    consignee_codes = codes[world.consignee.pk]
    page = logged_in(browser, base, world.consignee, consignee_codes)
    page.goto(url)
    page.locator("#wf-accordance-31").select_option("yes")
    page.locator("#wf-place-31").fill("Lyon")
    page.locator("#wf-code-31").fill(consignee_codes.next())
    page.get_by_role("button", name="Sign box 31").click()
    expect(page.locator("h1 .status-coi-first_consignee_signed")).to_be_visible()
    page.context.close()

    # What each of them sees at the end.
    for user in (world.importer, *signers):
        page = logged_in(browser, base, user, codes[user.pk])
        page.goto(url)
        expect(page.locator("h1 .status")).to_have_text("First consignee declaration signed")
        expect(page.get_by_test_id("box-30")).to_contain_text("To be released as organic")
        expect(page.locator("#box-31")).to_have_text("Box 31: Declaration of the first consignee")
        declaration = page.get_by_test_id("box-31")
        expect(declaration).to_contain_text("the certificate of inspection are in accordance with that point")
        expect(declaration).to_contain_text("Lyon")
        page.context.close()
    coi.refresh_from_db()
    assert coi.status == "first_consignee_signed"
