"""Every GET of the customs exchange, and of the main API, refuses a query parameter it does not declare and a
malformed one, 422 at that parameter (issue 24, fault 3): `cn_code=zz` is not an empty list, a misspelt
`request_idd` is not ignored."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken

from .conftest import EORI


def refused_at(answer) -> list[str]:
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == "invalid"
    return [e["loc"][-1] for e in answer.json()["errors"]]


@pytest.mark.parametrize(
    "query, at",
    [
        ({"cn_code": "zz"}, "cn_code"),
        ({"cn_code": "0801"}, "cn_code"),
        ({"importer_eori": "12"}, "importer_eori"),
        ({"issued_from": "yesterday"}, "issued_from"),
        ({"issued_to": "2026-13-01"}, "issued_to"),
        ({"request_id": "a b"}, "request_id"),
        ({"cn_codes": "08013200"}, "cn_codes"),
    ],
)
def test_it_refuses_a_malformed_or_unknown_parameter_of_the_list(exchange, released, query, at):
    assert refused_at(exchange.get("/documents", **{"importer_eori": EORI, **query})) == [at]


def test_it_refuses_an_unknown_parameter_of_one_document_and_a_malformed_number(exchange, released):
    assert refused_at(exchange.get(f"/documents/{released.number}", colour="blue")) == ["colour"]
    assert refused_at(exchange.get("/documents/" + "9" * 31)) == ["reference"]
    assert exchange.get(f"/documents/{released.number}").status_code == 200


def test_the_main_api_refuses_malformed_countries_and_languages(flow):
    _t, secret = ApiToken.issue(flow.w.importer, "test")
    http = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused_at(http.get("/api/v1/operators", {"country": "Morocco"})) == ["country"]
    assert refused_at(http.get("/api/v1/authorities", {"country": "F1"})) == ["country"]
    assert refused_at(http.get("/api/v1/points-of-entry", {"country": "FRA"})) == ["country"]
    assert refused_at(http.get("/api/v1/control-bodies", {"country": "1"})) == ["country"]
    assert refused_at(http.get("/api/v1/reference/cn-tree", {"lang": "xx"})) == ["lang"]
    assert refused_at(http.get("/api/v1/reference/cn", {"q": "cajou", "lang": "klingon"})) == ["lang"]
    assert refused_at(http.get("/api/v1/authorities", {"contry": "FR"})) == ["contry"]
    assert http.get("/api/v1/authorities", {"country": "fr"}).status_code == 200
    assert http.get("/api/v1/reference/cn-tree", {"lang": "fr"}).status_code == 200
