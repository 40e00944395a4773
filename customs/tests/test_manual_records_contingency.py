"""Manual quantity management by customs (Art. 8) and by the COI's authority on its page (FR/EN), enter record
(Art. 9), the list of supporting documents (Art. 10) and the contingency replay (Art. 11)."""

from __future__ import annotations

from django.test import Client

from accounts.models import ApiToken
from certificates.models import HistoryEntry
from certificates.statuses import COIStatus
from customs.models import CustomsRecord, Movement

from .conftest import EORI, OTHER_EORI, mrn

CASHEW = "08013200"


def set_language(user, language):
    """The account's language is the page's once logged in (accounts.middleware)."""
    user.language = language
    user.save(update_fields=["language"])


def lines(exchange, number):
    return exchange.get(f"/documents/{number}").json()["lines"]


def test_customs_writes_off_and_restores_by_hand_with_its_reason(exchange, released):
    line = lines(exchange, released.number)[0]["line"]
    r = exchange.post(f"/documents/{released.number}/manual",
                      {"line": line, "direction": "write_off", "net_weight": "500", "reason": "Damaged on the quay"})  # fmt: skip
    assert r.status_code == 201, r.content
    assert r.json()["document"]["lines"][0]["remaining"] == "8500.000"
    r = exchange.post(f"/documents/{released.number}/manual",
                      {"line": line, "direction": "restore", "net_weight": "501", "reason": "Recounted"})  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (409, "restoration_exceeds_written_off")
    r = exchange.post(f"/documents/{released.number}/manual",
                      {"line": line, "direction": "write_off", "net_weight": "8500.001", "reason": "All"})  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (409, "quantity_exceeds_remaining")
    r = exchange.post(f"/documents/{released.number}/manual",
                      {"line": line, "direction": "write_off", "net_weight": "1", "reason": ""})  # fmt: skip
    assert r.status_code == 422
    assert HistoryEntry.objects.filter(certificate=released, step="customs_manual").count() == 1


def test_the_authority_changes_a_quantity_on_the_page_with_its_reason(exchange, released, flow):
    exchange.declare(mrn(30), (released.number, CASHEW, "100"))
    page = Client()
    page.force_login(flow.w.inao_agent)
    url = f"/customs/coi/{released.pk}/"
    shown = page.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert shown.status_code == 200 and mrn(30) in shown.content.decode()
    line = released.commodities.first().lines.first().pk
    set_language(flow.w.inao_agent, "fr")
    refused = page.post(url, {"line": line, "direction": "restore", "net_weight": "101", "reason": "Recount"})
    assert refused.status_code == 422
    assert "Seuls 100 kg de cette ligne ont été imputés" in refused.content.decode()
    assert "Recount" in refused.content.decode()  # what was typed is kept
    set_language(flow.w.inao_agent, "en")
    no_reason = page.post(url, {"line": line, "direction": "restore", "net_weight": "50", "reason": ""})
    assert "Give the reason of the change." in no_reason.content.decode()
    too_long = page.post(url, {"line": line, "direction": "restore", "net_weight": "50", "reason": "y" * 1001})
    assert too_long.status_code == 422 and "The reason is at most 1000 characters long." in too_long.content.decode()
    assert "y" * 1001 in too_long.content.decode()  # what was typed is kept
    done = page.post(url, {"line": line, "direction": "restore", "net_weight": "50", "reason": "Recount"})
    assert done.status_code == 302
    assert Movement.objects.filter(kind="manual_restoration", reason="Recount").exists()
    assert lines(exchange, released.number)[0]["remaining"] == "8950.000"


