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
    found = client_in.get("/api/v1/reference/cn", {"q": "cajou sans coques", "lang": "fr", "limit": 50}).json()
    cashew = next(c for c in found if c["code"] == "08013200")
    assert cashew["formatted"] == "0801 32 00" and cashew["description"] == "sans coques"
    assert cashew["full_description"].startswith("Noix de coco, noix du Brésil et noix de cajou")
    assert cashew["full_description"].endswith("décortiquées\u00a0: Noix de cajou\u00a0: sans coques")
    english = client_in.get("/api/v1/reference/cn", {"q": "0801 32", "lang": "en"}).json()
    assert english[0]["description"] == "Shelled" and english[0]["categories"] == "A"
    assert english[0]["full_description"].endswith("whether or not shelled or peeled: Cashew nuts: Shelled")


def test_it_browses_a_code_with_its_children(client_in: Client, cn_codes: LoadResult) -> None:
    heading = client_in.get("/api/v1/reference/cn/0801?lang=fr").json()
    assert heading["parent"] == "08" and [p["code"] for p in heading["path"]] == ["08"]
    assert "08013200" in [c["code"] for c in heading["children"]]
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
