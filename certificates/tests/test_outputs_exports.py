"""Exports of the COI list: what the list shows, the same filters, streamed, in a bounded number of queries."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


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
    assert rows[1][4] == "Atlas Organic" and rows[1][7] == "08013200"


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
