"""The machine interface under /api/v1/certificates: the same rules as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ApiToken

from .conftest import CREATORS

# Written for the guides' form (1235/2008): COIs made here through the pages or the API take it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("guides_form")]
URL = "/api/v1/certificates"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize("creator", CREATORS)
def test_it_creates_fills_and_submits_a_draft(client, world, creator):
    user = world.creator(creator)
    data = world.complete_data()
    first = {k: data[k] for k in ("commodities", "exporter")}
    r = client.post(URL, first, content_type="application/json", **auth(user))
    assert r.status_code == 201, r.content
    coi = r.json()
    assert coi["status"] == "draft" and coi["number"] is None
    assert coi["boxes"]["export_country"] == "MA"  # box 8 from the exporter
    assert coi["my_roles"] == [creator]
    r = client.patch(f"{URL}/{coi['id']}", data, content_type="application/json", **auth(user))
    assert r.status_code == 200, r.content
    assert r.json()["problems"] == {}
    assert r.json()["procedure"] == "compliance"
    r = client.post(f"{URL}/{coi['id']}/submit", **auth(user))
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "description_completed"
    assert r.json()["number"].startswith("COI.EU.MA.")


def test_it_prefills_box_11_for_the_importer_and_box_1_for_a_one_code_control_body(client, world):
    r = client.post(URL, {"exporter": world.atlas.pk}, content_type="application/json", **auth(world.importer))
    assert r.json()["boxes"]["importer"] == world.acme.pk
    r = client.post(URL, {"exporter": world.atlas.pk}, content_type="application/json", **auth(world.control_body))
    assert r.json()["boxes"]["control_body_code"] == "MA-BIO-154"
    r = client.post(URL, {}, content_type="application/json", **auth(world.exporter))
    assert r.json()["boxes"]["exporter"] == world.atlas.pk


def test_it_refuses_a_draft_without_an_exporter(client, world):
    r = client.post(
        URL, {"commodities": [{"cn_code": "08013200"}]}, content_type="application/json", **auth(world.importer)
    )
    assert r.status_code == 422
    assert "4" in r.json()["boxes"]


def test_it_reports_submission_problems_at_their_boxes(client, world):
    r = client.post(URL, {"exporter": world.atlas.pk}, content_type="application/json", **auth(world.importer))
    r = client.post(f"{URL}/{r.json()['id']}/submit", **auth(world.importer))
    assert r.status_code == 422
    assert {"1", "13", "16"} <= set(r.json()["boxes"])


def test_it_refuses_an_authority_creating_a_coi(client, world):
    r = client.post(URL, {"exporter": world.atlas.pk}, content_type="application/json", **auth(world.inao_agent))
    assert r.status_code == 403


@pytest.mark.parametrize("outsider", ["outsider_importer", "outsider_control_body"])
def test_it_hides_a_coi_from_outsiders(client, world, outsider):
    draft = world.draft()
    submitted = world.submitted()
    for coi in (draft, submitted):
        headers = auth(getattr(world, outsider))
        assert client.get(f"{URL}/{coi.pk}", **headers).status_code == 404
        assert client.patch(f"{URL}/{coi.pk}", {}, content_type="application/json", **headers).status_code == 404
        assert client.post(f"{URL}/{coi.pk}/submit", **headers).status_code == 404
        assert client.post(f"{URL}/{coi.pk}/copy", **headers).status_code == 404
        assert client.get(URL, **headers).json()["count"] == 0


def test_it_lets_the_importer_change_only_boxes_9_and_12_after_submission(client, world):
    coi = world.submitted()
    headers = auth(world.importer)
    r = client.patch(
        f"{URL}/{coi.pk}",
        {"release_in_batches": True, "first_consignee": None},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 200
    assert r.json()["boxes"]["release_in_batches"] is True
    r = client.patch(f"{URL}/{coi.pk}", {"gross_weight": "99999"}, content_type="application/json", **headers)
    assert r.status_code == 403
    coi.refresh_from_db()
    assert coi.gross_weight == 16500


def test_it_copies_a_coi_without_number_containers_transport_and_documents(client, world):
    coi = world.submitted()
    r = client.post(f"{URL}/{coi.pk}/copy", **auth(world.exporter))
    assert r.status_code == 201
    copy = r.json()
    assert copy["number"] is None and copy["status"] == "draft"
    assert copy["boxes"]["containers"] == [] and copy["boxes"]["transport_mode"] == ""
    assert len(copy["boxes"]["commodities"][0]["lines"]) == 2
    assert copy["boxes"]["importer"] == world.acme.pk


def test_it_attaches_a_document_checked_by_content(client, world):
    coi = world.draft()
    headers = auth(world.importer)
    fields = {"type": "invoice", "reference": "INV-1", "date": "2026-03-01", "issuer": "Atlas Organic"}
    r = client.post(f"{URL}/{coi.pk}/documents", {**fields, "file": SimpleUploadedFile("invoice.pdf", PDF)}, **headers)
    assert r.status_code == 201, r.content
    document_id = r.json()["id"]
    r = client.post(
        f"{URL}/{coi.pk}/documents", {**fields, "file": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00")}, **headers
    )
    assert r.status_code == 422 and "file" in r.json()["boxes"]
    r = client.post(
        f"{URL}/{coi.pk}/documents", {"type": "invoice", "file": SimpleUploadedFile("i.pdf", PDF)}, **headers
    )
    assert r.status_code == 422 and {"reference", "date", "issuer"} <= set(r.json()["boxes"])
    r = client.get(f"{URL}/{coi.pk}/documents/{document_id}", **headers)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert client.get(f"{URL}/{coi.pk}/documents/{document_id}", **auth(world.outsider_importer)).status_code == 404
    coi.documents.get().file.delete(save=False)


def test_it_lists_with_filters(client, world):
    world.submitted()
    world.draft()
    headers = auth(world.importer)
    assert client.get(URL, **headers).json()["count"] == 2
    assert client.get(URL, {"status": "draft"}, **headers).json()["count"] == 1
    assert client.get(URL, {"product": "0801"}, **headers).json()["count"] == 2
    assert client.get(URL, {"product": "cashew"}, **headers).json()["count"] == 2
    assert client.get(URL, {"product": "2007"}, **headers).json()["count"] == 0
    assert client.get(URL, {"party": "atlas"}, **headers).json()["count"] == 2
    assert client.get(URL, {"number": "COI.EU.MA"}, **headers).json()["count"] == 1
    assert client.get(URL, {"country": "TN"}, **headers).json()["count"] == 0


def test_it_explains_why_a_control_body_is_refused(client, world):
    r = client.get(
        f"{URL}/lookup/control-bodies",
        {"q": "MA-BIO", "export_country": "MA", "cn": ["20079910"]},
        **auth(world.importer),
    )
    by_code = {b["code"]: b for b in r.json()}
    assert by_code["MA-BIO-999"]["may_be_chosen"] is True
    assert by_code["MA-BIO-154"]["may_be_chosen"] is True
    r = client.get(f"{URL}/lookup/control-bodies", {"q": "ecocert", "export_country": "MA"}, **auth(world.importer))
    by_code = {b["code"]: b for b in r.json()}
    assert "not for the country of export" in by_code["FR-BIO-001"]["refusal"]


def test_it_looks_up_operators_and_products(client, world):
    r = client.get(f"{URL}/lookup/operators", {"q": "atl", "field": "exporter"}, **auth(world.importer))
    assert [o["name"] for o in r.json()] == ["Atlas Organic"]
    r = client.get(f"{URL}/lookup/operators", {"q": "atl", "field": "importer"}, **auth(world.importer))
    assert r.json() == []
    r = client.get(f"{URL}/lookup/products", {"q": "0801"}, **auth(world.importer))
    assert r.status_code == 200
