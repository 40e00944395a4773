"""Automatic quantity management (Art. 6), post-clearance amendment and invalidation (Art. 7), request ids."""

from __future__ import annotations

from certificates.models import HistoryEntry
from certificates.statuses import COIStatus
from customs.models import DeclarationItem, Movement

from .conftest import EORI, OTHER_EORI, mrn

CASHEW = "08013200"


def remaining(exchange, number):
    return [x["remaining"] for x in exchange.get(f"/documents/{number}").json()["lines"]]


def test_it_writes_off_first_lots_first_and_records_mrn_item_office_and_time(exchange, released, office):
    r = exchange.declare(mrn(1), (released.number, CASHEW, "9500"))
    assert r.status_code == 201, r.content
    item = r.json()["written_off"][0]
    assert [x["net_weight"] for x in item["lines"]] == ["9000.000", "500.000"]
    assert remaining(exchange, released.number) == ["0.000", "6300.000"]
    row = DeclarationItem.objects.get()
    assert (row.mrn, row.item_number, row.office, row.declared_at is not None) == (mrn(1), 1, office, True)
    entry = HistoryEntry.objects.filter(certificate=released, step="customs_write_off").get()
    assert mrn(1) in entry.reads() and "FR000690" in entry.organisation


def test_it_writes_off_all_items_or_none(exchange, released, flow):
    other = flow.coi(COIStatus.RELEASED_ORGANIC)
    r = exchange.declare(mrn(2), (released.number, CASHEW, "100"), (other.number, CASHEW, "99999"))
    assert r.status_code == 409
    assert (r.json()["code"], r.json()["item"]) == ("quantity_exceeds_remaining", 1)
    assert not Movement.objects.exists()
    assert remaining(exchange, released.number) == ["9000.000", "6800.000"]


def test_it_writes_off_several_documents_in_one_declaration(exchange, released, flow):
    other = flow.coi(COIStatus.RELEASED_ORGANIC)
    r = exchange.declare(mrn(3), (released.number, CASHEW, "100"), (other.number, CASHEW, "200"))
    assert r.status_code == 201
    assert remaining(exchange, released.number)[0] == "8900.000"
    assert remaining(exchange, other.number)[0] == "8800.000"


def test_it_shows_depleted_when_nothing_remains_and_refuses_more(exchange, released):
    assert exchange.declare(mrn(4), (released.number, CASHEW, "15800")).status_code == 201
    doc = exchange.get(f"/documents/{released.number}").json()
    assert doc["status"] == "depleted" and doc["release_allowed"] is False
    r = exchange.declare(mrn(5), (released.number, CASHEW, "0.001"))
    assert (r.status_code, r.json()["code"]) == (409, "depleted")


def test_it_refuses_an_unknown_document_another_importer_and_a_status(exchange, released, flow):
    assert exchange.declare(mrn(6), ("COI.EU.MA.2026.0000999", CASHEW, "1")).json()["code"] == "document_not_found"
    assert (
        exchange.declare(mrn(6), (released.number, CASHEW, "1"), eori=OTHER_EORI).json()["code"] == "importer_mismatch"
    )
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    assert exchange.declare(mrn(6), (base.number, CASHEW, "1")).json()["code"] == "status_not_releasable"
    assert not Movement.objects.exists()


def test_it_never_writes_off_one_item_twice(exchange, released):
    assert exchange.declare(mrn(7), (released.number, CASHEW, "10")).status_code == 201
    r = exchange.declare(mrn(7), (released.number, CASHEW, "10"))
    assert (r.status_code, r.json()["code"]) == (409, "item_already_written_off")


