from __future__ import annotations

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from reference.loader import LoadResult


@pytest.fixture
def client_in(client: Client, db: None) -> Client:
    client.force_login(UserFactory())
    return client


def test_it_requires_a_logged_in_person(client: Client, db: None) -> None:
    assert client.get("/api/v1/reference/cn?q=cajou").status_code == 401


def test_it_searches_cn_codes(client_in: Client, cn_codes: LoadResult) -> None:
    found = client_in.get("/api/v1/reference/cn", {"q": "cajou", "lang": "fr", "limit": 2}).json()
    assert [c["code"] for c in found] == ["08013100", "08013200"]
    assert found[1]["formatted"] == "0801 32 00"
    assert found[1]["description"] == "Noix de cajou, fraîches ou sèches, sans coques"
    english = client_in.get("/api/v1/reference/cn", {"q": "0801 32", "lang": "en"}).json()
    assert english[0]["description"] == "Cashew nuts, fresh or dried, shelled" and english[0]["categories"] == "A"


def test_it_browses_a_code_with_its_children(client_in: Client, cn_codes: LoadResult) -> None:
    heading = client_in.get("/api/v1/reference/cn/0801?lang=fr").json()
    assert heading["parent"] == "08" and [p["code"] for p in heading["path"]] == ["08"]
    assert "080132" in [c["code"] for c in heading["children"]]
    chapters = client_in.get("/api/v1/reference/cn-tree").json()
    assert chapters[0]["code"] == "01"
    assert client_in.get("/api/v1/reference/cn/99999999").status_code == 404


def test_it_lists_countries_in_a_language(client_in: Client) -> None:
    countries = {c["value"]: c["label"] for c in client_in.get("/api/v1/reference/countries?lang=fr").json()}
    assert countries["MA"] == "Maroc" and countries["DE"] == "Allemagne"


def test_it_lists_the_coi_lists(client_in: Client) -> None:
    documents = {d["value"]: d for d in client_in.get("/api/v1/reference/document-types").json()}
    assert [f["name"] for f in documents["bill_of_lading"]["mandatory_fields"]] == [
        "reference",
        "date",
        "issuing_country",
    ]
    assert {"value": "BG", "label": "Bag"} in client_in.get("/api/v1/reference/packaging-types").json()
    assert [u["value"] for u in client_in.get("/api/v1/reference/weight-units").json()] == ["kg", "t"]
    assert "vessel" in [m["value"] for m in client_in.get("/api/v1/reference/transport-modes").json()]
