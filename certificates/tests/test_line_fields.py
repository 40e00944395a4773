"""A line of box 13 is printed (COI page, PDF) and carried in SPS XML from the field table's line rows
(`certificates/fields.py`): a line field named among a box's columns is printed under its label, in its row's words,
with no line of the printing code changed; each line field of each form goes through SPS XML and back."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.utils import translation

from certificates.coi_forms import FORMS, FormCode
from certificates.fields import LINE, line_fields
from certificates.inputs import sps_import
from certificates.models import Certificate, CommodityLine
from certificates.outputs import sps
from certificates.outputs.box_rows import Row, products
from certificates.outputs.sps_structure import problems as structure_problems

pytestmark = pytest.mark.django_db


def test_a_line_field_among_a_box_s_columns_is_printed_under_its_label_in_its_row_s_words(world):
    coi = world.draft()
    box = dataclasses.replace(
        FORMS[FormCode.R2021_2306].by_key["13"], columns=("trade_name", "packaging_type", "packages")
    )
    for language, headings, packaging in (
        ("en", ["Trade name", "Type of packaging", "Number of packages"], "Carton"),
        ("fr", ["Nom commercial", "Type d’emballage", "Nombre de colis"], "Carton"),
    ):
        with translation.override(language):
            row = Row(box, products=products(coi))
            assert row.headings == headings
            assert row.cells[0] == [("Organic cashew W320", ""), (packaging, ""), (f"400 {packaging}", "num")]


def line_values(coi: Certificate) -> list[dict[str, Any]]:
    """Each line's fields of the COI's form, as the API gives them back (`Row.data`)."""
    rows = line_fields(FORMS[coi.form])
    lines = CommodityLine.objects.filter(commodity__certificate=coi).order_by("commodity__position", "position")
    return [{row.name: row.data(line) for row in rows} for line in lines]


@pytest.mark.parametrize("form", [FormCode.R1235_2008, FormCode.R2021_2306])
def test_every_line_field_of_each_form_is_carried_through_sps_xml_and_read_back(world, client, form):
    world.form = form
    coi = world.submitted()
    CommodityLine.objects.filter(commodity__certificate=coi).update(organic_status="in_conversion", category="d")
    xml = sps.build(coi.pk)
    assert structure_problems(xml) == []
    client.force_login(world.importer)
    response = client.post("/api/v1/certificates/import", data=xml, content_type="application/xml")
    assert response.status_code == 201, response.json()
    new = Certificate.objects.get(pk=response.json()["id"])
    assert line_values(new) == line_values(coi)
    assert {name for line in line_values(new) for name in line} == {row.name for row in line_fields(FORMS[form])}


def test_a_line_choice_carried_as_a_classification_is_refused_under_its_own_label(world, client, monkeypatch):
    # A choice of the line table carried as a classification (`Row.sps_system`) other than the status and category.
    world.form = FormCode.R2021_2306
    coi = world.submitted()
    CommodityLine.objects.filter(commodity__certificate=coi).update(organic_status="organic", category="d")
    packaging = LINE["packaging_type"]
    monkeypatch.setitem(
        sps_import.LINE_CLASSIFICATIONS, "PACKAGING", ("packaging_type", packaging.choices, "Packaging")
    )
    xml = (
        sps.build(coi.pk)
        .replace(b"ORGANIC_CATEGORY", b"PACKAGING")
        .replace(b">d</ram:ClassCode>", b">bad</ram:ClassCode>")
    )
    client.force_login(world.importer)
    response = client.post("/api/v1/certificates/import", data=xml, content_type="application/xml")
    assert response.status_code == 422
    assert {p["message"] for p in response.json()["problems"] if p["box"] == "13"} == {
        "Type of packaging: bad is not among the choices."
    }
