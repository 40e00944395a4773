from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("language", "page", "expected"),
    [
        ("en", "registration", "Attach your account to your organisation"),
        ("fr", "registration", "Rattacher votre compte à votre organisation"),
        ("en", "certificate", "Products first"),
        ("fr", "certificate", "Les produits d'abord"),
        ("en", "contact", "support@opencoi.example"),
        ("fr", "contact", "support@opencoi.example"),
    ],
)
def test_it_shows_the_help_in_the_readers_language(language: str, page: str, expected: str) -> None:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(f"/help/{page}/")
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_it_draws_the_table_from_the_workflow_table() -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/help/statuses/").content.decode()
    # From coi-edit-matrix.csv: the first consignee signs box 21 when the consignment is verified.
    assert "Sign box 21" in html
    assert "Initiate an extract of a lot" in html


def test_it_answers_404_for_an_unknown_page() -> None:
    assert Client().get("/help/nope/").status_code == 404
