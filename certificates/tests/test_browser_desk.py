"""A day at the desk on the form in force (issue 23), in Chromium, in French: what a French importer and a control
body read and type on the 2021/2306 form. One test per point of the issue; axe-core stays clean on the pages."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from accounts.tests.browser_login import in_french
from accounts.tests.helpers import totp_code
from certificates.models import Certificate
from certificates.outputs.verification import public_token
from certificates.statuses import COIStatus
from certificates.workflow.history import record_edit, snapshot
from certificates.workflow.release import verify_box_23
from certificates.workflow_records import HistoryEntry, Signature
from core.models import Notice
from reference.loader import load_base

from .factories import cn_code
from .test_outputs_pdf import text_of
from .workflow_world import SECRET, make_flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "core" / "tests" / "vendor" / "axe.min.js"
SHOTS = Path(settings.BASE_DIR) / "var"
UTC_MOMENT = datetime.datetime(2026, 12, 6, 3, 41, tzinfo=datetime.UTC)  # 04:41 in Paris


# The headings of one word and the codes inside `selector` that the page breaks over two lines.
BROKEN_WORDS = """selector => [...document.querySelectorAll(`${selector} th, ${selector} td.code`)]
  .filter(cell => cell.tagName === "TD" || !cell.innerText.trim().includes(" "))
  .filter(cell => { const r = document.createRange(); r.selectNodeContents(cell);
                    return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; })
  .map(cell => cell.innerText)"""


def signer_code() -> str:
    """A signer's code at login: two-factor is on for them (workflow_world.SECRET)."""
    return totp_code(SECRET)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations, as core/tests/test_a11y_pages.py reads them."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"[{v['impact']}] {v['id']}: {[n['target'] for n in v['nodes']][:4]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def issued(world: Any, settings: Any) -> Certificate:
    """A 2021/2306 COI signed in Agadir (box 18), its box 20 given: every moment at 03:41 UTC."""
    settings.TIME_ZONE = "Europe/Paris"
    world.form = "2021/2306"
    coi = make_flow(world).coi(COIStatus.ISSUING_BODY_SIGNED)
    Certificate.objects.filter(pk=coi.pk).update(
        created_at=UTC_MOMENT, submitted_at=UTC_MOMENT, updated_at=UTC_MOMENT, prior_notification_at=UTC_MOMENT
    )
    Signature.objects.filter(certificate=coi).update(signed_at=UTC_MOMENT)
    HistoryEntry.objects.filter(certificate=coi).update(at=UTC_MOMENT)
    return coi


def test_point_1_one_clock_named_on_the_coi_page_and_in_box_20(
    browser: Browser, live_server: Any, world: Any, issued: Certificate
) -> None:
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/{issued.pk}/")
    expect(page.locator("main")).to_contain_text("soumis le 06/12/2026 à 04:41 (heure de Paris, UTC+1)")
    expect(page.get_by_test_id("box-18")).to_contain_text("Agadir, 06/12/2026 à 04:41 (heure de Paris, UTC+1)")
    expect(page.get_by_test_id("box-20")).to_contain_text("06/12/2026 à 04:41 (heure de Paris, UTC+1)")
    expect(page.locator("#history li").first).to_contain_text("06/12/2026 à 04:41 (heure de Paris, UTC+1)")
    expect(page.locator("main")).not_to_contain_text("03:41")
    assert serious_violations(page) == []
    page.screenshot(path=str(SHOTS / "desk-coi-page.png"), full_page=True)
    pdf = text_of(page.request.get(f"{live_server.url}/certificates/{issued.pk}/pdf").body())
    assert re.search(r"Imprimé le \d\d/\d\d/\d{4} à \d\d:\d\d \(heure de Paris, UTC\+1\)", pdf), pdf[:300]
    assert "06/12/2026 à 04:41 (heure de Paris, UTC+1)" in " ".join(pdf.split()) and "03:41" not in pdf  # box 18
    Notice.objects.filter(user=world.importer).update(created_at=UTC_MOMENT)  # told of box 18, signed in Agadir
    page.goto(f"{live_server.url}/notices/")
    expect(page.locator(".notices li").first).to_contain_text("06/12/2026 à 04:41 (heure de Paris, UTC+1)")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/certificates/{issued.pk}/edit/")
    expect(page.get_by_label("heure de Paris")).to_have_value("2026-12-06T04:41")
    assert serious_violations(page) == []
    page.screenshot(path=str(SHOTS / "desk-edit-page.png"), full_page=True)


def test_point_4_every_product_is_named_in_its_path(browser: Browser, live_server: Any, world: Any) -> None:
    load_base()
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/new/")
    page.locator("#q").fill("noix de cajou")
    page.get_by_role("button", name="Rechercher").click()
    for code, product in [
        ("08012100", "Noix du Brésil\u00a0: en coques"),
        ("08012200", "Noix du Brésil\u00a0: sans coques"),
        ("08013100", "Noix de cajou\u00a0: en coques"),
        ("08013200", "Noix de cajou\u00a0: sans coques"),
    ]:
        result = page.locator("label.check", has=page.locator(f"input[name=cn][value='{code}']"))
        expect(result).to_contain_text(product)
    assert serious_violations(page) == []


def test_point_3_a_text_naming_a_box_takes_its_number_from_the_coi_form(
    browser: Browser, live_server: Any, world: Any, settings: Any
) -> None:
    settings.COI_FORM_DEFAULT = "2021/2306"
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/new/form/?cn=08013200")
    expect(page.locator("#box-5 h2")).to_contain_text("Case 5")
    expect(page.locator(".actions")).to_contain_text("dès que l’exportateur (case 5) est choisi")
    settings.COI_FORM_DEFAULT = "1235/2008"
    page.goto(f"{live_server.url}/certificates/new/form/?cn=08013200")
    expect(page.locator(".actions")).to_contain_text("dès que l’exportateur (case 4) est choisi")
    assert serious_violations(page) == []


def test_point_7_a_french_reader_reads_french_dates_titles_and_colons(
    browser: Browser, live_server: Any, world: Any, issued: Certificate
) -> None:
    Certificate.objects.filter(pk=issued.pk).update(departure_date=datetime.date(2026, 12, 20))
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/{issued.pk}/")
    expect(page.get_by_test_id("box-17")).to_contain_text("20/12/2026")
    expect(page.get_by_test_id("box-17")).not_to_contain_text("2026-12-20")
    expect(page.locator("main")).to_contain_text("soumis le 06/12/2026 à 04:41")
    expect(page.get_by_test_id("box-13").locator("td.code").first).to_have_text("0801 32 00")
    assert page.evaluate(BROKEN_WORDS, "[data-testid=box-13]") == []  # "Catégorie", "0801 32 00" each whole
    pdf = page.request.get(f"{live_server.url}/certificates/{issued.pk}/pdf")
    text = text_of(pdf.body())
    assert "Statut\u00a0:" in text and "Statut:" not in text
    assert "20/12/2026" in text and "2026-12-20" not in text
    public = browser.new_context(locale="fr-FR").new_page()
    public.goto(f"{live_server.url}/v/{public_token(issued)}")
    expect(public.locator("main")).to_contain_text("Case 23\u00a0: Procédures douanières particulières")
    expect(public.locator("main")).not_to_contain_text("Vérification de l’envoi avant")
    assert serious_violations(public) == []


def test_point_6_box_10_offers_the_only_post_and_says_when_none_is_chosen(
    browser: Browser, live_server: Any, world: Any, settings: Any
) -> None:
    settings.COI_FORM_DEFAULT = "2021/2306"
    world.form = "2021/2306"
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/new/form/?cn=08013200")
    expect(page.locator(f"#point_of_entry-picker input[value='{world.le_havre.pk}']")).to_be_checked()  # the only post
    draft = world.draft(point_of_entry=None)
    page.goto(f"{live_server.url}/certificates/{draft.pk}/")
    expect(page.get_by_test_id("box-10")).to_contain_text("Aucun point d’entrée choisi.")
    assert serious_violations(page) == []


@pytest.fixture
def draft_2306(world: Any) -> Certificate:
    """A 2021/2306 draft of ACME's: cashew nuts, two lines, one container."""
    world.form = "2021/2306"
    cn_code("08012200")  # shelled Brazil nuts, a second product to add
    return world.draft()


def test_point_5_rows_are_added_in_place_and_the_keyboard_goes_to_the_new_row(
    browser: Browser, live_server: Any, world: Any, draft_2306: Certificate
) -> None:
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/{draft_2306.pk}/edit/")
    expect(page.locator("#gross_weight")).to_have_value("16500")  # as one types it, not "16500,000"
    expect(page.locator("[name=c-0-l-0-net_weight]")).to_have_value("9000")
    expect(page.locator("[name=c-0-l-1-net_weight]")).to_have_value("6,8")
    page.locator("#transport_identification").fill("MSC Aurora")  # typed, not saved
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name="Ajouter un conteneur").click()
    expect(page.locator("[name=k-1-number]")).to_be_focused()
    page.keyboard.type("MSCU1234565")
    assert page.evaluate("window.sameDocument === true && window.scrollY > 0")  # no reload, not sent to the top
    expect(page.locator("#transport_identification")).to_have_value("MSC Aurora")

    page.get_by_role("button", name="Ajouter une ligne").first.click()
    expect(page.locator("[name=c-0-l-2-trade_name]")).to_be_focused()
    page.keyboard.type("Cajou WW320")
    page.get_by_role("button", name="Retirer la ligne").nth(1).click()
    expect(page.locator("[name=c-0-l-1-trade_name]")).to_be_focused()  # the line now in its place
    expect(page.locator("[name=c-0-l-1-trade_name]")).to_have_value("Cajou WW320")

    page.get_by_label("Ajouter une marchandise").fill("0801 22")
    page.locator("input[name=new_cn][value='08012200']").check()
    page.get_by_role("button", name="Ajouter la marchandise").click()
    expect(page.locator("[name=c-1-l-0-trade_name]")).to_be_focused()
    expect(page.locator("#box-products")).to_contain_text("0801 22 00")  # the box listing the products, too
    page.get_by_role("button", name="Retirer le conteneur").first.click()
    expect(page.locator("[name=k-0-number]")).to_be_focused()
    expect(page.locator("[name=k-0-number]")).to_have_value("MSCU1234565")
    assert page.evaluate("window.sameDocument === true")
    expect(page.get_by_role("combobox", name="Unité du poids brut total")).to_have_count(1)
    expect(page.get_by_role("combobox", name="Unité du poids net")).to_have_count(3)  # one per line, added ones too
    unnamed = page.evaluate(
        "[...document.querySelectorAll('select')].filter(s => !s.labels.length && !s.getAttribute('aria-label')"
        " && !s.getAttribute('aria-labelledby')).map(s => s.name)"
    )
    assert unnamed == []  # every select says what it chooses
    assert serious_violations(page) == []

    page.get_by_role("button", name="Enregistrer comme brouillon").click()
    expect(page.locator(".messages")).to_contain_text("Brouillon enregistré")
    draft_2306.refresh_from_db()
    assert draft_2306.transport_identification == "MSC Aurora"
    assert [k.number for k in draft_2306.containers.all()] == ["MSCU1234565"]
    assert [c.cn_code.code for c in draft_2306.commodities.order_by("position")] == ["08013200", "08012200"]