def test_the_authority_writes_off_and_restores_by_hand_through_the_api_with_its_reason(exchange, released, flow):
    exchange.declare(mrn(34), (released.number, CASHEW, "100"))
    agent = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(flow.w.inao_agent, 'poste')[1]}")
    base = f"/api/customs/v1/documents/{released.number}"
    line = agent.get(base, {"request_id": "a-0"}).json()["lines"][0]["line"]
    body = {"request_id": "a-1", "line": line, "direction": "write_off", "net_weight": "500", "reason": "Lot abîmé"}
    done = agent.post(f"{base}/manual", body, content_type="application/json")
    assert done.status_code == 201, done.content
    assert (done.json()["kind"], done.json()["document"]["lines"][0]["remaining"]) == ("manual_write_off", "8400.000")
    again = agent.post(f"{base}/manual", body, content_type="application/json")  # a retry after a lost answer
    assert (again.status_code, again.json()["replayed"]) == (201, True)
    movement = Movement.objects.get(kind="manual_write_off")
    assert (movement.user, movement.office, movement.reason) == (flow.w.inao_agent, None, "Lot abîmé")
    entry = HistoryEntry.objects.get(certificate=released, step="customs_manual")
    assert entry.organisation == released.validating_authority.name and "Lot abîmé" in entry.note

    ids = iter(range(10, 99))

    def refused(who, language="en", **change):
        r = who.post(f"{base}/manual", {**body, "request_id": f"a-{next(ids)}", **change},
                     content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip
        return r.status_code, r.json().get("code", ""), r.json().get("detail", "")

    assert refused(agent, reason="") == (422, "reason_required", "Give the reason of the change.")
    assert refused(agent, "fr", reason="   ") == (422, "reason_required", "Indiquez le motif de la modification.")
    assert refused(agent, reason="x" * 1001)[:2] == (422, "invalid")
    missing = agent.post(f"{base}/manual", {k: v for k, v in body.items() if k != "reason"} | {"request_id": "a-9"},
                         content_type="application/json")  # fmt: skip
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"][-1] == "reason"
    assert refused(agent, direction="restore", net_weight="601")[:2] == (409, "restoration_exceeds_written_off")
    assert refused(agent, net_weight="8400.001")[:2] == (409, "quantity_exceeds_remaining")
    # The authority of the point of entry may too; the importer, who sees the COI, may not; an outsider sees nothing.
    border = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(flow.w.border_agent, 'poste')[1]}")
    assert refused(border, direction="restore", net_weight="100", reason="Recompté")[:2] == (201, "")
    importer = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(flow.w.importer, 'script')[1]}")
    assert refused(importer, "fr")[:2] == (403, "not_competent_authority")
    assert "l’autorité de son point d’entrée" in refused(importer, "fr")[2]
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(flow.w.outsider_importer, 'script')[1]}")
    assert refused(outsider)[:2] == (404, "document_not_found")
    assert Movement.objects.filter(kind__startswith="manual").count() == 2


def test_the_parties_see_the_write_offs_but_may_not_change_them_and_outsiders_get_404(exchange, released, flow):
    exchange.declare(mrn(31), (released.number, CASHEW, "100"))
    importer = Client()
    importer.force_login(flow.w.importer)
    set_language(flow.w.importer, "fr")
    page = importer.get(f"/customs/coi/{released.pk}/")
    assert page.status_code == 200 and "Imputé par une déclaration en douane" in page.content.decode()
    assert "Gestion manuelle des quantités" not in page.content.decode()
    assert importer.post(f"/customs/coi/{released.pk}/", {"reason": "x"}).status_code == 404
    outsider = Client()
    outsider.force_login(flow.w.outsider_importer)
    assert outsider.get(f"/customs/coi/{released.pk}/").status_code == 404


def test_it_enters_amends_and_deletes_a_record(exchange, released):
    r = exchange.post(
        "/records", {"document": released.number, "mrn": mrn(32), "item_number": 1, "text": "Seal intact"}
    )
    assert r.status_code == 201
    rid = r.json()["id"]
    assert exchange.post(f"/records/{rid}/amendment", {"text": "Seal broken"}).json()["text"] == "Seal broken"
    assert exchange.post(f"/records/{rid}/deletion", {}).json()["deleted"] is True
    assert exchange.post(f"/records/{rid}/amendment", {"text": "x"}).json()["code"] == "record_not_found"
    assert CustomsRecord.objects.get().deleted_at is not None


def test_it_lists_the_documents_an_importer_may_declare_for_a_cn_code(exchange, released, flow):
    flow.coi(COIStatus.BASIS_FOR_EXTRACT)  # not releasable: not listed
    found = exchange.get("/documents", importer_eori=EORI, cn_code="08013200").json()
    assert [d["number"] for d in found] == [released.number]
    assert exchange.get("/documents", importer_eori=EORI, cn_code="20079910").json() == []
    assert exchange.get("/documents", importer_eori=OTHER_EORI).json() == []
    assert exchange.get("/documents", importer_eori=EORI, stauts="x").status_code == 422


