from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("language", "page", "expected"),
    [
        ("en", "registration", "Attach your account to your organisation"),
        ("fr", "registration", "Rattacher votre compte à votre organisation"),
        ("en", "certificate", "Products first"),
        ("fr", "certificate", "Les produits d’abord"),
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


def test_it_answers_404_for_an_unknown_page() -> None:
    assert Client().get("/help/nope/").status_code == 404
