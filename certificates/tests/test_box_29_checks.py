"""Issue 22, box 29 of the 2021/2306 form: a check that was not done is recorded and shown as "not done" ("non
effectué"), never as satisfactory nor blank, on the COI page, the PDF, the API and an extract of the COI; a result
needs its check or test; and per lot, where only some lots of box 13 failed, box 30 lets part be released and an
extract's box 12 releases as organic a batch without a failed lot, never one with it. Through the API and the
pages (PostgreSQL too: `DATABASE_URL`)."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.test import Client

from accounts.models import User
from certificates.models import Certificate
from certificates.outputs.pdf import render_pdf
from certificates.statuses import COIStatus
from certificates.workflow import extracts, release

from .workflow_world import api_auth, fresh_code, make_flow_2021_2306

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def post(coi, step, body, user):
    body = {**body, "code": fresh_code(user)}
    return Client().post(f"{URL}/{coi.pk}/{step}", body, content_type="application/json", **api_auth(user))


def patch(coi, body, user):
    return Client().patch(f"{URL}/{coi.pk}", body, content_type="application/json", **api_auth(user))


def boxes(coi, user):
    return Client().get(f"{URL}/{coi.pk}", **api_auth(user)).json()["boxes"]


def page(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(language=language)
    return client


def pdf_text(coi, language="en") -> str:
    pdf = render_pdf(coi.pk, language).content
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", " ", done.stdout.decode())


def checked(flow, selected=False, **checks) -> Certificate:
    """A COI issued, box 25 signed, box 29 then given `checks` (through the API)."""
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    body = {"documentary": "satisfactory", "selected": selected, "place": "Le Havre"}
    assert post(coi, "sign-25", body, flow.w.inao_agent).status_code == 200
    if checks:
        r = patch(coi, checks, flow.w.inao_agent)
        assert r.status_code == 200, r.content
    return Certificate.objects.get(pk=coi.pk)


def decide(coi, decision, user, reason=""):
    return post(coi, "decide-30", {"decision": decision, "place": "Le Havre", "reason": reason}, user)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# A check not done reads "not done" ------------------------------------------------------------------------------


def test_it_records_the_checks_not_done_at_box_25_in_the_api(flow):
    coi = checked(flow)
    data = boxes(coi, flow.w.importer)
    assert (data["identity_check"], data["physical_check"], data["laboratory_test"]) == ("not_done", "not_done", False)


@pytest.mark.parametrize(("language", "words"), [("en", "Not done"), ("fr", "Non effectué")])
def test_it_shows_the_checks_not_done_on_the_coi_page_and_the_pdf(flow, language, words):
    coi = checked(flow, identity_check="satisfactory")
    shown = text_of(page(flow.w.importer, language).get(f"/certificates/{coi.pk}/"))
    box_29 = shown[shown.index("Identity and physical checks" if language == "en" else "Contrôles d") :]
    assert box_29.count(words) >= 2  # the physical check and the test result
    printed = pdf_text(coi, language)
    assert printed.count(words) >= 2


def test_it_shows_the_checks_not_done_of_the_consignment_on_its_extract(flow):
    base = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    Certificate.objects.filter(pk=base.pk).update(first_consignee=None)
    post(base, "sign-25", {"documentary": "satisfactory", "selected": False, "place": "Le Havre"}, flow.w.inao_agent)
    patch(base, {"physical_check": "satisfactory"}, flow.w.inao_agent)
    assert decide(base, "basis_for_extract", flow.w.inao_agent, reason="Two consignees").status_code == 200
    extract = flow.extract(Certificate.objects.get(pk=base.pk), packages=10, weight="200")
    data = boxes(extract, flow.w.importer)
    assert (data["identity_check"], data["physical_check"]) == ("not_done", "satisfactory")
    shown = text_of(page(flow.w.importer).get(f"/certificates/{extract.pk}/"))
    assert "Checks of the consignment (box 29 of the certificate of inspection)" in shown
    assert "identity checks: Not done" in shown.lower().replace("not done", "Not done")
    assert "Not done" in pdf_text(extract)


def test_it_replaces_not_done_with_the_result_of_a_check_made_later(flow):
    coi = checked(flow)
    r = patch(coi, {"identity_check": "not_satisfactory"}, flow.w.inao_agent)
    assert r.status_code == 200 and boxes(coi, flow.w.importer)["identity_check"] == "not_satisfactory"


def test_it_refuses_to_record_a_check_done_as_not_done(flow):
    coi = checked(flow, identity_check="satisfactory")
    r = patch(coi, {"identity_check": "not_done"}, flow.w.inao_agent)
    assert r.status_code == 422 and "stays as recorded" in r.json()["boxes"]["29"][0]
    r = patch(coi, {"identity_check": ""}, flow.w.inao_agent)  # emptied: still a change of a result
    assert r.status_code == 422
    assert boxes(coi, flow.w.importer)["identity_check"] == "satisfactory"


def test_it_refuses_a_check_not_done_as_the_result_of_a_selected_consignment(flow):
    coi = checked(flow, selected=True, identity_check="satisfactory")
    r = decide(coi, "released_organic", flow.w.inao_agent)
    assert r.status_code == 422 and "record the identity and physical checks" in r.json()["detail"]


def test_it_releases_a_selected_consignment_once_both_checks_are_recorded(flow):
    coi = checked(flow, selected=True, identity_check="satisfactory", physical_check="satisfactory")
    assert decide(coi, "released_organic", flow.w.inao_agent).json()["status"] == "released_organic"


def test_it_awaits_the_result_of_a_laboratory_test_made(flow):
    coi = checked(flow, laboratory_test=True)
    assert boxes(coi, flow.w.importer)["laboratory_result"] == ""
    assert "test result: awaited" in text_of(page(flow.w.importer).get(f"/certificates/{coi.pk}/")).lower()
    r = decide(coi, "released_organic", flow.w.inao_agent)
    assert r.status_code == 422 and "result of the laboratory test" in r.json()["detail"]
    assert patch(coi, {"laboratory_result": "satisfactory"}, flow.w.inao_agent).status_code == 200
    assert decide(coi, "released_organic", flow.w.border_agent).status_code == 200


def test_it_refuses_a_laboratory_result_without_its_test_on_the_edit_page(flow):
    coi = checked(flow)
    r = page(flow.w.inao_agent).post(f"/certificates/{coi.pk}/edit/", {"laboratory_result": "satisfactory"})
    assert r.status_code == 422 and "needs its laboratory test" in r.content.decode()
    r = page(flow.w.inao_agent).post(
        f"/certificates/{coi.pk}/edit/", {"laboratory_test": "yes", "laboratory_result": "satisfactory"}
    )
    assert r.status_code == 302
    assert Certificate.objects.get(pk=coi.pk).laboratory_result == "satisfactory"


def test_it_records_a_check_not_done_on_the_edit_page(flow):
    coi = checked(flow, identity_check="satisfactory")
    r = page(flow.w.inao_agent).post(f"/certificates/{coi.pk}/edit/", {"physical_check": ""})
    assert r.status_code == 302
    assert Certificate.objects.get(pk=coi.pk).physical_check == "not_done"


# Per lot: part released, the failed lots not -------------------------------------------------------------------


def test_it_refuses_a_lot_not_satisfactory_that_is_not_a_lot_of_box_13(flow):
    coi = checked(flow, physical_check="not_satisfactory")
    r = patch(coi, {"lots_not_satisfactory": "LOT-Z"}, flow.w.inao_agent)
    assert r.status_code == 422 and "LOT-Z is not a lot number of box 13" in r.json()["boxes"]["29"][0]


def test_it_refuses_lots_not_satisfactory_without_a_failed_check(flow):
    coi = checked(flow, physical_check="satisfactory")
    r = patch(coi, {"lots_not_satisfactory": "LOT-B"}, flow.w.inao_agent)
    assert r.status_code == 422 and "only when a check of box 29 is not satisfactory" in r.json()["boxes"]["29"][0]


def test_it_keeps_a_lot_recorded_as_not_satisfactory(flow):
    coi = checked(flow, physical_check="not_satisfactory", lots_not_satisfactory="LOT-B")
    r = patch(coi, {"lots_not_satisfactory": ""}, flow.w.inao_agent)
    assert r.status_code == 422 and "LOT-B was recorded as not satisfactory" in r.json()["boxes"]["29"][0]
    assert patch(coi, {"lots_not_satisfactory": "LOT-B, LOT-A"}, flow.w.inao_agent).status_code == 200


def test_it_records_the_lots_not_satisfactory_on_the_edit_page_and_prints_them(flow):
    coi = checked(flow, physical_check="not_satisfactory")
    r = page(flow.w.inao_agent).post(f"/certificates/{coi.pk}/edit/", {"lots_not_satisfactory": "LOT-B"})
    assert r.status_code == 302
    assert "Lots not satisfactory: LOT-B" in text_of(page(flow.w.importer).get(f"/certificates/{coi.pk}/"))
    assert "Lots not satisfactory: LOT-B" in pdf_text(coi)
    r = page(flow.w.inao_agent).post(f"/certificates/{coi.pk}/edit/", {"lots_not_satisfactory": "LOT-B, LOT-Q"})
    assert r.status_code == 422 and "LOT-Q is not a lot number" in r.content.decode()


def part_released(flow, failed_lot: str) -> Certificate:
    """A COI whose lot `failed_lot` failed the physical check, part released, and an extract of its lot LOT-A,
    submitted for box 12."""
    base = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    Certificate.objects.filter(pk=base.pk).update(first_consignee=None)
    agent = flow.person(flow.w.inao_agent)  # the steps before the one tested, without two-factor codes
    release.sign_box_25(agent, base.pk, documentary="satisfactory", selected="yes", place="Le Havre")
    checks = {"identity_check": "satisfactory", "physical_check": "not_satisfactory"}
    assert patch(base, {**checks, "lots_not_satisfactory": failed_lot}, flow.w.inao_agent).status_code == 200
    reason = f"Lot {failed_lot} failed the physical check"
    release.decide_box_30(agent, base.pk, decision="basis_for_extract", place="Le Havre", reason=reason)
    extract = flow.extract(Certificate.objects.get(pk=base.pk), packages=10, weight="200")
    extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    return extract


def test_it_releases_as_organic_a_batch_without_the_failed_lot(flow):
    extract = part_released(flow, "LOT-B")
    r = decide(extract, "released_organic", flow.w.inao_agent)
    assert r.status_code == 200 and r.json()["status"] == "released_organic"


def test_it_refuses_release_as_organic_of_a_batch_holding_the_failed_lot(flow):
    extract = part_released(flow, "LOT-A")
    for decision in ("released_organic", "released_in_conversion"):
        r = decide(extract, decision, flow.w.border_agent, reason="The authority would like to")
        assert r.status_code == 422 and r.json()["code"] == "box_12" and "Lot LOT-A" in r.json()["detail"]
    assert decide(extract, "released_non_organic", flow.w.border_agent).json()["status"] == "released_non_organic"


def test_it_offers_only_what_the_checks_allow_on_the_decision_pages(flow):
    extract = part_released(flow, "LOT-A")
    status = Certificate.objects.get(pk=extract.pk).status
    shown = page(flow.w.border_agent).get(f"/certificates/{extract.pk}/").content.decode()
    assert 'value="released_non_organic"' in shown and 'value="released_organic"' not in shown
    r = page(flow.w.border_agent).post(
        f"/certificates/{extract.pk}/workflow/decide-30/",
        {"decision": "released_organic", "place": "Le Havre", "code": fresh_code(flow.w.border_agent)},
    )
    assert r.status_code == 422 and "Lot LOT-A" in r.content.decode()
    assert Certificate.objects.get(pk=extract.pk).status == status


def test_it_releases_on_the_decision_page_a_batch_without_the_failed_lot(flow):
    extract = part_released(flow, "LOT-B")
    shown = page(flow.w.inao_agent).get(f"/certificates/{extract.pk}/").content.decode()
    assert 'value="released_organic"' in shown
    r = page(flow.w.inao_agent).post(
        f"/certificates/{extract.pk}/workflow/decide-30/",
        {"decision": "released_organic", "place": "Le Havre", "code": fresh_code(flow.w.inao_agent)},
    )
    assert r.status_code == 302
    assert Certificate.objects.get(pk=extract.pk).status == COIStatus.RELEASED_ORGANIC


def test_it_does_not_offer_release_as_organic_after_a_failed_check_on_the_coi_page(flow):
    coi = checked(flow, identity_check="not_satisfactory")
    shown = page(flow.w.inao_agent).get(f"/certificates/{coi.pk}/").content.decode()
    assert 'value="basis_for_extract"' in shown and 'value="released_non_organic"' in shown
    assert 'value="released_organic"' not in shown and 'value="released_in_conversion"' not in shown


def test_it_refuses_part_released_when_every_lot_failed(flow):
    coi = checked(flow, physical_check="not_satisfactory", lots_not_satisfactory="LOT-A, LOT-B")
    r = decide(coi, "basis_for_extract", flow.w.inao_agent, reason="Both lots failed")
    assert r.status_code == 422 and "Every lot of box 13 is not satisfactory" in r.json()["detail"]
    shown = page(flow.w.inao_agent).get(f"/certificates/{coi.pk}/").content.decode()
    assert 'value="basis_for_extract"' not in shown and 'value="released_non_organic"' in shown
    r = decide(coi, "released_non_organic", flow.w.border_agent, reason="Both lots failed")
    assert r.status_code == 200 and r.json()["status"] == "released_non_organic"


def test_it_lets_part_be_released_on_the_page_when_only_one_lot_failed(flow):
    coi = checked(flow, physical_check="not_satisfactory", lots_not_satisfactory="LOT-B")
    Certificate.objects.filter(pk=coi.pk).update(first_consignee=None)
    reason = "Lot LOT-B held back: its physical check failed"
    r = page(flow.w.inao_agent).post(
        f"/certificates/{coi.pk}/workflow/decide-30/",
        {"decision": "basis_for_extract", "reason": reason, "place": "Le Havre", "code": fresh_code(flow.w.inao_agent)},
    )
    assert r.status_code == 302 and Certificate.objects.get(pk=coi.pk).status == COIStatus.BASIS_FOR_EXTRACT
    assert reason in pdf_text(coi)  # the authority's reason, printed with its signature
    history = Client().get(f"{URL}/{coi.pk}/history", **api_auth(flow.w.importer)).json()
    assert any(reason in e["note"] for e in history)
