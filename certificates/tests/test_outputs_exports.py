"""Exports of the COI list: what the list shows, the same filters, streamed, in a bounded number of queries."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import replace
from datetime import UTC
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from certificates import fields
from certificates.coi_forms import FORMS, FormCode
from certificates.models import Certificate
from core import clock


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def by_heading(rows: list[list[str]]) -> list[dict[str, str]]:
    """Each COI's line as {heading: cell}."""
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_it_exports_the_visible_cois_to_csv(world: Any, client: Any) -> None:
    submitted = world.submitted()
    world.draft("exporter")  # Atlas's draft: not visible to ACME
    client.force_login(world.importer)
    response = client.get("/certificates/export.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.streaming
    rows = csv_rows(response)
    assert rows[0][0] == "COI number"
    assert [r[0] for r in rows[1:]] == [submitted.number]
    line = by_heading(rows)[0]
    assert line["Exporter: 1235/2008, box 4; 2021/2306, box 5"] == "Atlas Organic"
    assert line["Commodities: 1235/2008, box 13; 2021/2306, box 13"] == "08013200"


def test_it_applies_the_lists_filters(world: Any, client: Any) -> None:
    world.submitted()
    draft = world.draft()
    client.force_login(world.importer)
    rows = csv_rows(client.get("/certificates/export.csv?status=draft"))
    assert len(rows) == 2 and rows[1][0] == ""
    assert len(csv_rows(client.get("/certificates/export.csv?product=2007"))) == 1  # header only
    assert len(csv_rows(client.get("/certificates/export.csv?party=Atlas"))) == 3
    assert draft.pk


def test_it_exports_to_excel(world: Any, client: Any) -> None:
    coi = world.submitted()
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    client.force_login(world.importer)
    response = client.get("/certificates/export.xlsx?status=description_completed")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Numéro du COI"
    assert rows[1][0] == coi.number
    assert len(rows) == 2


def test_the_api_exports_too(world: Any, client: Any) -> None:
    coi = world.submitted()
    client.force_login(world.importer)
    rows = csv_rows(client.get("/api/v1/certificates/export.csv?number=" + coi.number[-7:]))
    assert [r[0] for r in rows[1:]] == [coi.number]


def test_its_query_count_does_not_grow_with_the_list(world: Any, client: Any) -> None:
    client.force_login(world.importer)
    world.submitted()
    with CaptureQueriesContext(connection) as few:
        csv_rows(client.get("/certificates/export.csv"))
    for _n in range(6):
        world.submitted()
    with CaptureQueriesContext(connection) as many:
        csv_rows(client.get("/certificates/export.csv"))
    assert len(many) == len(few)


def test_an_outsider_exports_nothing(world: Any, client: Any) -> None:
    world.submitted()
    client.force_login(world.outsider_importer)
    assert len(csv_rows(client.get("/certificates/export.csv"))) == 1


def test_it_heads_each_field_with_its_box_on_each_form(world: Any, client: Any) -> None:
    client.force_login(world.importer)
    headings = csv_rows(client.get("/certificates/export.csv", HTTP_ACCEPT_LANGUAGE="en"))[0]
    assert "Importer: 1235/2008, box 11; 2021/2306, box 12" in headings
    assert "Customs warehousing: 2021/2306, box 23" in headings  # the guides' form has no box for it
    assert "Responsible for the load: 1235/2008; 2021/2306, box 19" in headings  # a box without a number
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    french = csv_rows(client.get("/certificates/export.csv"))[0]
    assert "Importateur\u00a0: 1235/2008, case 11; 2021/2306, case 12" in french


def test_it_gives_each_coi_the_fields_of_its_own_form(world: Any, client: Any) -> None:
    guides = world.submitted()
    world.form = FormCode.R2021_2306
    in_force = world.submitted(customs_warehousing=True)
    client.force_login(world.importer)
    lines = {line["COI number"]: line for line in by_heading(csv_rows(client.get("/certificates/export.csv")))}
    warehousing = "Customs warehousing: 2021/2306, box 23"
    assert lines[in_force.number][warehousing] == "yes"
    assert lines[guides.number][warehousing] == ""  # not "no": its form does not ask
    assert lines[in_force.number]["Form"] == "2021/2306" and lines[guides.number]["Form"] == "1235/2008"


def test_a_field_added_to_the_table_is_a_column(world: Any, client: Any, monkeypatch: Any) -> None:
    """One row in the field table and its name in a box of the form's table: the export has its column."""
    coi_form = FORMS[FormCode.R2021_2306]
    box_20 = coi_form.by_key["20"]
    boxes = tuple(
        replace(box, fields=(*box.fields, "prior_notified_at")) if box is box_20 else box for box in coi_form.boxes
    )
    monkeypatch.setitem(FORMS, FormCode.R2021_2306, replace(coi_form, boxes=boxes))
    monkeypatch.setattr(fields, "COI_FIELDS", (*fields.COI_FIELDS, fields.Row("prior_notified_at", fields.MOMENT)))
    world.form = FormCode.R2021_2306
    coi = world.submitted()
    Certificate.objects.filter(pk=coi.pk).update(prior_notified_at=datetime.datetime(2026, 12, 6, 3, 41, tzinfo=UTC))
    client.force_login(world.importer)
    line = by_heading(csv_rows(client.get("/certificates/export.csv", HTTP_ACCEPT_LANGUAGE="en")))[0]
    heading = f"Prior notification first given ({clock.city()}): 2021/2306, box 20"
    assert line[heading] == clock.local(Certificate.objects.get(pk=coi.pk).prior_notified_at).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
