"""The exchange's two calls of `make bench` (issue 24, point 8) stay cheap in SQL, the same however many COIs the
database holds: a write-off locks its document with what its answer names in one query and answers from what it
read under that lock (it read the document again after writing: 27 queries here, 28 on the bench's database; 17
now), and a check of availability reads each line once (counted as on the production server:
`test_step_queries.counted`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.tests.test_step_queries import counted, crowd

from .conftest import EORI, mrn

pytestmark = pytest.mark.django_db
CASHEW = "08013200"
MOST = {"write-off": 17, "availability": 6}  # PostgreSQL and SQLite, 7 Dec 2026


def queries_of(send: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = send()
    return counted(queries.captured_queries), response


def test_it_writes_off_in_few_queries_however_many_cois_and_answers_what_is_stored(exchange, released, flow):
    exchange.declare(mrn(1), (released.number, CASHEW, "1"))  # the token's last use written (once a minute)
    few, first = queries_of(lambda: exchange.declare(mrn(2), (released.number, CASHEW, "100")))
    crowd(flow)
    many, second = queries_of(lambda: exchange.declare(mrn(3), (released.number, CASHEW, "0.5")))
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert many == few <= MOST["write-off"], (few, many)
    # The answer is the document as stored after the write-off, as a GET reads it afterwards.
    answered = second.json()["documents"][0]
    assert answered == exchange.get(f"/documents/{released.number}").json()
    assert [x["remaining"] for x in answered["lines"]] == ["8898.500", "6800.000"]
    assert second.json()["written_off"][0]["lines"] == [{"line": answered["lines"][0]["line"], "net_weight": "0.500"}]


def test_it_checks_availability_in_few_queries_however_many_cois(exchange, released, flow):
    body = {"document": released.number, "importer_eori": EORI, "items": [{"cn_code": CASHEW, "net_weight": "1"}]}
    exchange.post("/availability", body)  # the token's last use written (once a minute)
    few, first = queries_of(lambda: exchange.post("/availability", body))
    crowd(flow)
    many, second = queries_of(lambda: exchange.post("/availability", body))
    assert first.json()["available"] and second.json() == {**first.json(), "request_id": second.json()["request_id"]}
    assert many == few <= MOST["availability"], (few, many)
