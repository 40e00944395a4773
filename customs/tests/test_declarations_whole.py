"""A declaration (and its amendment, and a contingency replay) is checked as a whole (Art. 6(1)(b): never more than
remains): its items quoting one document add up, whatever their CN codes (the CN code and its TARIC code share a
line); an item quotes a document once; an amendment amends a declaration that wrote something off here and is not
invalidated; MRNs and times have their documented shapes. Each refusal a JSON answer with its code, never a 500."""

from __future__ import annotations

from customs.models import DeclarationItem, Movement

from .conftest import EORI, mrn

CASHEW = "08013200"
CASHEW_TARIC = "0801320010"


def remaining(exchange, number):
    return [x["remaining"] for x in exchange.get(f"/documents/{number}").json()["lines"]]


def test_it_refuses_items_of_one_declaration_that_together_exceed_what_remains(exchange, released):
    # 15,800 kg remain: each item alone fits, both together do not.
    r = exchange.declare(mrn(1), (released.number, CASHEW, "8000"), (released.number, CASHEW_TARIC, "8000"))
    assert r.status_code == 409, r.content
    assert (r.json()["code"], r.json()["item"]) == ("quantity_exceeds_remaining", 1)
    assert "7,800 kg left" in r.json()["detail"]
    assert not Movement.objects.exists() and not DeclarationItem.objects.exists()
    assert remaining(exchange, released.number) == ["9000.000", "6800.000"]
    assert (
        exchange.declare(mrn(2), (released.number, CASHEW, "8000"), (released.number, CASHEW_TARIC, "7800")).status_code
        == 201
    )
    assert remaining(exchange, released.number) == ["0.000", "0.000"]


def test_it_answers_availability_for_the_items_together(exchange, released):
    body = {
        "document": released.number,
        "importer_eori": EORI,
        "items": [{"cn_code": CASHEW, "net_weight": "8000"}, {"cn_code": CASHEW_TARIC, "net_weight": "8000"}],
    }
    r = exchange.post("/availability", body)
    assert r.status_code == 200 and r.json()["available"] is False
    assert [(x["code"], x["item"]) for x in r.json()["refusals"]] == [("quantity_exceeds_remaining", 1)]


def test_it_refuses_an_amendment_whose_items_together_exceed_what_remains(exchange, released):
    assert exchange.declare(mrn(3), (released.number, CASHEW, "100")).status_code == 201
    items = [
        {"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "9000"},
        {"item_number": 2, "document": released.number, "cn_code": CASHEW, "net_weight": "7000"},
    ]
    r = exchange.post(f"/declarations/{mrn(3)}/amendment", {"importer_eori": EORI, "items": items})
    assert (r.status_code, r.json()["code"], r.json()["item"]) == (409, "quantity_exceeds_remaining", 1)
    assert remaining(exchange, released.number) == ["8900.000", "6800.000"]


def test_it_refuses_an_item_quoting_one_document_twice(exchange, released):
    body = {
        "mrn": mrn(4),
        "importer_eori": EORI,
        "items": [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "1"}] * 2,
    }
    r = exchange.post("/declarations", body)
    assert (r.status_code, r.json()["code"], r.json()["item"]) == (422, "item_repeated", 1)
    r = exchange.post(f"/declarations/{mrn(4)}/amendment", {"importer_eori": EORI, "items": body["items"]})
    assert r.status_code == 404  # nothing written off by mrn(4): it is not amended
    exchange.declare(mrn(4), (released.number, CASHEW, "1"))
    r = exchange.post(f"/declarations/{mrn(4)}/amendment", {"importer_eori": EORI, "items": body["items"]})
    assert (r.status_code, r.json()["code"]) == (422, "item_repeated")
    assert remaining(exchange, released.number) == ["8999.000", "6800.000"]


def test_it_amends_only_a_declaration_that_wrote_off_here_and_is_not_invalidated(exchange, released):
    items = [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "5"}]
    r = exchange.post(f"/declarations/{mrn(5)}/amendment", {"importer_eori": EORI, "items": items})
    assert (r.status_code, r.json()["code"]) == (404, "declaration_not_found")
    exchange.declare(mrn(6), (released.number, CASHEW, "100"))
    assert exchange.post(f"/declarations/{mrn(6)}/invalidation", {}).status_code == 200
    r = exchange.post(f"/declarations/{mrn(6)}/amendment", {"importer_eori": EORI, "items": items})
    assert (r.status_code, r.json()["code"]) == (409, "declaration_invalidated")
    assert remaining(exchange, released.number) == ["9000.000", "6800.000"]
    assert DeclarationItem.objects.filter(restored_at__isnull=True).count() == 0


def test_it_refuses_an_mrn_of_another_shape_in_the_path(exchange, released):
    exchange.declare(mrn(7), (released.number, CASHEW, "100"))
    items = [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "5"}]
    for path in ("/declarations/garbage/amendment", "/declarations/26FR0000000000007/invalidation"):
        r = exchange.post(path, {"importer_eori": EORI, "items": items} if "amendment" in path else {})
        assert r.status_code == 422, (path, r.content)
        assert r.json()["code"] == "invalid" and r.json()["errors"][0]["loc"][-1] == "mrn"
    assert remaining(exchange, released.number) == ["8900.000", "6800.000"]


def test_it_refuses_a_time_without_its_utc_offset(exchange, released):
    r = exchange.declare(mrn(8), (released.number, CASHEW, "1"), declared_at="2026-12-06T10:00:00")
    assert (r.status_code, r.json()["code"]) == (422, "invalid")
    ops = [
        {"request_id": "k-a", "kind": "declaration", "occurred_at": "2026-12-06T10:00:00", "mrn": mrn(9),
         "importer_eori": EORI, "items": [{"item_number": 1, "document": released.number, "cn_code": CASHEW,
                                            "net_weight": "1"}]},
        {"request_id": "k-b", "kind": "invalidation", "occurred_at": "2026-12-06T10:05:00Z", "mrn": mrn(9)},
    ]  # fmt: skip
    r = exchange.post("/contingency", {"operations": ops})
    assert (r.status_code, r.json()["code"]) == (422, "invalid")
    assert not Movement.objects.exists()


def test_a_contingency_replay_refuses_a_declaration_beyond_what_remains_and_goes_on(exchange, released):
    item = {"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "8000"}
    ops = [
        {"request_id": "k-1", "kind": "declaration", "occurred_at": "2026-12-06T10:00:00Z", "mrn": mrn(10),
         "importer_eori": EORI, "items": [item, {**item, "item_number": 2}]},
        {"request_id": "k-2", "kind": "declaration", "occurred_at": "2026-12-06T10:01:00Z", "mrn": mrn(11),
         "importer_eori": EORI, "items": [item]},
    ]  # fmt: skip
    r = exchange.post("/contingency", {"operations": ops})
    assert r.status_code == 200, r.content
    assert [(x["status"], x["code"]) for x in r.json()["results"]] == [(409, "quantity_exceeds_remaining"), (201, "")]
    assert remaining(exchange, released.number) == ["1000.000", "6800.000"]