def test_point_5_without_javascript_the_form_is_sent_and_comes_back_as_typed_at_the_new_row(
    browser: Browser, live_server: Any, world: Any, draft_2306: Certificate
) -> None:
    page = in_french(browser, live_server.url, world.importer, javascript=False)
    page.goto(f"{live_server.url}/certificates/{draft_2306.pk}/edit/")
    page.locator("#transport_identification").fill("MSC Aurora")
    page.get_by_role("button", name="Ajouter un conteneur").click()
    page.wait_for_load_state()
    expect(page.locator("#transport_identification")).to_have_value("MSC Aurora")
    expect(page.locator("[name=k-1-number]")).to_have_attribute("autofocus", "")
    expect(page.locator("[name=k-1-number]")).to_be_focused()
    page.get_by_role("button", name="Ajouter une ligne").first.click()
    page.wait_for_load_state()
    expect(page.locator("[name=c-0-l-2-trade_name]")).to_be_focused()
    expect(page.locator("[name=k-1-number]")).to_have_value("")
    expect(page.locator("#transport_identification")).to_have_value("MSC Aurora")


def test_point_5_box_3_of_a_draft_names_the_national_reference_and_the_number_to_come(
    browser: Browser, live_server: Any, world: Any, draft_2306: Certificate
) -> None:
    Certificate.objects.filter(pk=draft_2306.pk).update(national_reference="ACME-PO-4711")
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/{draft_2306.pk}/")
    expect(page.get_by_test_id("box-3")).to_have_text(
        "Référence nationale\u00a0: ACME-PO-4711 (le numéro du COI est attribué à la soumission)"
    )
    page.goto(f"{live_server.url}/certificates/{draft_2306.pk}/edit/")
    expect(page.locator("#box-3")).to_contain_text("Le numéro du COI est attribué à la soumission.")
    expect(page.get_by_label("Numéro de référence national")).to_have_value("ACME-PO-4711")
    assert serious_violations(page) == []


