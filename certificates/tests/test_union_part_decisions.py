"""Issue 22, point 1, on the decision page (box 30 of the 2021/2306 form, box 12 of its extract): what it offers
after a failed documentary check (box 25), a refusal of "part" when box 29 names every lot, a laboratory test
whose result is awaited, and the authority's explicit choice for a batch of a failed consignment printed on the
extract's PDF. The API's cases: test_union_part_api.py, test_form_2021_2306_checks_stay.py, test_box_29_checks.py.
PostgreSQL too (`DATABASE_URL`)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from certificates import services
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import extracts, release

from .union_part import page, pdf_text, shown, status
from .workflow_world import api_auth, fresh_code, make_flow_2021_2306

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def decide_on_the_page(coi, user, decision, reason=""):
    body = {"decision": decision, "reason": reason, "place": "Le Havre", "code": fresh_code(user)}
    return page(user).post(f"/certificates/{coi.pk}/workflow/decide-30/", body)


def offered(coi, user) -> set[str]:
    """The decisions the COI page's box 30 form offers `user`."""
    html = page(user).get(f"/certificates/{coi.pk}/").content.decode()
    form = html[html.index('id="form-decide-30"') :]
    form = form[: form.index("</form>")]
    return set(re.findall(r'<option value="([^"]+)"', form))


def checked(flow, documentary="satisfactory", selected="no", **checks) -> Certificate:
    """A COI issued (box 20 given), box 25 signed with `documentary`, box 29 then given `checks`."""
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    agent = flow.person(flow.w.inao_agent)  # the steps before the one tested, without two-factor codes
    release.sign_box_25(agent, coi.pk, documentary=documentary, selected=selected, place="Le Havre")
    if checks:
        services.update_boxes(agent, coi.pk, checks)
    return Certificate.objects.get(pk=coi.pk)


# Box 25 not satisfactory: two decisions -------------------------------------------------------------------


def test_it_offers_only_the_two_allowed_decisions_on_the_decision_page_after_a_failed_documentary_check(flow):
    coi = checked(flow, documentary="not_satisfactory")
    assert offered(coi, flow.w.inao_agent) == {COIStatus.RELEASED_NON_ORGANIC, COIStatus.CANNOT_BE_RELEASED}
    assert offered(coi, flow.w.border_agent) == {COIStatus.RELEASED_NON_ORGANIC, COIStatus.CANNOT_BE_RELEASED}


def test_it_offers_the_form_s_five_decisions_on_the_decision_page_after_a_satisfactory_documentary_check(flow):
    coi = checked(flow)
    assert offered(coi, flow.w.inao_agent) == set(COIStatus.box30_decisions())


# Box 29: every lot failed; a laboratory test awaiting its result -----------------------------------------


def test_it_refuses_part_released_on_the_decision_page_when_every_lot_failed(flow):
    coi = checked(flow, physical_check="not_satisfactory", lots_not_satisfactory="LOT-A, LOT-B")
    Certificate.objects.filter(pk=coi.pk).update(first_consignee=None)
    r = decide_on_the_page(coi, flow.w.inao_agent, "basis_for_extract", reason="Both lots failed")
    assert r.status_code == 422 and "Every lot of box 13 is not satisfactory (box 29)" in shown(r)
    assert "Both lots failed" in shown(r)  # what was typed is kept
    assert status(coi) == COIStatus.ISSUING_BODY_SIGNED
    r = decide_on_the_page(coi, flow.w.inao_agent, "cannot_be_released", reason="Both lots failed")
    assert r.status_code == 302 and status(coi) == COIStatus.CANNOT_BE_RELEASED


def test_it_awaits_the_result_of_a_laboratory_test_on_the_decision_page(flow):
    coi = checked(flow)
    agent = page(flow.w.inao_agent)
    assert agent.post(f"/certificates/{coi.pk}/edit/", {"laboratory_test": "yes"}).status_code == 302
    r = decide_on_the_page(coi, flow.w.inao_agent, "released_organic")
    assert r.status_code == 422 and "Record the result of the laboratory test in box 29 first." in shown(r)
    assert status(coi) == COIStatus.ISSUING_BODY_SIGNED
    assert agent.post(f"/certificates/{coi.pk}/edit/", {"laboratory_result": "satisfactory"}).status_code == 302
    r = decide_on_the_page(coi, flow.w.inao_agent, "released_organic")
    assert r.status_code == 302 and status(coi) == COIStatus.RELEASED_ORGANIC


# Box 12 of the extract: the authority's explicit choice, with its reason on the PDF -------------------------


def batch_of_a_failed_consignment(flow) -> Certificate:
    """A COI whose physical check failed, no lot named, part released; an extract of it submitted for box 12."""
    base = checked(flow, physical_check="not_satisfactory")
    Certificate.objects.filter(pk=base.pk).update(first_consignee=None)
    agent = flow.person(flow.w.inao_agent)
    release.decide_box_30(agent, base.pk, decision="basis_for_extract", place="Le Havre", reason="LOT-B failed")
    extract = flow.extract(Certificate.objects.get(pk=base.pk), packages=10, weight="200")
    extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    return extract


