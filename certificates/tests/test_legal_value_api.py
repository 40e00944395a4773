"""Issue 11 through the API: every rule that gives a COI its legal value holds at every step, not only at
"Submit for certification". One test per refusal and per acceptance, named after the case."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import ApiToken, User
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import after_signature
from certificates.workflow_records import Signature
from core.models import Notice
from directory.models import ActivityKind

from .factories import ActivityFactory, OperatorFactory, member_of
from .workflow_world import CHECKS, code, make_flow

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"


@pytest.fixture
def flow(world):
    made = make_flow(world)
    User.objects.update(language="en")  # messages asserted in English; one test reads them in French
    return made


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, path, body, user):
    return client.post(f"{URL}/{path}", body, content_type="application/json", **auth(user))


def patch(client, coi, body, user):
    return client.patch(f"{URL}/{coi.pk}", body, content_type="application/json", **auth(user))


def sign_18(client, coi, user, checks=CHECKS, **extra):
    return post(
        client, f"{coi.pk}/sign", {"box": "18", "place": "Agadir", "code": code(), "checks": checks, **extra}, user
    )


def decide(client, coi, user, decision="consignment_verified"):
    return post(client, f"{coi.pk}/decide", {"decision": decision, "place": "Le Havre", "code": code()}, user)


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def expire(operator, kind):
    operator.activities.filter(kind=kind).update(valid_until=yesterday())


# Rule 1: box 1 is the body that certifies the exporter --------------------------------------------------


def test_it_refuses_the_submission_naming_a_body_that_does_not_certify_the_exporter(client, flow):
    coi = flow.w.draft(control_body_code="MA-BIO-999")
    r = post(client, f"{coi.pk}/submit", {}, flow.w.importer)
    assert r.status_code == 422
    assert (
        "MA-BIO-999 does not certify the exporter Atlas Organic: its control body is MA-BIO-154."
        in r.json()["boxes"]["1"]
    )


def test_it_refuses_box_18_by_a_body_that_does_not_certify_the_exporter(client, flow):
    coi = flow.w.submitted()
    flow.w.atlas.activities.filter(kind=ActivityKind.EXPORTER).update(control_body_code=flow.w.other_cb_code)
    r = sign_18(client, coi, flow.w.control_body)
    assert r.status_code == 422 and "does not certify the exporter Atlas Organic" in r.json()["boxes"]["1"][0]
    assert Certificate.objects.get(pk=coi.pk).status == COIStatus.DESCRIPTION_COMPLETED


def test_it_refuses_box_18_in_the_signer_language(client, flow):
    coi = flow.w.submitted()
    flow.w.atlas.activities.filter(kind=ActivityKind.EXPORTER).update(control_body_code=flow.w.other_cb_code)
    User.objects.filter(pk=flow.w.control_body.pk).update(language="fr")
    r = sign_18(client, coi, flow.w.control_body)
    assert r.status_code == 422 and "ne certifie pas l'exportateur Atlas Organic" in r.json()["boxes"]["1"][0]


def test_it_accepts_box_18_by_the_body_that_certifies_the_exporter(client, flow):
    coi = flow.w.submitted()
    r = sign_18(client, coi, flow.w.control_body)
    assert r.status_code == 200 and r.json()["status"] == COIStatus.ISSUING_BODY_SIGNED


# Rule 2: every party check runs again, on that day ------------------------------------------------------


def test_it_refuses_box_18_once_the_exporter_certificate_has_expired(client, flow):
    coi = flow.w.submitted()
    expire(flow.w.atlas, ActivityKind.EXPORTER)
    r = sign_18(client, coi, flow.w.control_body)
    assert r.status_code == 422 and "Atlas Organic is not certified" in r.json()["boxes"]["4"][0]


def test_it_refuses_box_18_once_a_producer_certificate_has_expired(client, flow):
    coi = flow.w.submitted()
    expire(flow.w.farm, ActivityKind.PRODUCER)
    r = sign_18(client, coi, flow.w.control_body)
    assert r.status_code == 422 and "Souss Cashew Farm is not certified" in r.json()["boxes"]["13"][0]


def test_it_refuses_box_20_once_the_first_consignee_certificate_has_expired(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = decide(client, coi, flow.w.inao_agent)
    assert r.status_code == 422 and "ACME Bio Foods FR is not certified" in r.json()["boxes"]["12"][0]


def test_it_accepts_box_20_not_released_whatever_the_first_consignee(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = post(
        client,
        f"{coi.pk}/decide",
        {"decision": "not_released", "place": "Le Havre", "code": code(), "reason": "Consignee not certified"},
        flow.w.inao_agent,
    )
    assert r.status_code == 200 and r.json()["status"] == COIStatus.NOT_RELEASED


def test_it_refuses_box_21_once_the_importer_certificate_has_expired(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    expire(flow.w.acme, ActivityKind.IMPORTER)
    r = post(client, f"{coi.pk}/sign", {"box": "21", "place": "Lyon", "code": code()}, flow.w.consignee)
    assert r.status_code == 422 and "ACME Bio Imports FR is not certified" in r.json()["boxes"]["11"][0]


def test_it_refuses_an_extract_endorsement_once_its_consignee_certificate_has_expired(client, flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = flow.extract(base)
    assert post(client, f"{extract.pk}/submit-extract", {}, flow.w.importer).status_code == 200
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = decide(client, extract, flow.w.inao_agent)
    assert r.status_code == 422 and "ACME Bio Foods FR is not certified" in r.json()["boxes"]["12"][0]


# Rule 3: a change between steps runs the checks of submission -------------------------------------------


def test_it_refuses_box_12_set_to_an_operator_without_organic_activity_after_box_18(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    stranger = OperatorFactory(name="Uncertified Wholesale", country="FR")
    r = patch(client, coi, {"first_consignee": stranger.pk}, flow.w.importer)
    assert r.status_code == 422, r.content
    assert "Uncertified Wholesale has no activity" in r.json()["boxes"]["12"][0]
    assert Certificate.objects.get(pk=coi.pk).first_consignee_id == flow.w.foods.pk


def test_it_accepts_box_12_set_to_a_certified_first_consignee_after_box_18(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    other = OperatorFactory(name="Bio Grossiste Lyon", country="FR")
    ActivityFactory(operator=other, kind=ActivityKind.OPERATOR, control_body_code=flow.w.ecocert_fr)
    r = patch(client, coi, {"first_consignee": other.pk}, flow.w.importer)
    assert r.status_code == 200 and r.json()["boxes"]["first_consignee"] == other.pk


# Rule 4: a mandatory box is never emptied after submission ----------------------------------------------


def test_it_refuses_box_1_emptied_by_the_control_body(client, flow):
    coi = flow.w.submitted()
    r = patch(client, coi, {"control_body_code": None}, flow.w.control_body)
    assert r.status_code == 422 and "Box 1 is mandatory: it may be changed, never emptied." in r.json()["boxes"]["1"]
    assert client.get(f"{URL}/{coi.pk}", **auth(flow.w.control_body)).status_code == 200


def test_it_refuses_boxes_9_and_12_emptied_by_the_importer(client, flow):
    coi = flow.w.submitted()
    r = patch(client, coi, {"release_member_state": "", "validating_authority": None}, flow.w.importer)
    assert r.status_code == 422 and "Box 9 is mandatory" in r.json()["boxes"]["9"][0]
    r = patch(client, coi, {"first_consignee": None}, flow.w.importer)
    assert r.status_code == 422 and "Box 12 is mandatory" in r.json()["boxes"]["12"][0]
    coi.refresh_from_db()
    assert coi.validating_authority_id == flow.w.inao.pk and coi.first_consignee_id == flow.w.foods.pk


def test_it_accepts_box_9_changed_by_the_importer(client, flow):
    coi = flow.w.submitted()
    r = patch(client, coi, {"point_of_entry": None}, flow.w.importer)
    assert r.status_code == 200 and r.json()["boxes"]["point_of_entry"] is None


# Rule 5: box 18 is not signed beside "Not acceptable" ---------------------------------------------------


@pytest.mark.parametrize("check", ["documentary", "physical"])
def test_it_refuses_box_18_while_a_check_is_not_acceptable(client, flow, check):
    coi = flow.w.submitted()
    checks = {"documentary": "acceptable", "physical": "acceptable", check: "not_acceptable"}
    r = sign_18(client, coi, flow.w.control_body, checks)
    assert r.status_code == 422 and "“Not acceptable”: box 18 cannot be signed" in r.json()["boxes"]["checks"][0]
    assert not Signature.objects.filter(certificate=coi).exists()


def test_it_accepts_box_18_with_the_physical_check_not_done(client, flow):
    coi = flow.w.submitted()
    r = sign_18(client, coi, flow.w.control_body, {"documentary": "acceptable", "physical": "not_done"})
    assert r.status_code == 200


# Rule 6: box 17 may be completed later, before box 20 ---------------------------------------------------


@pytest.mark.parametrize("who", ["importer", "control_body", "forwarder"])
def test_it_accepts_an_empty_box_17_filled_after_box_18(client, flow, who):
    coi = flow.w.submitted(transport_mode="", transport_identification="", rfl=flow.w.transit.pk)
    flow.sign_18(coi)
    body = {"transport_mode": "vessel", "transport_identification": "MSC Agadir", "transport_document": "BL-77"}
    r = patch(client, coi, body, getattr(flow.w, who))
    assert r.status_code == 200, r.content
    assert r.json()["boxes"]["transport_identification"] == "MSC Agadir"


def test_it_refuses_box_17_filled_once_box_20_is_signed(client, flow):
    coi = flow.w.submitted(transport_mode="", transport_identification="")
    flow.decide(flow.sign_18(coi), COIStatus.CONSIGNMENT_VERIFIED)
    r = patch(client, coi, {"transport_identification": "MSC Agadir"}, flow.w.importer)
    assert r.status_code == 403 and "box 17" in r.json()["detail"]


def test_it_refuses_a_filled_box_17_changed_by_the_importer_after_box_18(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    r = patch(client, coi, {"transport_identification": "Another vessel"}, flow.w.importer)
    assert r.status_code == 422 and "Box 17 is already filled" in r.json()["boxes"]["17"][0]


# Rule 7: box 17's transport document and date of departure; box 18 before departure ---------------------


def test_it_keeps_the_transport_document_and_date_of_departure_in_box_17(client, flow):
    coi = flow.w.draft()
    departure = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    r = patch(client, coi, {"transport_document": "BL-MAR-2026-77", "departure_date": departure}, flow.w.importer)
    assert r.status_code == 200
    assert r.json()["boxes"]["transport_document"] == "BL-MAR-2026-77"
    assert r.json()["boxes"]["departure_date"] == departure and "17" not in r.json()["problems"]


def test_it_flags_a_date_of_departure_before_the_submission_at_box_17(client, flow):
    coi = flow.w.submitted(departure_date=yesterday().isoformat())
    r = client.get(f"{URL}/{coi.pk}", **auth(flow.w.control_body))
    assert "is before the submission" in r.json()["problems"]["17"][0]


def test_it_refuses_box_18_after_the_date_of_departure_without_a_reason(client, flow):
    coi = flow.w.submitted()
    Certificate.objects.filter(pk=coi.pk).update(departure_date=yesterday())
    r = sign_18(client, coi, flow.w.control_body)
    assert (
        r.status_code == 422 and "give the reason for signing box 18 after the departure" in r.json()["boxes"]["18"][0]
    )


def test_it_accepts_box_18_after_the_date_of_departure_with_its_reason_in_the_history(client, flow):
    coi = flow.w.submitted()
    Certificate.objects.filter(pk=coi.pk).update(departure_date=yesterday())
    r = sign_18(client, coi, flow.w.control_body, late_reason="Sample results arrived after sailing")
    assert r.status_code == 200
    history = client.get(f"{URL}/{coi.pk}/history", **auth(flow.w.importer)).json()
    assert "Sample results arrived after sailing" in [h for h in history if h["step"] == "sign_18"][0]["note"]


# Rule 8: a replacement in progress protects the COI it replaces -----------------------------------------


def test_it_refuses_box_20_while_a_replacement_is_open(client, flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    new = after_signature.replace(flow.person(flow.w.control_body), old.pk)
    r = decide(client, old, flow.w.inao_agent)
    assert r.status_code == 409 and f"being replaced by COI {new.number}" in r.json()["boxes"]["20"][0]
    assert Certificate.objects.get(pk=old.pk).status == COIStatus.ISSUING_BODY_SIGNED


def test_it_refuses_deletion_while_a_replacement_is_open(client, flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    new = after_signature.replace(flow.person(flow.w.control_body), old.pk)
    Certificate.objects.filter(pk=old.pk).update(status=COIStatus.CONSIGNMENT_VERIFIED)  # verified before the rule
    r = post(client, f"{old.pk}/delete", {"reason": "Duplicate"}, flow.w.inao_agent)
    assert r.status_code == 409 and new.number in r.json()["boxes"]["delete"][0]


def test_it_accepts_box_20_on_the_signed_replacement(client, flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    new = flow.sign_18(after_signature.replace(flow.person(flow.w.control_body), old.pk))
    assert decide(client, new, flow.w.inao_agent).status_code == 200
    assert Certificate.objects.get(pk=old.pk).status == COIStatus.REPLACED


# Rule 9: documents after submission are withdrawn, never removed ----------------------------------------


def attach(client, coi, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bl.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    fields = {"type": "bill_of_lading", "reference": "BL-1", "date": "2026-01-10", "issuing_country": "MA"}
    r = client.post(f"{URL}/{coi.pk}/documents", {**fields, "file": upload}, **auth(user))
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_it_keeps_a_document_removed_after_box_18_as_withdrawn(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    doc = attach(client, coi, flow.w.control_body)
    assert client.delete(f"{URL}/{coi.pk}/documents/{doc}", **auth(flow.w.control_body)).status_code == 204
    documents = client.get(f"{URL}/{coi.pk}", **auth(flow.w.importer)).json()["documents"]
    assert [d["id"] for d in documents] == [doc] and documents[0]["withdrawn_at"]
    assert client.get(f"{URL}/{coi.pk}/documents/{doc}", **auth(flow.w.inao_agent)).status_code == 200
    history = client.get(f"{URL}/{coi.pk}/history", **auth(flow.w.importer)).json()
    withdrawn = [h for h in history if h["step"] == "document_withdrawn"]
    assert withdrawn and withdrawn[0]["organisation"] == "ECOCERT SA (MA-BIO-154)"


def test_it_deletes_a_draft_document_for_good(client, flow):
    coi = flow.w.draft()
    doc = attach(client, coi, flow.w.importer)
    assert client.delete(f"{URL}/{coi.pk}/documents/{doc}", **auth(flow.w.importer)).status_code == 204
    assert client.get(f"{URL}/{coi.pk}", **auth(flow.w.importer)).json()["documents"] == []


# Rule 10: box 21 may declare the packaging, container or COI not in order -------------------------------


def test_it_refuses_box_21_not_in_order_without_a_remark(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    r = post(
        client, f"{coi.pk}/sign", {"box": "21", "place": "Lyon", "code": code(), "in_order": False}, flow.w.consignee
    )
    assert r.status_code == 422 and "Say what is not in order" in r.json()["boxes"]["21"][0]


def test_it_refuses_a_box_21_remark_longer_than_kept_rather_than_cutting_it(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    body = {"box": "21", "place": "Lyon", "code": code(), "in_order": False, "remark": "Seal broken. " * 100}
    r = post(client, f"{coi.pk}/sign", body, flow.w.consignee)
    assert r.status_code == 422 and "remark" in r.content.decode()
    assert not Signature.objects.filter(certificate=coi, box="21").exists()


def test_it_accepts_box_21_not_in_order_with_a_remark_and_tells_the_importer_body(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    importer_body_agent = member_of(flow.w.ecocert_fr, email="agent@ecocert-fr.example")
    body = {"box": "21", "place": "Lyon", "code": code(), "in_order": False, "remark": "Seal SEAL-001 broken"}
    r = post(client, f"{coi.pk}/sign", body, flow.w.consignee)
    assert r.status_code == 200 and r.json()["status"] == COIStatus.FIRST_CONSIGNEE_SIGNED
    signature = Signature.objects.get(certificate=coi, box="21")
    assert signature.not_in_order and "not in order: Seal SEAL-001 broken" in signature.declaration
    assert Notice.objects.filter(user=importer_body_agent, text__contains="not in order").exists()
    assert Notice.objects.filter(user=flow.w.importer, text__contains="not in order").exists()