def test_point_7_days_countries_labels_and_words_as_a_french_reader_writes_them(
    browser: Browser, live_server: Any, world: Any, issued: Certificate, settings: Any
) -> None:
    before = snapshot(issued)
    Certificate.objects.filter(pk=issued.pk).update(departure_date=datetime.date(2026, 12, 20))
    issued.refresh_from_db()
    record_edit(world.person(world.control_body), issued, {"control_body"}, before, snapshot(issued))
    before = snapshot(issued)  # box 29 as the border post records its checks: codes in the history
    Certificate.objects.filter(pk=issued.pk).update(identity_check="satisfactory", laboratory_test=False)
    issued.refresh_from_db()
    record_edit(world.person(world.border_agent), issued, {"border"}, before, snapshot(issued))
    page = in_french(browser, live_server.url, world.importer)
    page.goto(f"{live_server.url}/certificates/{issued.pk}/")
    history = page.locator("#history")
    expect(history).to_contain_text("20/12/2026")
    expect(history).not_to_contain_text("2026-12-20")
    expect(history.locator("table.changes th").first).to_have_text("Case")  # not the packaging's "Boîte"
    expect(history).to_contain_text("29 · Contrôles d’identité")
    expect(history).to_contain_text("Satisfaisant")
    expect(history).not_to_contain_text("satisfactory")
    expect(history).not_to_contain_text("False")
    expect(page.get_by_test_id("box-4")).to_contain_text("Souss Cashew Farm (Maroc)")
    checks = [line for line in page.get_by_test_id("box-29").inner_text().splitlines() if line.strip()]
    assert "Contrôles d’identité\u00a0: Satisfaisant" in checks and all(c[0].isupper() for c in checks), checks
    pdf = text_of(page.request.get(f"{live_server.url}/certificates/{issued.pk}/pdf").body())
    assert re.findall(r"\w:\s", pdf) == [] and "(e)" not in pdf and "2026-12-20" not in pdf

    page.goto(f"{live_server.url}/certificates/?country=GL")
    expect(page.locator("#f-country option:checked")).to_have_text("Groenland")
    expect(page.locator("#f-country")).to_contain_text("Macao")
    expect(page.locator("#f-country")).to_contain_text("Côte d’Ivoire")
    expect(page.locator("#f-country")).not_to_contain_text("Groënland")
    assert serious_violations(page) == []

    settings.COI_FORM_DEFAULT = "2021/2306"
    page.goto(f"{live_server.url}/certificates/new/form/?cn=08013200")
    expect(page.get_by_label("Opérateurs qui achètent ou vendent sans stocker ni manipuler")).to_be_visible()
    expect(page.locator("#coi-form")).not_to_contain_text("(e)")
    expect(page.get_by_label("Aucun", exact=True).first).to_be_attached()
    expect(page.locator("#coi-form")).not_to_contain_text("'")
    labels = page.locator("#coi-form label, #coi-form legend").all_inner_texts()
    lower = [t for t in (" ".join(t.split()) for t in labels) if t and t[0].isalpha() and not t[0].isupper()]
    assert len(labels) > 20 and lower == [], lower  # every label starts with a capital
    page.locator("header form[action*=logout] button").click()
    expect(page.locator(".messages")).to_have_text("Déconnexion effectuée.")


