"""20 parallel write-offs of one lot, each on its own database connection: the sum written off never exceeds
the lot, and every refused one says why (Art. 6(1)(b)). Needs PostgreSQL (row locks); SQLite serialises whole
transactions and is skipped."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from customs.models import DeclarationItem, Movement

from .conftest import EORI, Exchange, mrn

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"),
]


def test_it_never_writes_off_more_than_the_lot_whatever_the_concurrency(token, released):
    # 15,800 kg in all: 20 declarations of 1,000 kg each, at once; 15 can be written off, 5 cannot.
    start = threading.Barrier(20)
    answers: list[tuple[int, str]] = [(0, "")] * 20

    def declare(i: int) -> None:
        translation.activate("en")
        exchange = Exchange(token)
        body = {"request_id": f"burst-{i}", "mrn": mrn(100 + i), "importer_eori": EORI,
                "items": [{"item_number": 1, "document": released.number, "cn_code": "08013200", "net_weight": "1000"}]}  # fmt: skip
        try:
            start.wait(10)
            r = exchange.http.post("/api/customs/v1/declarations", body, content_type="application/json")
            answers[i] = (r.status_code, r.json().get("code", ""))
        finally:
            connection.close()

    threads = [threading.Thread(target=declare, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(answers) == [(201, "")] * 15 + [(409, "quantity_exceeds_remaining")] * 5
    taken = sum((m.net_weight for m in Movement.objects.filter(kind="write_off")), Decimal(0))
    assert taken == Decimal("15000")
    assert DeclarationItem.objects.count() == 15


def test_it_answers_two_copies_of_one_request_sent_at_once_as_one(token, released):
    start = threading.Barrier(2)
    codes: list[int] = [0, 0]
    body = {"request_id": "twice", "mrn": mrn(200), "importer_eori": EORI,
            "items": [{"item_number": 1, "document": released.number, "cn_code": "08013200", "net_weight": "10"}]}  # fmt: skip

    def send(i: int) -> None:
        try:
            start.wait(10)
            codes[i] = (
                Exchange(token)
                .http.post("/api/customs/v1/declarations", body, content_type="application/json")
                .status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert codes == [201, 201]
    assert Movement.objects.count() == 1
