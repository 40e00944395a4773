"""The field table (`certificates/fields.py`): every field a form's box names is one row, and a field typed through
the API is then read back, shown on the edit page, printed on the COI page and in the PDF, described in the API's
OpenAPI schema at its box, carried through SPS XML and back, and given its column in the exports, from that row
alone: a field added to the table is walked here without a line of this file changed."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest
from django.test import Client
from django.utils.text import capfirst

from accounts.models import ApiToken
from certificates.boxes import as_data
from certificates.coi_forms import FORMS, FormCode
from certificates.fields import FIELDS, Text, only_on
from certificates.inputs import sps_import
from certificates.matrix import editable_boxes
from certificates.outputs import sps
from certificates.outputs.box_rows import DERIVED
from certificates.outputs.pdf import render_pdf
from certificates.queries import detail_queryset
from certificates.statuses import COIRole, COIStatus

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db
FORM = FORMS[FormCode.R2021_2306]


@pytest.fixture
def flow(world):
    world.form = FormCode.R2021_2306
    return make_flow(world)


def test_it_has_one_row_for_every_field_a_box_names():
    named = {
        name for coi_form in FORMS.values() for box in (*coi_form.boxes, *coi_form.extract_boxes) for name in box.fields
    }
    signed = {"decision"}  # a signature's: the workflow's Signature row, printed with the box's signature
    assert sorted(named - set(FIELDS) - set(DERIVED) - signed) == []


def importer_text_fields(coi) -> list[str]:
    """The one-line texts only the 2021/2306 form has, in boxes its importer fills in the COI's status."""
    boxes = editable_boxes(coi, {COIRole.IMPORTER})
    return [r.name for r in only_on(FormCode.R2021_2306) if isinstance(r.kind, Text) and r.box_on(FORM) in boxes]


def typed_through_the_api(flow, coi, client: Client) -> dict[str, str]:
    """Each of those fields typed by the importer through the API: {name: "Typed name"}."""
    names = importer_text_fields(coi)
    assert "customs_information" in names
    typed = {name: f"Typed {name}" for name in names}
    _token, secret = ApiToken.issue(flow.w.importer, "test")
    r = client.patch(
        f"/api/v1/certificates/{coi.pk}", typed, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert r.status_code == 200, r.content
    assert {name: r.json()["boxes"][name] for name in names} == typed
    return typed


def test_it_shows_a_field_typed_through_the_api_on_every_page_and_the_pdf(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client = Client()
    client.force_login(flow.w.importer)
    typed = typed_through_the_api(flow, coi, client)
    names = list(typed)
    assert {name: as_data(detail_queryset().get(pk=coi.pk))[name] for name in names} == typed
    edit = client.get(f"/certificates/{coi.pk}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(f"/certificates/{coi.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    pdf = render_pdf(coi.pk, "en").content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    for name, value in typed.items():
        assert f'name="{name}"' in edit and f'value="{value}"' in edit, name
        assert value in page, name
        assert value in " ".join(text.split()), name


def test_it_describes_carries_and_exports_a_field_typed_through_the_api(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client = Client()
    client.force_login(flow.w.importer)
    typed = typed_through_the_api(flow, coi, client)
    described = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["BoxesIn"]["properties"]
    xml = sps.build(coi.pk)
    importer = flow.w.importer
    new, problems = sps_import.import_draft(xml, flow.person(importer), flow.w.membership(importer))
    assert new is not None, problems
    body = b"".join(client.get("/certificates/export.csv", HTTP_ACCEPT_LANGUAGE="en").streaming_content)
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    line = next(dict(zip(table[0], row, strict=True)) for row in table[1:] if row[0] == coi.number)
    for name, value in typed.items():
        box = FORM.number_of(name)
        assert f"2021/2306: box {box} " in described[name]["description"], name
        assert described[name]["anyOf"][0]["maxLength"] == FIELDS[name].max_length, name
        assert line[f"{capfirst(FIELDS[name].label)}: 2021/2306, box {box}"] == value, name
        if FIELDS[name].sps_note:  # a field SPS has no element for, carried as a note of the form's prefix
            assert f"<ram:Subject>COI_2021_2306:{name}</ram:Subject>".encode() in xml, name
            assert getattr(new, name) == value, name
