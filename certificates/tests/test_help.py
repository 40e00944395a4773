"""The help page "Statuses, and who may do what": its table is the workflow's own table."""

from __future__ import annotations

import pytest
from django.test import Client


def test_it_draws_the_table_from_the_workflow_table() -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/help/statuses/").content.decode()
    # From coi-edit-matrix.csv: the first consignee signs box 21 when the consignment is verified.
    assert "Sign box 21" in html
    assert "Initiate an extract of a lot" in html


@pytest.mark.parametrize(("language", "expected"), [("en", "Who may do what"), ("fr", "Qui peut faire quoi")])
def test_it_shows_the_statuses_page_among_the_help_pages_in_the_readers_language(language: str, expected: str) -> None:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get("/help/statuses/")
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert 'href="/help/contact/"' in html  # the help pages' own links around it
