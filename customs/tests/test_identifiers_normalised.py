"""Identifiers as customs may write them (issue 24, fault 4): an EORI, an MRN, a document's number in lower case
or with spaces, a CN code with its spaces, are read as OpenCOI writes them (`customs.identifiers`), in every
body, query string and path of the exchange."""

from __future__ import annotations

from .conftest import EORI, mrn


def sloppy(identifier: str) -> str:
    return " " + identifier[:4].lower() + " " + identifier[4:].lower() + " "


def test_it_reads_a_lower_case_eori_and_number_in_availability(exchange, released):
    body = {"document": sloppy(released.number), "importer_eori": sloppy(EORI),
            "items": [{"cn_code": "0801 32 00", "net_weight": "10"}]}  # fmt: skip
    r = exchange.post("/availability", body)
    assert r.status_code == 200, r.json()
    assert r.json()["available"] is True and r.json()["refusals"] == []


def test_it_writes_off_and_invalidates_with_lower_case_identifiers(exchange, released):
    r = exchange.declare(sloppy(mrn(1)), (sloppy(released.number), "0801.32.00", "100"), eori=EORI.lower())
    assert r.status_code == 201, r.json()
    item = r.json()["written_off"][0]
    assert item["document"] == released.number and item["cn_code"] == "08013200"
    assert r.json()["mrn"] == mrn(1)
    r = exchange.post(f"/declarations/{mrn(1).lower()}/invalidation", {})
    assert r.status_code == 200, r.json()
    assert [i["item_number"] for i in r.json()["restored"]] == [1]


def test_it_finds_a_document_by_its_lower_case_number_and_importer(exchange, released):
    r = exchange.get(f"/documents/{released.number.lower()}")
    assert r.status_code == 200 and r.json()["number"] == released.number
    r = exchange.get("/documents", importer_eori=EORI.lower())
    assert r.status_code == 200 and [d["number"] for d in r.json()] == [released.number]
