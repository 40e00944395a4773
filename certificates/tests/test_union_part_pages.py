"""Issue 22, points 1 to 3, on the pages (the API's tests: test_form_2021_2306_checks_stay.py, test_box_29_checks.py):
each rule of the Union part of the 2021/2306 form refused on its page at its box, and accepted once its case is
met, as a user of the step's page or of the edit page sees it. PostgreSQL too (`DATABASE_URL`)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import after_signature, extracts, release
from directory.models import ActivityKind

from .union_part import expire, issued, page, page_step, shown, sign_25, status
from .workflow_world import make_flow_2021_2306

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def edit(coi, body, user):
    return page(user).post(f"/certificates/{coi.pk}/edit/", body)


# Point 1: the decision follows from the checks ------------------------------------------------------------


def test_it_refuses_release_on_the_decision_page_after_a_failed_documentary_check(flow):
    coi = issued(flow)
    sign_25(flow, coi, documentary="not_satisfactory")
    r = page_step(coi, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 422 and "The documentary check is not satisfactory" in shown(r)
    assert status(coi) == COIStatus.ISSUING_BODY_SIGNED


def test_it_refuses_the_consignment_on_the_decision_page_after_a_failed_documentary_check(flow):
    coi = issued(flow)
    sign_25(flow, coi, documentary="not_satisfactory")
    r = page_step(coi, "decide-30", {"decision": "cannot_be_released", "reason": "Wrong lots"}, flow.w.inao_agent)
    assert r.status_code == 302 and status(coi) == COIStatus.CANNOT_BE_RELEASED


def test_it_refuses_the_decision_page_of_a_selected_consignment_before_its_checks(flow):
    coi = issued(flow)
    sign_25(flow, coi, selected="yes")
    r = page_step(coi, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 422 and "record the identity and physical checks in box 29" in shown(r)


def test_it_decides_on_the_page_for_a_selected_consignment_once_its_checks_are_recorded(flow):
    coi = issued(flow)
    sign_25(flow, coi, selected="yes")
    checks = {"identity_check": "satisfactory", "physical_check": "satisfactory"}
    assert edit(coi, checks, flow.w.inao_agent).status_code == 302
    r = page_step(coi, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 302 and status(coi) == COIStatus.RELEASED_ORGANIC


def batch_of_a_failed_consignment(flow) -> Certificate:
    """A COI whose physical check failed, no lot named, part released; an extract of it submitted for box 12."""
    base = issued(flow)
    Certificate.objects.filter(pk=base.pk).update(first_consignee=None)
    sign_25(flow, base)
    services.update_boxes(flow.person(flow.w.inao_agent), base.pk, {"physical_check": "not_satisfactory"})
    agent = flow.person(flow.w.inao_agent)
    release.decide_box_30(agent, base.pk, decision="basis_for_extract", place="Le Havre", reason="LOT-B failed")
    extract = flow.extract(Certificate.objects.get(pk=base.pk), packages=10, weight="200")
    extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    return extract


def test_it_refuses_on_the_page_a_batch_of_a_failed_consignment_as_organic_without_the_authority_s_reason(flow):
    extract = batch_of_a_failed_consignment(flow)
    r = page_step(extract, "decide-30", {"decision": "released_organic"}, flow.w.border_agent)
    assert r.status_code == 422 and "only if you say in the additional information why" in shown(r)


def test_it_releases_on_the_page_a_batch_of_a_failed_consignment_as_organic_with_the_authority_s_reason(flow):
    extract = batch_of_a_failed_consignment(flow)
    reason = "This batch is lot LOT-A, which passed"
    r = page_step(extract, "decide-30", {"decision": "released_organic", "reason": reason}, flow.w.border_agent)
    assert r.status_code == 302 and status(extract) == COIStatus.RELEASED_ORGANIC
    assert reason in shown(page(flow.w.importer).get(f"/certificates/{extract.pk}/"))  # with the signature


# Point 2: what an authority has checked stays as checked ----------------------------------------------------


def test_it_refuses_box_23_on_the_edit_page_once_verified(flow):
    coi = issued(flow)
    assert page_step(coi, "verify-23", {}, flow.w.inao_agent).status_code == 302
    r = edit(coi, {"customs_declaration_reference": "26FR0000000000002"}, flow.w.importer)
    assert r.status_code == 422 and "Box 23 is signed: box 23, which it covers, can no longer change" in shown(r)


def test_it_lets_box_23_change_on_the_edit_page_before_its_verification(flow):
    coi = issued(flow)
    r = edit(coi, {"customs_declaration_reference": "26FR0000000000002"}, flow.w.importer)
    assert r.status_code == 302
    assert Certificate.objects.get(pk=coi.pk).customs_declaration_reference == "26FR0000000000002"


def test_it_withdraws_box_23_s_verification_when_box_10_changes_on_the_edit_page(flow):
    coi = issued(flow)
    page_step(coi, "verify-23", {}, flow.w.inao_agent)
    r = edit(coi, {"point_of_entry_kind": "release_point"}, flow.w.importer)
    assert r.status_code == 302 and not coi.signatures.filter(box="23").exists()
    assert "the verification of box 23 is withdrawn" in shown(page(flow.w.inao_agent).get(f"/certificates/{coi.pk}/"))


def test_it_refuses_box_21_on_the_edit_page_once_box_25_is_signed(flow):
    coi = issued(flow)
    sign_25(flow, coi)
    r = edit(coi, {"transfer_requested": "on", "present-transfer_requested": "1"}, flow.w.importer)
    assert r.status_code == 422 and "Box 25 is signed: box 21" in shown(r)
    assert Certificate.objects.get(pk=coi.pk).transfer_requested is False


def test_it_lets_box_21_change_on_the_edit_page_before_box_25(flow):
    coi = issued(flow)
    assert (
        edit(coi, {"transfer_requested": "on", "present-transfer_requested": "1"}, flow.w.importer).status_code == 302
    )
    assert Certificate.objects.get(pk=coi.pk).transfer_requested is True


def test_it_keeps_a_result_recorded_in_box_29_on_the_edit_page(flow):
    coi = issued(flow)
    sign_25(flow, coi)
    assert edit(coi, {"identity_check": "not_satisfactory"}, flow.w.inao_agent).status_code == 302
    r = edit(coi, {"identity_check": "satisfactory"}, flow.w.inao_agent)
    assert r.status_code == 422 and "A result recorded in box 29 stays as recorded" in shown(r)
    assert Certificate.objects.get(pk=coi.pk).identity_check == "not_satisfactory"


# Point 3: every step of the Union part checks the parties and the time rules on its day ----------------------


def test_it_refuses_box_25_on_the_page_when_the_importer_is_no_longer_certified_that_day(flow):
    coi = issued(flow)
    expire(flow.w.acme, ActivityKind.IMPORTER)
    r = page_step(coi, "sign-25", {"documentary": "satisfactory", "selected": "no"}, flow.w.inao_agent)
    assert r.status_code == 422 and "is not certified" in shown(r)
    assert not coi.signatures.filter(box="25").exists()


def test_it_signs_box_25_on_the_page_when_the_parties_are_certified_that_day(flow):
    coi = issued(flow)
    r = page_step(coi, "sign-25", {"documentary": "satisfactory", "selected": "no"}, flow.w.inao_agent)
    assert r.status_code == 302 and coi.signatures.filter(box="25").exists()


def test_it_refuses_box_30_on_the_page_when_the_first_consignee_is_no_longer_certified_that_day(flow):
    coi = issued(flow)
    sign_25(flow, coi)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = page_step(coi, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 422 and "is not certified" in shown(r)
    r = page_step(coi, "decide-30", {"decision": "cannot_be_released", "reason": "No consignee"}, flow.w.inao_agent)
    assert r.status_code == 302  # refusing the consignment gives it no effect: no party is checked


def test_it_refuses_box_31_on_the_page_when_the_first_consignee_is_no_longer_certified_that_day(flow):
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = page_step(coi, "sign-31", {"in_accordance": "yes", "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 422 and "is not certified" in shown(r)


def test_it_signs_box_31_on_the_page_when_the_first_consignee_is_certified_that_day(flow):
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    r = page_step(coi, "sign-31", {"in_accordance": "yes", "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 302 and status(coi) == COIStatus.FIRST_CONSIGNEE_SIGNED


def test_it_refuses_box_25_on_the_page_while_a_replacement_is_open(flow):
    coi = issued(flow)
    after_signature.replace(flow.person(flow.w.control_body), coi.pk)
    r = page_step(coi, "sign-25", {"documentary": "satisfactory", "selected": "no"}, flow.w.inao_agent)
    assert r.status_code in (409, 422) and "replacement" in shown(r).lower()
    assert not coi.signatures.filter(box="25").exists()


def test_it_signs_box_25_on_the_page_after_the_prior_notification(flow):
    coi = flow.sign_18(flow.w.submitted("importer"))
    later = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert edit(coi, {"prior_notification_at": later}, flow.w.importer).status_code == 302
    r = page_step(coi, "sign-25", {"documentary": "satisfactory", "selected": "no"}, flow.w.inao_agent)
    assert r.status_code == 302 and coi.signatures.filter(box="25").exists()