def test_a_depleted_document_is_not_listed(exchange, released):
    exchange.declare(mrn(33), (released.number, CASHEW, "15800"))
    assert exchange.get("/documents", importer_eori=EORI).json() == []


def test_it_replays_contingency_records_in_order_with_the_same_guarantees(exchange, released):
    item = {"item_number": 1, "document": released.number, "cn_code": CASHEW}
    ops = [
        {"request_id": "c-2", "kind": "invalidation", "occurred_at": "2026-12-01T10:00:00Z", "mrn": mrn(40)},
        {"request_id": "c-1", "kind": "declaration", "occurred_at": "2026-12-01T09:00:00Z", "mrn": mrn(40),
         "importer_eori": EORI, "items": [{**item, "net_weight": "9000"}]},
        {"request_id": "c-3", "kind": "declaration", "occurred_at": "2026-12-01T11:00:00Z", "mrn": mrn(41),
         "importer_eori": EORI, "items": [{**item, "net_weight": "15000"}]},
        {"request_id": "c-4", "kind": "declaration", "occurred_at": "2026-12-01T12:00:00Z", "mrn": mrn(42),
         "importer_eori": EORI, "items": [{**item, "net_weight": "900"}]},
    ]  # fmt: skip
    r = exchange.post("/contingency", {"operations": ops})
    assert r.status_code == 200, r.content
    outcomes = [(o["request_id"], o["status"], o["code"]) for o in r.json()["results"]]
    assert outcomes == [
        ("c-1", 201, ""),
        ("c-2", 200, ""),
        ("c-3", 201, ""),
        ("c-4", 409, "quantity_exceeds_remaining"),
    ]
    assert [x["remaining"] for x in lines(exchange, released.number)] == ["0.000", "800.000"]
    again = exchange.post("/contingency", {"operations": ops})  # a new batch id, the same records: nothing twice
    assert [o["status"] for o in again.json()["results"]] == [201, 200, 201, 409]
    assert [x["remaining"] for x in lines(exchange, released.number)] == ["0.000", "800.000"]


def test_the_page_says_why_a_declaration_gave_back_in_the_reader_s_language(exchange, released, flow):
    # The exchange calls in English; the French reader of the page reads the reason in French.
    exchange.declare(mrn(40), (released.number, CASHEW, "100"))
    exchange.declare(mrn(41), (released.number, CASHEW, "200"))
    assert exchange.post(f"/declarations/{mrn(40)}/invalidation", {}).status_code == 200
    assert exchange.post(f"/declarations/{mrn(41)}/invalidation", {"reason": "not_released"}).status_code == 200
    page = Client()
    page.force_login(flow.w.importer)
    set_language(flow.w.importer, "fr")
    shown = page.get(f"/customs/coi/{released.pk}/").content.decode()
    assert "Déclaration invalidée" in shown and "Marchandises sans mainlevée" in shown
    assert "Declaration invalidated" not in shown and "Goods not released" not in shown
    set_language(flow.w.importer, "en")
    shown = page.get(f"/customs/coi/{released.pk}/").content.decode()
    assert "Declaration invalidated" in shown and "Goods not released" in shown


def test_a_reason_with_a_control_character_is_refused_at_the_reason(exchange, released, flow):
    exchange.declare(mrn(42), (released.number, CASHEW, "100"))
    page = Client()
    page.force_login(flow.w.inao_agent)
    set_language(flow.w.inao_agent, "fr")
    line = released.commodities.first().lines.first().pk
    r = page.post(f"/customs/coi/{released.pk}/", {"line": line, "direction": "restore", "net_weight": "5",
                                                    "reason": "Recount\x07"})  # fmt: skip
    assert r.status_code == 422
    body = r.content.decode()
    at_reason = body.split('data-testid="error-reason">')[1].split("<")[0]
    assert "caractère de contrôle" in at_reason and 'data-testid="error-net_weight"' not in body
    assert not Movement.objects.filter(kind="manual_restoration").exists()