def test_point_7_box_23_has_one_title_on_every_page(
    browser: Browser, live_server: Any, world: Any, issued: Certificate
) -> None:
    title = "Case 23\u00a0: procédures douanières particulières"
    Certificate.objects.filter(pk=issued.pk).update(customs_warehousing=True)  # box 23 names a procedure
    page = in_french(browser, live_server.url, world.inao_agent, two_factor=signer_code)
    page.goto(f"{live_server.url}/certificates/{issued.pk}/")
    expect(page.locator("#form-verify-23 h3")).to_have_text(title, ignore_case=True)  # the step's form
    verify_box_23(world.person(world.inao_agent), issued.pk, place="Le Havre")
    page.reload()
    headings = page.locator("dt, h3").filter(has_text="Case 23").all_inner_texts()
    assert len(headings) >= 3 and {h.strip().lower() for h in headings} == {
        title.replace("\u00a0", " ").lower()
    }  # boxes, signature
    assert serious_violations(page) == []
    pdf = text_of(page.request.get(f"{live_server.url}/certificates/{issued.pk}/pdf").body())
    assert "Vérification de l’envoi avant la ou les procédures douanières particulières\n" not in pdf
    public = browser.new_context(locale="fr-FR").new_page()
    public.goto(f"{live_server.url}/v/{public_token(issued)}")
    expect(public.locator("main")).to_contain_text(title, ignore_case=True)
