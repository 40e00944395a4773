"""The 2021/2306 COI as people and programs read it: the PDF laid out like the Annex (all 31 boxes, each at its
number, over several pages, in the reader's language), the COI page rendered from the box table, the page's
step forms, the API's fields and steps, and the forms' tables served as data."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import ApiToken
from certificates.coi_forms import FORMS, FormCode
from certificates.inputs import sps_import
from certificates.outputs import sps
from certificates.outputs.pdf import render_pdf
from certificates.statuses import COIStatus

from .workflow_world import code, make_flow

pytestmark = pytest.mark.django_db
BOXES = FORMS[FormCode.R2021_2306].boxes


@pytest.fixture
def flow(world):
    world.form = FormCode.R2021_2306
    return make_flow(world)


def pdftotext(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def titles(language: str) -> list[str]:
    with translation.override(language):
        return [f"{b.number}.{b.title}" for b in BOXES if b.number and b.key != "23v"]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_prints_all_31_boxes_at_their_numbers_in_the_reader_s_language(flow, language):
    coi = flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    pdf = render_pdf(coi.pk, language)
    text = pdftotext(pdf.content)
    missing = [t for t in titles(language) if flat(t) not in flat(text)]
    assert missing == []
    assert text.count("\f") >= 2  # several pages: the Union's part starts on its own page
    assert coi.number in text
    expected = (
        "To be released as organic" if language == "en" else "À mettre en libre pratique en tant que produit biologique"
    )
    assert flat(expected) in flat(text)


def test_it_prints_the_guides_form_as_before(flow):
    flow.w.form = FormCode.R1235_2008
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    text = pdftotext(render_pdf(coi.pk, "en").content)
    assert "Declaration of the first consignee" in text
    assert "Prior notification" not in text


def test_it_shows_every_box_of_the_table_on_the_coi_page(flow):
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    client = Client()
    client.force_login(flow.w.importer)
    page = client.get(f"/certificates/{coi.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for box in BOXES:
        if box.number and box.key != "23v":
            assert f'id="box-{box.number}"' in page, box.number
    assert "To be released as organic" in page


def test_it_offers_the_authority_box_25_then_box_30_on_the_page(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client = Client()
    client.force_login(flow.w.inao_agent)
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert 'id="form-sign-25"' in page and 'id="form-decide-30"' in page
    r = client.post(
        f"/certificates/{coi.pk}/workflow/decide-30/",
        {"decision": "released_organic", "place": "Le Havre", "code": code()},
    )
    assert r.status_code == 422
    assert "Record the documentary check (box 25) before the decision." in r.content.decode()
    r = client.post(
        f"/certificates/{coi.pk}/workflow/sign-25/",
        {"documentary": "satisfactory", "selected": "no", "place": "Le Havre", "code": code(1)},
    )
    assert r.status_code == 302


def test_it_takes_the_2021_2306_boxes_through_the_api_and_documents_them(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    _token, secret = ApiToken.issue(flow.w.importer, "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()
    r = client.patch(
        f"/api/v1/certificates/{coi.pk}",
        {"transfer_requested": True, "customs_information": "Repacking in Le Havre"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["form"], body["boxes"]["transfer_requested"]) == ("2021/2306", True)
    r = client.patch(
        f"/api/v1/certificates/{coi.pk}", {"release_in_batches": True}, content_type="application/json", **auth
    )
    assert r.status_code == 422 and "release_in_batches" in r.json()["detail"]
    schema = client.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["BoxesIn"]["properties"]
    assert "2021/2306: box 6" in fields["traders"]["description"]
    assert "2021/2306: box 20" in fields["prior_notification_at"]["description"]
    assert "/api/v1/certificates/{coi_id}/decide-30" in schema["paths"]


def test_it_signs_boxes_25_30_31_through_the_api(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client = Client()

    def post(user: Any, path: str, body: dict[str, Any]) -> Any:
        _token, secret = ApiToken.issue(user, "test")
        return client.post(
            f"/api/v1/certificates/{coi.pk}/{path}", body, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )  # fmt: skip

    r = post(
        flow.w.inao_agent, "sign-25", {"documentary": "satisfactory", "selected": False, "place": "LH", "code": code()}
    )
    assert r.status_code == 200, r.content
    r = post(flow.w.inao_agent, "decide-30", {"decision": "released_in_conversion", "place": "LH", "code": code(1)})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "released_in_conversion"
    r = post(flow.w.consignee, "sign-31", {"in_accordance": False, "place": "Lyon", "code": code()})
    assert r.status_code == 422
    body = {"in_accordance": False, "remark": "Seal broken", "place": "Lyon", "code": code(1)}
    r = post(flow.w.consignee, "sign-31", body)
    assert r.json()["status"] == "first_consignee_signed"


def test_it_serves_both_forms_tables(flow):
    _token, secret = ApiToken.issue(flow.w.importer, "test")
    r = Client().get("/api/v1/certificates/forms", HTTP_AUTHORIZATION=f"Bearer {secret}")
    forms = {f["code"]: f for f in r.json()}
    assert len({b["number"] for b in forms["2021/2306"]["boxes"] if b["number"]}) == 31
    box_10 = next(b for b in forms["2021/2306"]["boxes"] if b["key"] == "10")
    assert box_10["title_fr"] == "Poste de contrôle frontalier/point de mise en libre pratique"
    assert len(forms["2021/2306"]["extract_boxes"]) == 13


def test_it_carries_the_form_and_its_boxes_through_sps_xml(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    xml = sps.build(coi.pk)
    assert b"<ram:Content>2021/2306</ram:Content>" in xml
    assert b"COI_2021_2306:customs_declaration_reference" in xml
    importer = flow.w.importer
    new, problems = sps_import.import_draft(xml, flow.person(importer), flow.w.membership(importer))
    assert new is not None, problems
    assert (new.form, new.customs_declaration_reference, new.customs_warehousing) == (
        "2021/2306",
        "26FR0000000000001",
        True,
    )


def test_it_exports_the_form_of_each_coi(flow):
    flow.coi(COIStatus.DESCRIPTION_COMPLETED)
    client = Client()
    client.force_login(flow.w.importer)
    text = b"".join(client.get("/certificates/export.csv").streaming_content).decode()
    assert "2021/2306" in text.splitlines()[1]
