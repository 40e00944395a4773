"""Check availability (Implementing Reg. (EU) 2024/2145, Art. 5): exists? status allows release? covers those
CN codes for that importer? what remains per line; each refusal with its code and a sentence (FR/EN)."""

from __future__ import annotations

import pytest

from certificates.statuses import COIStatus

from .conftest import EORI, OTHER_EORI, Exchange


def check(exchange, number, *goods, eori=EORI):
    body = {"document": number, "importer_eori": eori, "items": [{"cn_code": c, "net_weight": w} for c, w in goods]}
    return exchange.post("/availability", body)


def test_it_answers_what_remains_per_line_of_a_released_coi(exchange, released):
    r = check(exchange, released.number, ("08013200", "1000"))
    assert r.status_code == 200
    body = r.json()
    assert body["exists"] and body["available"] and body["refusals"] == []
    doc = body["document"]
    assert doc["status"] == "released_organic" and doc["release_allowed"] is True
    assert doc["importer_eori"] == [EORI]
    assert doc["issuing_body_code"] == "MA-BIO-154"
    assert [(x["lot_number"], x["net_weight"], x["remaining"]) for x in doc["lines"]] == [
        ("LOT-A", "9000.000", "9000.000"),
        ("LOT-B", "6800.000", "6800.000"),
    ]


def test_it_refuses_an_unknown_number(exchange, db, office):
    body = check(exchange, "COI.EU.MA.2026.9999999", ("08013200", "1")).json()
    assert body["exists"] is False and body["available"] is False
    assert [r["code"] for r in body["refusals"]] == ["document_not_found"]


def test_it_refuses_another_importer(exchange, released):
    body = check(exchange, released.number, ("08013200", "1"), eori=OTHER_EORI).json()
    assert [r["code"] for r in body["refusals"]] == ["importer_mismatch"]
    assert OTHER_EORI in body["refusals"][0]["detail"]


def test_it_refuses_a_cn_code_the_coi_does_not_cover(exchange, released):
    body = check(exchange, released.number, ("08013200", "1"), ("20079910", "5")).json()
    assert [(r["code"], r["item"]) for r in body["refusals"]] == [("cn_code_not_covered", 1)]


def test_it_reads_a_taric_code_by_its_cn_code(exchange, released):
    assert check(exchange, released.number, ("0801320010", "1")).json()["available"] is True


def test_it_refuses_more_than_remains_adding_up_items_of_one_code(exchange, released):
    body = check(exchange, released.number, ("08013200", "15000"), ("08013200", "801")).json()
    assert [(r["code"], r["item"]) for r in body["refusals"]] == [("quantity_exceeds_remaining", 1)]


@pytest.mark.parametrize(
    "status",
    [COIStatus.DESCRIPTION_COMPLETED, COIStatus.BASIS_FOR_EXTRACT, COIStatus.CANNOT_BE_RELEASED,
     COIStatus.RELEASED_NON_ORGANIC, COIStatus.FIRST_CONSIGNEE_SIGNED],
)  # fmt: skip
def test_it_refuses_a_status_that_does_not_allow_release(exchange, flow, status):
    coi = flow.coi(status)
    body = check(exchange, coi.number, ("08013200", "1")).json()
    assert body["exists"] is True
    assert "status_not_releasable" in [r["code"] for r in body["refusals"]]


def test_it_allows_in_conversion(exchange, flow):
    coi = flow.coi(COIStatus.RELEASED_IN_CONVERSION)
    assert check(exchange, coi.number, ("08013200", "1")).json()["available"] is True


def test_it_says_why_in_french(token, released):
    body = check(Exchange(token, "fr"), released.number, ("08013200", "1"), eori=OTHER_EORI).json()
    assert (
        body["refusals"][0]["detail"]
        == f"{released.number} n’a pas été délivré pour l’importateur dont l’EORI est {OTHER_EORI}."
    )


def test_it_refuses_a_caller_without_a_token(db):
    from django.test import Client

    r = Client().post("/api/customs/v1/availability", {}, content_type="application/json")
    assert r.status_code == 401


def test_it_refuses_a_person_who_is_not_customs(world):
    from accounts.models import ApiToken

    _t, secret = ApiToken.issue(world.importer, "script")
    r = Exchange(secret).post(
        "/availability", {"document": "X", "importer_eori": EORI, "items": [{"cn_code": "08013200", "net_weight": "1"}]}
    )
    assert r.status_code == 403 and r.json()["code"] == "not_customs"


def test_it_refuses_an_unknown_field(exchange, released):
    r = exchange.post("/availability", {"document": released.number, "importer_eori": EORI, "items": [], "x": 1})
    assert r.status_code == 422
