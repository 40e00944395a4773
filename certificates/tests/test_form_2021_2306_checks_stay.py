"""Issue 22, points 1 to 3, through the API and the pages: on the 2021/2306 form the decision follows the checks
(a failed identity, physical or laboratory check excludes a release as organic or in-conversion; a result needs
its test); what an authority has checked stays as checked (boxes it
covers refused after box 23 or 25, box 10 reopening box 23's verification, box 29's recorded results kept);
every step of the Union part checks the parties and the time rules on its day. A refusal and an acceptance
test per rule, named after the case."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import extracts
from core.models import Notice
from directory.models import ActivityKind

from .workflow_world import api_auth, fresh_code, make_flow_2021_2306

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def post(client, coi, step, body, user):
    body = {**body, "code": fresh_code(user)}
    return client.post(f"{URL}/{coi.pk}/{step}", body, content_type="application/json", **api_auth(user))


def patch(client, coi, body, user):
    return client.patch(f"{URL}/{coi.pk}", body, content_type="application/json", **api_auth(user))


def issued(flow) -> Certificate:
    return flow.coi(COIStatus.ISSUING_BODY_SIGNED)  # box 20 given 3 days ahead, box 23 warehousing named


def sign_25(client, flow, coi, selected=True, documentary="satisfactory"):
    body = {"documentary": documentary, "selected": selected, "place": "Le Havre"}
    return post(client, coi, "sign-25", body, flow.w.inao_agent)


def box_29(client, flow, coi, **checks):
    values = {"identity_check": "satisfactory", "physical_check": "satisfactory", **checks}
    return patch(client, coi, values, flow.w.inao_agent)


def decide(client, flow, coi, decision, reason="", user=None):
    body = {"decision": decision, "place": "Le Havre", "reason": reason}
    return post(client, coi, "decide-30", body, user or flow.w.inao_agent)


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


# Point 1: the decision follows from the checks ------------------------------------------------------------


def test_it_refuses_release_as_organic_after_a_laboratory_result_not_satisfactory(client, flow):
    coi = issued(flow)
    assert sign_25(client, flow, coi).status_code == 200
    r = box_29(client, flow, coi, laboratory_test=True, laboratory_result="not_satisfactory")
    assert r.status_code == 200, r.content
    for decision in ("released_organic", "released_in_conversion"):
        r = decide(client, flow, coi, decision)
        assert r.status_code == 422
        assert r.json()["code"] == "box_30" and "laboratory test result" in r.json()["detail"]
    assert Certificate.objects.get(pk=coi.pk).status == COIStatus.ISSUING_BODY_SIGNED


@pytest.mark.parametrize(
    ("check", "named"), [("identity_check", "identity check"), ("physical_check", "physical check")]
)
def test_it_refuses_release_as_organic_through_the_api_after_a_failed_identity_or_physical_check(
    client, flow, check, named
):
    coi = issued(flow)
    sign_25(client, flow, coi)
    assert box_29(client, flow, coi, **{check: "not_satisfactory"}).status_code == 200
    for decision in ("released_organic", "released_in_conversion"):
        r = decide(client, flow, coi, decision)
        assert r.status_code == 422 and r.json()["code"] == "box_30" and named in r.json()["detail"]
    assert Certificate.objects.get(pk=coi.pk).status == COIStatus.ISSUING_BODY_SIGNED


@pytest.mark.parametrize("check", ["identity_check", "physical_check"])
def test_it_releases_as_non_organic_through_the_api_after_a_failed_identity_or_physical_check(client, flow, check):
    coi = issued(flow)
    sign_25(client, flow, coi)
    box_29(client, flow, coi, **{check: "not_satisfactory"})
    r = decide(client, flow, coi, "released_non_organic")
    assert r.status_code == 200 and r.json()["status"] == "released_non_organic"


def test_it_releases_as_non_organic_after_a_laboratory_result_not_satisfactory(client, flow):
    coi = issued(flow)
    sign_25(client, flow, coi)
    box_29(client, flow, coi, laboratory_test=True, laboratory_result="not_satisfactory")
    r = decide(client, flow, coi, "released_non_organic")
    assert r.status_code == 200 and r.json()["status"] == "released_non_organic"


def test_it_lets_part_be_released_when_only_some_lots_failed_the_physical_check(client, flow):
    coi = issued(flow)
    sign_25(client, flow, coi)
    box_29(client, flow, coi, physical_check="not_satisfactory")
    r = decide(client, flow, coi, "basis_for_extract", reason="Lot LOT-B failed the physical check")
    assert r.status_code == 200 and r.json()["status"] == "basis_for_extract"


def test_it_releases_as_organic_when_every_check_is_satisfactory(client, flow):
    coi = issued(flow)
    sign_25(client, flow, coi)
    box_29(client, flow, coi, laboratory_test=True, laboratory_result="satisfactory")
    assert decide(client, flow, coi, "released_organic").json()["status"] == "released_organic"


def test_it_refuses_release_as_organic_after_a_failed_check_on_the_decision_page(flow):
    coi = issued(flow)
    client = Client()
    sign_25(client, flow, coi)
    box_29(client, flow, coi, identity_check="not_satisfactory")
    page = page_client(flow.w.inao_agent)
    url = f"/certificates/{coi.pk}/workflow/decide-30/"
    r = page.post(url, {"decision": "released_organic", "place": "Le Havre", "code": fresh_code(flow.w.inao_agent)})
    assert r.status_code == 422 and "identity check" in r.content.decode()
    r = page.post(url, {"decision": "released_non_organic", "place": "Le Havre", "code": fresh_code(flow.w.inao_agent)})
    assert r.status_code == 302
    assert Certificate.objects.get(pk=coi.pk).status == COIStatus.RELEASED_NON_ORGANIC


def test_it_refuses_release_as_organic_after_a_laboratory_result_not_satisfactory_on_the_decision_page(flow):
    coi = issued(flow)
    client = Client()
    sign_25(client, flow, coi)
    box_29(client, flow, coi, laboratory_test=True, laboratory_result="not_satisfactory")
    page = page_client(flow.w.inao_agent)
    url = f"/certificates/{coi.pk}/workflow/decide-30/"
    r = page.post(
        url, {"decision": "released_in_conversion", "place": "Le Havre", "code": fresh_code(flow.w.inao_agent)}
    )
    assert r.status_code == 422 and "laboratory test result" in r.content.decode()
    r = page.post(url, {"decision": "released_non_organic", "place": "Le Havre", "code": fresh_code(flow.w.inao_agent)})
    assert r.status_code == 302
    assert Certificate.objects.get(pk=coi.pk).status == COIStatus.RELEASED_NON_ORGANIC


def test_it_refuses_a_laboratory_result_without_its_test(client, flow):
    coi = issued(flow)
    sign_25(client, flow, coi)
    r = box_29(client, flow, coi, laboratory_result="satisfactory")
    assert r.status_code == 422 and "needs its laboratory test" in r.json()["boxes"]["29"][0]
    assert Certificate.objects.get(pk=coi.pk).laboratory_result == ""
    r = box_29(client, flow, coi, laboratory_test=True, laboratory_result="satisfactory")
    assert r.status_code == 200


def test_it_releases_a_batch_of_a_consignment_with_a_failed_check_only_with_the_authority_s_reason(client, flow):
    base = issued(flow)
    Certificate.objects.filter(pk=base.pk).update(first_consignee=None)
    sign_25(client, flow, base)
    box_29(client, flow, base, physical_check="not_satisfactory")
    assert decide(client, flow, base, "basis_for_extract", reason="Lot LOT-B failed").status_code == 200
    extract = flow.extract(Certificate.objects.get(pk=base.pk), packages=10, weight="200")
    extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    r = decide(client, flow, extract, "released_organic")
    assert r.status_code == 422 and r.json()["code"] == "box_12" and "physical check" in r.json()["detail"]
    reason = "This batch is lot LOT-A, which passed"
    r = decide(client, flow, extract, "released_organic", reason=reason, user=flow.w.border_agent)
    assert r.status_code == 200, r.content
    history = client.get(f"{URL}/{extract.pk}/history", **api_auth(flow.w.importer)).json()
    assert any("LOT-A, which passed" in e["note"] for e in history)


# Point 2: what an authority has checked stays as checked -----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "box"),
    [
        ("prior_notification_at", "in_4_days", "20"),
        ("transfer_requested", True, "21"),
        ("rfl", None, "19"),
    ],
)
def test_it_refuses_a_box_covered_by_box_25_once_signed(client, flow, field, value, box):
    coi = issued(flow)
    if value == "in_4_days":
        value = (timezone.now() + datetime.timedelta(days=4)).isoformat()
    before = patch(client, coi, {field: value}, flow.w.importer)
    assert before.status_code == 200, before.content  # open before box 25
    sign_25(client, flow, coi)
    r = patch(client, coi, {field: value if field != "transfer_requested" else False}, flow.w.importer)
    assert r.status_code == 422 and "Box 25 is signed" in r.json()["boxes"][box][0]


def test_it_refuses_box_20_after_box_25_on_the_edit_page(flow):
    coi = issued(flow)
    sign_25(Client(), flow, coi)
    page = page_client(flow.w.importer)
    later = (timezone.now() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    r = page.post(f"/certificates/{coi.pk}/edit/", {"prior_notification_at": later}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "Box 25 is signed" in r.content.decode()


def test_it_withdraws_box_23_s_verification_when_the_importer_changes_box_10(client, flow):
    coi = issued(flow)
    assert post(client, coi, "verify-23", {"place": "Le Havre"}, flow.w.inao_agent).status_code == 200
    r = patch(client, coi, {"point_of_entry_kind": "release_point"}, flow.w.importer)
    assert r.status_code == 200, r.content
    assert not coi.signatures.filter(box="23").exists()
    notes = [e["note"] for e in client.get(f"{URL}/{coi.pk}/history", **api_auth(flow.w.importer)).json()]
    assert any("verification of box 23 is withdrawn" in n for n in notes)
    told = " ".join(Notice.objects.filter(user=flow.w.inao_agent).values_list("text", flat=True))
    assert "the verification of box 23 is withdrawn" in told
    steps = client.get(f"{URL}/{coi.pk}/steps", **api_auth(flow.w.inao_agent)).json()["my_steps"]
    assert "verify-23" in steps  # the authority may verify again


def test_it_refuses_box_23_once_verified(client, flow):
    coi = issued(flow)
    post(client, coi, "verify-23", {"place": "Le Havre"}, flow.w.inao_agent)
    r = patch(client, coi, {"customs_declaration_reference": "26FR0000000000002"}, flow.w.importer)
    assert r.status_code == 422 and "Box 23 is signed" in r.json()["boxes"]["23"][0]


def test_it_keeps_a_result_recorded_in_box_29(client, flow):
    coi = issued(flow)
    sign_25(client, flow, coi)
    box_29(client, flow, coi, identity_check="not_satisfactory")
    r = box_29(client, flow, coi, identity_check="satisfactory")
    assert r.status_code == 422 and "stays as recorded" in r.json()["boxes"]["29"][0]
    r = box_29(client, flow, coi, identity_check="not_satisfactory", laboratory_test=True)
    assert r.status_code == 200  # an empty check may still be recorded


# Point 3: every step of the Union part checks the parties and the time rules on its day ----------------------


def test_it_refuses_box_25_when_the_importer_is_no_longer_certified_that_day(client, flow):
    coi = issued(flow)
    flow.w.acme.activities.filter(kind=ActivityKind.IMPORTER).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    r = sign_25(client, flow, coi)
    assert r.status_code == 422 and "is not certified" in r.json()["boxes"]["12"][0]


def test_it_refuses_box_31_when_the_first_consignee_is_no_longer_certified_that_day(client, flow):
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    flow.w.foods.activities.filter(kind=ActivityKind.OPERATOR).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    r = post(client, coi, "sign-31", {"in_accordance": True, "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 422 and "is not certified" in r.json()["boxes"]["24"][0]


def test_it_signs_box_31_when_the_parties_are_certified_that_day(client, flow):
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    r = post(client, coi, "sign-31", {"in_accordance": True, "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 200 and r.json()["status"] == "first_consignee_signed"


def test_it_refuses_box_25_before_the_prior_notification_on_the_page(flow):
    coi = flow.sign_18(flow.w.submitted("importer"))
    page = page_client(flow.w.inao_agent)
    body = {"documentary": "satisfactory", "selected": "no", "place": "Le Havre", "code": fresh_code(flow.w.inao_agent)}
    r = page.post(f"/certificates/{coi.pk}/workflow/sign-25/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "Box 20 (prior notification) is not given" in r.content.decode()
