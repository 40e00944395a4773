"""Issue 11 through the pages: the same rules as the API, refused with the message at its box, what was typed
kept; the COI page and the PDF show what the rules add (box 17, the late reason, box 21's declaration)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates.models import Certificate
from certificates.outputs.pdf import render_pdf
from certificates.statuses import COIStatus
from certificates.workflow import after_signature
from directory.models import ActivityKind

from .factories import OperatorFactory
from .test_outputs_pdf import text_of
from .workflow_world import CHECKS, code, make_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow(world)


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def expire(operator, kind):
    operator.activities.filter(kind=kind).update(valid_until=yesterday())


def step(client, user, coi, name, data):
    client.force_login(user)
    return client.post(f"/certificates/{coi.pk}/workflow/{name}/", data)


def sign_18(client, flow, coi, **extra):
    return step(client, flow.w.control_body, coi, "sign-18", {**CHECKS, "place": "Agadir", "code": code(), **extra})


def edit(client, user, coi, data):
    client.force_login(user)
    return client.post(f"/certificates/{coi.pk}/edit/", {"action": "save", **data})


# Rule 1 -------------------------------------------------------------------------------------------------


def test_it_refuses_the_submission_page_naming_a_body_that_does_not_certify_the_exporter(client, flow):
    coi = flow.w.draft(control_body_code="MA-BIO-999")
    client.force_login(flow.w.importer)
    r = client.post(f"/certificates/{coi.pk}/submit/")
    assert r.status_code == 422
    assert "MA-BIO-999 does not certify the exporter Atlas Organic" in r.content.decode()


def test_it_refuses_box_18_on_the_page_by_a_body_that_does_not_certify_the_exporter(client, flow):
    coi = flow.w.submitted()
    flow.w.atlas.activities.filter(kind=ActivityKind.EXPORTER).update(control_body_code=flow.w.other_cb_code)
    r = sign_18(client, flow, coi)
    assert r.status_code == 422 and "MA-BIO-154 does not certify the exporter Atlas Organic" in r.content.decode()


def test_it_accepts_box_18_on_the_page_by_the_body_that_certifies_the_exporter(client, flow):
    coi = flow.w.submitted()
    assert sign_18(client, flow, coi).status_code == 302
    assert Certificate.objects.get(pk=coi.pk).status == COIStatus.ISSUING_BODY_SIGNED


# Rule 2 -------------------------------------------------------------------------------------------------


def test_it_refuses_box_18_on_the_page_once_the_exporter_certificate_has_expired(client, flow):
    coi = flow.w.submitted()
    expire(flow.w.atlas, ActivityKind.EXPORTER)
    r = sign_18(client, flow, coi)
    assert r.status_code == 422 and "Atlas Organic is not certified" in r.content.decode()


def test_it_refuses_box_20_on_the_page_once_the_first_consignee_certificate_has_expired(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = step(
        client, flow.w.inao_agent, coi, "decide", {"decision": "consignment_verified", "place": "Paris", "code": code()}
    )
    assert r.status_code == 422 and "ACME Bio Foods FR is not certified" in r.content.decode()


def test_it_refuses_box_21_on_the_page_once_the_first_consignee_certificate_has_expired(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = step(client, flow.w.consignee, coi, "sign-21", {"place": "Lyon", "code": code()})
    assert r.status_code == 422 and "ACME Bio Foods FR is not certified" in r.content.decode()


def test_it_refuses_an_extract_endorsement_on_the_page_once_its_consignee_certificate_has_expired(client, flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = flow.extract(base)
    assert step(client, flow.w.importer, extract, "submit-extract", {}).status_code == 302
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = step(
        client,
        flow.w.inao_agent,
        extract,
        "decide",
        {"decision": "consignment_verified", "place": "Paris", "code": code()},
    )
    assert r.status_code == 422 and "ACME Bio Foods FR is not certified" in r.content.decode()


# Rules 3 and 4 ------------------------------------------------------------------------------------------


def test_it_refuses_box_12_set_on_the_page_to_an_operator_without_organic_activity(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    stranger = OperatorFactory(name="Uncertified Wholesale", country="FR")
    r = edit(client, flow.w.importer, coi, {"first_consignee": stranger.pk, "shown": "box_12"})
    html = r.content.decode()
    assert r.status_code == 422 and "Uncertified Wholesale has no activity" in html
    assert f'value="{stranger.pk}"' in html  # what was typed comes back
    assert Certificate.objects.get(pk=coi.pk).first_consignee_id == flow.w.foods.pk


def test_it_refuses_box_12_emptied_on_the_page(client, flow):
    coi = flow.w.submitted()
    r = edit(client, flow.w.importer, coi, {"first_consignee": "", "shown": "box_12"})
    assert r.status_code == 422 and "Box 12 is mandatory: it may be changed, never emptied." in r.content.decode()


def test_it_keeps_the_boxes_a_page_form_does_not_post(client, flow):
    coi = flow.w.submitted()
    r = edit(client, flow.w.control_body, coi, {"gross_weight": "16600", "gross_weight_unit": "kg"})
    assert r.status_code in (200, 302), r.content.decode()[:500]
    coi.refresh_from_db()
    assert str(coi.gross_weight) == "16600.000"
    assert coi.control_body_code.code == "MA-BIO-154" and coi.first_consignee_id == flow.w.foods.pk
    assert coi.origins == ["MA"] and coi.commodities.count() == 1 and coi.containers.count() == 1


# Rule 5 -------------------------------------------------------------------------------------------------


def test_it_refuses_box_18_on_the_page_while_the_documentary_check_is_not_acceptable(client, flow):
    coi = flow.w.submitted()
    r = sign_18(client, flow, coi, documentary="not_acceptable")
    assert r.status_code == 422 and "The documentary check is “Not acceptable”" in r.content.decode()


# Rules 6 and 7 ------------------------------------------------------------------------------------------


def test_it_lets_the_importer_complete_an_empty_box_17_on_the_page_after_box_18(client, flow):
    coi = flow.w.submitted(transport_mode="", transport_identification="")
    flow.sign_18(coi)
    client.force_login(flow.w.importer)
    assert 'name="transport_document"' in client.get(f"/certificates/{coi.pk}/edit/").content.decode()
    departure = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = {"transport_mode": "vessel", "transport_identification": "MSC Agadir", "transport_document": "BL-77"}
    r = edit(client, flow.w.importer, coi, {**data, "departure_date": departure})
    assert r.status_code == 302, r.content.decode()[:800]
    html = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert "BL-77" in html and departure in html


def test_it_refuses_box_18_on_the_page_after_the_date_of_departure_without_a_reason(client, flow):
    coi = flow.w.submitted()
    Certificate.objects.filter(pk=coi.pk).update(departure_date=yesterday())
    r = sign_18(client, flow, coi)
    assert r.status_code == 422 and "give the reason for signing box 18 after the departure" in r.content.decode()


def test_it_shows_the_late_reason_of_box_18_on_the_page_and_the_pdf(client, flow):
    coi = flow.w.submitted()
    Certificate.objects.filter(pk=coi.pk).update(departure_date=yesterday())
    assert sign_18(client, flow, coi, late_reason="Lab results came after sailing").status_code == 302
    html = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert 'data-testid="late-reason"' in html and "Lab results came after sailing" in html
    text = text_of(render_pdf(coi.pk, "en").content)
    assert "Lab results came after sailing" in text and yesterday().isoformat() in text


def test_it_flags_a_date_of_departure_before_the_submission_on_the_coi_page(client, flow):
    coi = flow.w.submitted(departure_date=yesterday().isoformat())
    client.force_login(flow.w.control_body)
    assert "is before the submission" in client.get(f"/certificates/{coi.pk}/").content.decode()


# Rule 8 -------------------------------------------------------------------------------------------------


def test_it_refuses_box_20_on_the_page_while_a_replacement_is_open(client, flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    new = after_signature.replace(flow.person(flow.w.control_body), old.pk)
    r = step(
        client, flow.w.inao_agent, old, "decide", {"decision": "consignment_verified", "place": "Paris", "code": code()}
    )
    assert r.status_code == 409 and f"being replaced by COI {new.number}" in r.content.decode()


def test_it_refuses_deletion_on_the_page_while_a_replacement_is_open(client, flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    new = after_signature.replace(flow.person(flow.w.control_body), old.pk)
    Certificate.objects.filter(pk=old.pk).update(status=COIStatus.CONSIGNMENT_VERIFIED)  # verified before the rule
    r = step(client, flow.w.inao_agent, old, "delete", {"reason": "Duplicate"})
    assert r.status_code == 409 and new.number in r.content.decode()


# Rule 9 -------------------------------------------------------------------------------------------------


def test_it_withdraws_a_document_on_the_page_after_box_18_and_keeps_it_downloadable(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client.force_login(flow.w.control_body)
    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    fields = {"type": "invoice", "reference": "INV-9", "date": "2026-01-10", "issuer": "Atlas Organic"}
    client.post(f"/certificates/{coi.pk}/documents/", {**fields, "file": upload})
    document = coi.documents.get()
    r = client.post(f"/certificates/{coi.pk}/documents/{document.pk}/remove/")
    assert r.status_code == 302
    client.force_login(flow.w.importer)
    html = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert 'data-testid="withdrawn-document"' in html and "INV-9" in html
    assert 'data-testid="history-document_withdrawn"' in html
    assert client.get(f"/certificates/{coi.pk}/documents/{document.pk}/").status_code == 200


# Rule 10 ------------------------------------------------------------------------------------------------


def test_it_refuses_box_21_on_the_page_not_in_order_without_a_remark(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    r = step(client, flow.w.consignee, coi, "sign-21", {"place": "Lyon", "code": code(), "in_order": "no"})
    assert r.status_code == 422 and "Say what is not in order" in r.content.decode()


def test_it_shows_box_21_not_in_order_on_the_page_and_the_pdf(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    data = {"place": "Lyon", "code": code(), "in_order": "no", "remark": "Container seal broken"}
    assert step(client, flow.w.consignee, coi, "sign-21", data).status_code == 302
    html = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert 'data-testid="not-in-order"' in html and "Container seal broken" in html
    text = text_of(render_pdf(coi.pk, "en").content)
    assert "not in order" in text and "Container seal broken" in text