def test_it_answers_a_retry_with_the_same_answer_and_writes_off_once(exchange, released):
    body = {"request_id": "retry-1", "mrn": mrn(8), "importer_eori": EORI,
            "items": [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "10"}]}  # fmt: skip
    first = exchange.http.post("/api/customs/v1/declarations", body, content_type="application/json")
    again = exchange.http.post("/api/customs/v1/declarations", body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert again.json()["replayed"] is True and again.json()["written_off"] == first.json()["written_off"]
    assert Movement.objects.count() == 1
    other = {**body, "mrn": mrn(9)}
    r = exchange.http.post("/api/customs/v1/declarations", other, content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (409, "request_id_reused")


def test_it_restores_exactly_what_an_invalidated_declaration_wrote_off_once(exchange, released):
    exchange.declare(mrn(10), (released.number, CASHEW, "9500"), (released.number, CASHEW, "300"))
    exchange.declare(mrn(11), (released.number, CASHEW, "1000"))
    r = exchange.post(f"/declarations/{mrn(10)}/invalidation", {})
    assert r.status_code == 200
    assert [i["restored"] for i in r.json()["restored"]] == ["invalidation", "invalidation"]
    # The other declaration's 1000 kg, taken from LOT-B while LOT-A was empty, stay written off there.
    assert remaining(exchange, released.number) == ["9000.000", "5800.000"]
    again = exchange.post(f"/declarations/{mrn(10)}/invalidation", {})
    assert again.status_code == 200 and again.json()["restored"] == []
    assert remaining(exchange, released.number) == ["9000.000", "5800.000"]
    assert HistoryEntry.objects.filter(certificate=released, step="customs_restoration").count() == 1


def test_it_restores_goods_not_released(exchange, released):
    exchange.declare(mrn(12), (released.number, CASHEW, "100"))
    r = exchange.post(f"/declarations/{mrn(12)}/invalidation", {"reason": "not_released"})
    assert r.json()["restored"][0]["restored"] == "not_released"
    assert remaining(exchange, released.number) == ["9000.000", "6800.000"]


def test_it_refuses_to_invalidate_a_declaration_it_never_saw(exchange, released):
    r = exchange.post(f"/declarations/{mrn(13)}/invalidation", {})
    assert (r.status_code, r.json()["code"]) == (404, "declaration_not_found")


def test_an_amendment_gives_back_the_old_weight_and_writes_off_the_new(exchange, released):
    exchange.declare(mrn(14), (released.number, CASHEW, "9500"), (released.number, CASHEW, "100"))
    items = [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "2000"}]
    r = exchange.post(f"/declarations/{mrn(14)}/amendment", {"importer_eori": EORI, "items": items})
    assert r.status_code == 200, r.content
    assert [i["net_weight"] for i in r.json()["restored"]] == ["9500.000"]
    # Item 1 gave back LOT-A's 9000 kg and LOT-B's 500 kg, then took 2000 kg of LOT-A; item 2 keeps its 100 kg.
    assert remaining(exchange, released.number) == ["7000.000", "6700.000"]


def test_an_amendment_beyond_what_remains_changes_nothing(exchange, released):
    exchange.declare(mrn(15), (released.number, CASHEW, "100"))
    items = [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "20000"}]
    r = exchange.post(f"/declarations/{mrn(15)}/amendment", {"importer_eori": EORI, "items": items})
    assert (r.status_code, r.json()["code"]) == (409, "quantity_exceeds_remaining")
    assert remaining(exchange, released.number) == ["8900.000", "6800.000"]
    assert DeclarationItem.objects.get().restored_at is None


def test_a_restoration_still_works_after_box_31(exchange, released, flow):
    from certificates.workflow import release

    exchange.declare(mrn(16), (released.number, CASHEW, "100"))
    release.sign_box_31(flow.person(flow.w.consignee), released.pk, in_accordance=True, place="Lyon")
    assert exchange.post(f"/declarations/{mrn(16)}/invalidation", {}).json()["restored"]


def test_the_pdf_of_a_depleted_coi_says_so(exchange, released, settings):
    import io

    from pypdf import PdfReader

    from certificates.outputs.pdf import render_pdf

    def text() -> str:
        pdf = render_pdf(released.pk, "en").content
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")

    exchange.declare(mrn(50), (released.number, CASHEW, "15000"))
    assert "depleted for customs" not in text().lower()
    exchange.declare(mrn(51), (released.number, CASHEW, "800"))
    # The PDF shows it in capitals, as the draft's mark.
    assert "depleted for customs: nothing remains to be released under this document" in text().lower()


def test_the_dashboard_counts_customs_operations(exchange, released, flow):
    from django.test import Client

    exchange.declare(mrn(60), (released.number, CASHEW, "100"), (released.number, CASHEW, "50"))
    exchange.declare(mrn(61), (released.number, CASHEW, "10"))
    exchange.post(f"/declarations/{mrn(60)}/invalidation", {})
    page = Client()
    page.force_login(flow.w.importer)
    flow.w.importer.language = "en"
    flow.w.importer.save(update_fields=["language"])
    html = page.get("/dashboard/").content.decode()
    assert "Customs operations" in html
    assert '<th scope="row">Written off by a customs declaration</th><td>2</td>' in html
    assert '<th scope="row">Restored after a customs declaration</th><td>1</td>' in html
