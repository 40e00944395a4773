"""A line of box 13 is printed (COI page, PDF) and carried in SPS XML from the field table's line rows
(`certificates/fields.py`): a line field named among a box's columns is printed under its label, in its row's words,
with no line of the printing code changed."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from certificates.coi_forms import FORMS, FormCode
from certificates.outputs.box_rows import Row, products

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
