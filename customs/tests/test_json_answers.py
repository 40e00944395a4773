"""Every answer of the exchange is JSON with a code for the machine and a sentence in the caller's language, as its
OpenAPI document declares, even when Django or Django Ninja answers rather than an operation: a body that is not
JSON (Ninja's English "Cannot parse request body", without a code), a method no operation takes (Django's text
405), a path no route takes with DEBUG on (Django's HTML page), a server error (Django's HTML 500), no token or a
revoked one. The same for the main API's unreadable body. The OpenAPI document does not offer the main API's
`Idempotency-Key`, which the exchange ignores: its request ids do that job."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken
from customs import quantities
from customs.models import CustomsClient

from .conftest import EORI, mrn

CASHEW = "08013200"


def _json(r):
    assert r["Content-Type"].startswith("application/json"), (r.status_code, r.content[:200])
    body = r.json()
    assert body["code"] and body["detail"], body
    return body


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_answers_a_body_that_is_not_json_in_json_with_a_code(token, office, language):
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)
    r = http.post("/api/customs/v1/declarations", '{"request_id": ', content_type="application/json")
    assert r.status_code == 400
    body = _json(r)
    assert body["code"] == "bad_request"
    expected = {"en": "The request body cannot be read.", "fr": "Le corps de la requête est illisible."}
    assert body["detail"] == expected[language]


def test_the_main_api_answers_a_body_that_is_not_json_likewise(world):
    _token, secret = ApiToken.issue(world.importer, "script")
    http = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="fr")
    r = http.post("/api/v1/certificates", '{"form": ', content_type="application/json")
    assert (r.status_code, _json(r)["code"]) == (400, "bad_request")


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_json_for_a_method_or_a_path_no_operation_takes(token, office, settings, debug):
    settings.DEBUG = debug
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="fr")
    r = http.get("/api/customs/v1/declarations")
    assert (r.status_code, _json(r)["code"]) == (405, "method_not_allowed")
    r = http.get("/api/customs/v1/no-such-thing")
    assert (r.status_code, _json(r)["code"]) == (404, "not_found")


def test_it_answers_json_when_the_server_fails(token, released, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(quantities, "declare", broken)
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
    body = {"request_id": "r-500", "mrn": mrn(1), "importer_eori": EORI,
            "items": [{"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "1"}]}  # fmt: skip
    r = http.post("/api/customs/v1/declarations", body, content_type="application/json")
    assert (r.status_code, _json(r)["code"]) == (500, "server_error")


def test_it_answers_no_token_and_a_revoked_one_with_a_code_in_french(office):
    client, secret = CustomsClient.issue(office, "Revoked")
    client.revoke()
    for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}, {"HTTP_AUTHORIZATION": "Bearer occ_nonsense"}):
        r = Client(HTTP_ACCEPT_LANGUAGE="fr", **headers).post("/api/customs/v1/availability", {}, "application/json")
        assert r.status_code == 401
        assert _json(r) == {"detail": "Authentification requise.", "code": "not_authenticated"}


def test_its_openapi_document_offers_no_idempotency_key_but_the_main_api_s_does(client, db):
    def headers(url):
        schema = client.get(url).json()
        return {
            p["name"]
            for ops in schema["paths"].values()
            for op in ops.values()
            for p in op.get("parameters", [])
            if p["in"] == "header"
        }

    assert "Idempotency-Key" not in headers("/api/customs/v1/openapi.json")
    assert "Idempotency-Key" in headers("/api/v1/openapi.json")