def test_it_prints_on_the_extract_s_pdf_the_authority_s_reason_for_releasing_a_batch_of_a_failed_consignment(flow):
    extract = batch_of_a_failed_consignment(flow)
    reason = "This batch is lot LOT-A, which passed"
    r = decide_on_the_page(extract, flow.w.border_agent, "released_organic", reason=reason)
    assert r.status_code == 302 and status(extract) == COIStatus.RELEASED_ORGANIC
    assert reason in pdf_text(extract)


# Box 30's other preconditions, through the API and the page ------------------------------------------------


def api_decide(coi, user, decision, reason=""):
    body = {"decision": decision, "reason": reason, "place": "Le Havre", "code": fresh_code(user)}
    return Client().post(
        f"/api/v1/certificates/{coi.pk}/decide-30", body, content_type="application/json", **api_auth(user)
    )


def test_it_refuses_box_30_before_box_25_through_the_api_and_the_page(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    r = api_decide(coi, flow.w.inao_agent, "released_organic")
    assert r.status_code == 422 and "Record the documentary check (box 25) before the decision." in r.json()["detail"]
    r = decide_on_the_page(coi, flow.w.border_agent, "released_organic")
    assert r.status_code == 422 and "Record the documentary check (box 25) before the decision." in shown(r)
    assert status(coi) == COIStatus.ISSUING_BODY_SIGNED


@pytest.mark.parametrize("decision", ["cannot_be_released", "basis_for_extract"])
def test_it_asks_for_the_additional_information_of_a_refusal_or_a_part_through_the_api_and_the_page(flow, decision):
    coi = checked(flow)
    Certificate.objects.filter(pk=coi.pk).update(first_consignee=None)
    r = api_decide(coi, flow.w.inao_agent, decision)
    assert r.status_code == 422 and "Give the additional information this decision requires." in r.json()["detail"]
    r = decide_on_the_page(coi, flow.w.border_agent, decision)
    assert r.status_code == 422 and "Give the additional information this decision requires." in shown(r)
    assert status(coi) == COIStatus.ISSUING_BODY_SIGNED
    assert api_decide(coi, flow.w.inao_agent, decision, reason="Two consignees").status_code == 200


def test_it_asks_for_the_first_consignee_before_a_release_through_the_api_and_the_page(flow):
    coi = checked(flow)
    Certificate.objects.filter(pk=coi.pk).update(first_consignee=None)
    r = api_decide(coi, flow.w.inao_agent, "released_organic")
    assert r.status_code == 422 and "Give the first consignee (box 24) before" in r.json()["detail"]
    r = decide_on_the_page(coi, flow.w.border_agent, "released_in_conversion")
    assert r.status_code == 422 and "Give the first consignee (box 24) before" in shown(r)
    assert status(coi) == COIStatus.ISSUING_BODY_SIGNED


def test_it_refuses_a_decision_of_the_guides_form_at_box_30_through_the_api_and_the_page(flow):
    coi = checked(flow)
    r = api_decide(coi, flow.w.inao_agent, "consignment_verified")
    assert r.status_code == 422, r.content
    (error,) = r.json()["errors"]  # at the decision, naming the five of the form
    assert error["loc"][-1] == "decision" and error["msg"].startswith("One of: released_organic, ")
    r = decide_on_the_page(coi, flow.w.border_agent, "consignment_verified")
    assert r.status_code == 422 and "Choose one of the decisions of box 30." in shown(r)
    assert status(coi) == COIStatus.ISSUING_BODY_SIGNED


# After box 30: what it covers is closed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "body", "box"),
    [
        ("importer", {"first_consignee": None}, "24"),
        ("importer", {"customs_declaration_reference": "26FR0000000000009"}, "23"),
        ("inao_agent", {"laboratory_test": True}, "29"),
        ("control_body", {"transport_document": "BL-99"}, "17"),
    ],
)
def test_it_refuses_a_box_covered_by_box_30_once_decided_through_the_api(flow, who, body, box):
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    (field,) = body
    before = getattr(Certificate.objects.get(pk=coi.pk), field if field != "first_consignee" else "first_consignee_id")
    r = Client().patch(
        f"/api/v1/certificates/{coi.pk}", body, content_type="application/json", **api_auth(getattr(flow.w, who))
    )
    assert r.status_code == 403 and f"box {box}" in r.json()["detail"]
    after = Certificate.objects.get(pk=coi.pk)
    assert getattr(after, field if field != "first_consignee" else "first_consignee_id") == before  # nothing saved
    assert after.status == COIStatus.RELEASED_ORGANIC
