"""Every refusal of the exchange says why in a code a machine acts on and a sentence a person reads, in the
caller's language: each code is answered once in English and once in French, with the same code and status and
a French sentence that is not the English one."""

from __future__ import annotations

from django.test import Client

from accounts.models import ApiToken
from certificates.statuses import COIStatus

from .conftest import EORI, OTHER_EORI, Exchange, mrn

CASHEW = "08013200"


def _refusals(ex: Exchange, released, blocked, depleted, line: int, importer: Client) -> dict[str, tuple[int, str]]:
    """code -> (status, detail) of one refused call per code, in the exchange's language."""
    found: dict[str, tuple[int, str]] = {}

    def keep(answer, code=None):
        body = answer.json()
        got = body.get("code") or body["refusals"][0]["code"]
        detail = body.get("detail") or body["refusals"][0]["detail"]
        found[code or got] = (answer.status_code, detail)

    def check(number, eori=EORI, cn=CASHEW, weight="1"):
        return ex.post("/availability", {"document": number, "importer_eori": eori,
                                         "items": [{"cn_code": cn, "net_weight": weight}]})  # fmt: skip

    keep(ex.get("/documents/COI.EU.MA.2026.9999999"))
    keep(check(blocked.number))
    keep(check(depleted.number))
    keep(check(released.number, eori=OTHER_EORI))
    keep(check(released.number, cn="20079910"))
    keep(check(released.number, weight="15800.001"))
    keep(ex.declare(mrn(50), (released.number, CASHEW, "1")))  # item 1 of mrn(50): written off in the setup
    keep(ex.post(f"/declarations/{mrn(99)}/invalidation", {"reason": "invalidation"}))
    reused = {"request_id": f"reused-{ex.rid()}", "mrn": mrn(60 + ex.n), "importer_eori": EORI,
              "items": [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "1"}]}  # fmt: skip
    assert ex.http.post("/api/customs/v1/declarations", reused, content_type="application/json").status_code == 201
    keep(
        ex.http.post("/api/customs/v1/declarations", {**reused, "mrn": mrn(61 + ex.n)}, content_type="application/json")
    )
    manual = {"line": line, "direction": "write_off", "net_weight": "1", "reason": "Recount"}
    keep(ex.post(f"/documents/{released.number}/manual", {**manual, "line": 999999}))
    keep(ex.post(f"/documents/{released.number}/manual", {**manual, "direction": "restore", "net_weight": "99999"}))
    keep(ex.post(f"/documents/{released.number}/manual", {**manual, "reason": "  "}))
    keep(ex.post("/records/999999/amendment", {"text": "x"}))
    keep(ex.post("/declarations", {"mrn": "not an MRN"}))
    twice = {"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "1"}
    keep(ex.post("/declarations", {"mrn": mrn(70), "importer_eori": EORI, "items": [twice, twice]}))
    keep(ex.post(f"/declarations/{mrn(52)}/amendment", {"importer_eori": EORI, "items": [twice]}))
    language = ex.http.defaults["HTTP_ACCEPT_LANGUAGE"]
    keep(importer.post("/api/customs/v1/availability", {"request_id": "r", "document": "X", "importer_eori": EORI,
                                                        "items": [{"cn_code": CASHEW, "net_weight": "1"}]}, content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE=language))  # fmt: skip
    keep(importer.post(f"/api/customs/v1/documents/{released.number}/manual", {"request_id": f"m-{language}", **manual},
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE=language))  # fmt: skip
    return found


def test_every_refusal_says_why_in_english_and_in_french(token, released, flow):
    blocked = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    depleted = flow.coi(COIStatus.RELEASED_ORGANIC)
    english, french = Exchange(token, "en"), Exchange(token, "fr")
    french.n = 1000  # its own request ids: the office's are one set
    assert english.declare(mrn(51), (depleted.number, CASHEW, "15800")).status_code == 201
    assert english.declare(mrn(50), (released.number, CASHEW, "1")).status_code == 201
    assert english.declare(mrn(52), (released.number, CASHEW, "1")).status_code == 201
    assert english.post(f"/declarations/{mrn(52)}/invalidation", {}).status_code == 200
    line = english.get(f"/documents/{released.number}").json()["lines"][0]["line"]
    importer = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(flow.w.importer, 'script')[1]}")

    en = _refusals(english, released, blocked, depleted, line, importer)
    fr = _refusals(french, released, blocked, depleted, line, importer)
    assert set(en) == set(fr) == {
        "document_not_found", "status_not_releasable", "depleted", "importer_mismatch", "cn_code_not_covered",
        "quantity_exceeds_remaining", "item_already_written_off", "declaration_not_found", "request_id_reused",
        "line_not_found", "restoration_exceeds_written_off", "reason_required", "record_not_found", "invalid",
        "not_customs", "not_competent_authority", "item_repeated", "declaration_invalidated",
    }  # fmt: skip
    for code in en:
        assert en[code][0] == fr[code][0], code  # availability answers 200 with its refusals listed
        assert en[code][1] and fr[code][1] and en[code][1] != fr[code][1], (code, en[code], fr[code])


def _field_errors(http: Client, language: str, token: str, importer: str) -> list[str]:
    """Every `errors[].msg` of invalid calls to both APIs (bodies, query strings, unknown fields, limits)."""
    ex = Exchange(token, language)
    main = Client(HTTP_AUTHORIZATION=f"Bearer {importer}", HTTP_ACCEPT_LANGUAGE=language)
    answers = [
        ex.post("/availability", {"document": "", "importer_eori": "x", "items": [], "colour": "blue"}),
        ex.post(
            "/declarations",
            {
                "mrn": "26FR1",
                "importer_eori": EORI,
                "declared_at": "2026-12-06T10:00:00",
                "items": [{"item_number": 0, "document": "A", "cn_code": "0801", "net_weight": "-1"}],
            },
        ),  # fmt: skip
        ex.post("/declarations/26FR00000000000001/invalidation", {"reason": "lost"}),
        ex.http.get("/api/customs/v1/documents", {"importer_eori": EORI}),
        main.post("/api/v1/certificates", {"exporter": "five", "colour": 1}, content_type="application/json"),
        main.get("/api/v1/certificates", {"stauts": "draft"}),
    ]
    messages = []
    for answer in answers:
        assert answer.status_code == 422, answer.content
        messages += [e["msg"] for e in answer.json()["errors"]]
    return messages


def test_every_invalid_field_s_message_follows_the_callers_language(token, flow):
    """`errors[].msg` (issue 24, fault 2) is in the caller's language as `detail` is, in both APIs: never
    pydantic's English ("Field required", "String should match pattern ...") on a French call."""
    _t, importer = ApiToken.issue(flow.w.importer, "test")
    english = _field_errors(Client(), "en", token, importer)
    french = _field_errors(Client(), "fr", token, importer)
    assert len(english) == len(french) >= 10
    assert "This field is required." in english and "Ce champ est obligatoire." in french
    assert "Champ inconnu : à retirer." in french
    pydantic_words = ("Input should", "String should", "Field required", "Extra inputs", "Value error")
    for message in english + french:
        assert not any(w in message for w in pydantic_words), message
    for en, fr in zip(english, french, strict=True):
        assert en != fr, en
