"""The help page "Statuses, and who may do what": its table is the workflow's own table."""

from __future__ import annotations

import pytest
from django.test import Client


def test_it_draws_the_table_from_the_workflow_table() -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/help/statuses/").content.decode()
    # From coi_forms/coi-1235-2008-matrix.csv: the first consignee signs box 21 when the consignment is verified.
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


# The help page of the 2021/2306 form (issue 14): prose per language, tables from the form's own table and CSVs.


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("Who fills what", "Time rules", "The decisions customs sees", "Box 31, the first consignee")),
        ("fr", ("Qui remplit quoi", "Délais", "Les décisions que voit la douane", "Case 31, le premier destinataire")),
    ],
)
def test_it_explains_the_2021_2306_form_in_the_readers_language(language: str, expected: tuple[str, ...]) -> None:
    from django.utils import translation
    from django.utils.html import escape

    from certificates.coi_forms import FormCode, get_form

    client = Client()
    client.cookies["django_language"] = language
    response = client.get("/help/form-2021-2306/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text
    coi_form = get_form(FormCode.R2021_2306)
    with translation.override(language):
        boxes = html[html.index('data-testid="boxes"') : html.index('data-testid="extract-boxes"')]
        for box in coi_form.boxes:
            if box.number:
                assert escape(str(box.title)) in boxes, box.key
        extract = html[html.index('data-testid="extract-boxes"') : html.index('data-testid="customs"')]
        assert all(escape(str(b.title)) in extract for b in coi_form.extract_boxes)
    assert 'href="/help/statuses/"' in html  # the help pages' own links around it


def test_it_draws_the_2021_2306_tables_from_the_forms_csv_and_links_it_from_the_help() -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/help/form-2021-2306/").content.decode()
    # From coi-2021-2306-matrix.csv: the authorities sign boxes 25 and 30 once the COI is issued.
    assert "Sign box 25" in html and "Sign box 30" in html and "Edit boxes 26 to 29" in html
    customs = html[html.index('data-testid="customs"') :].split("</table>")[0]
    assert "To be released as organic</th><td>accepted" in customs
    assert "Cannot be released for free circulation</th><td>not accepted" in customs
    for page in ("/help/", "/help/statuses/", "/help/certificate/"):
        assert 'href="/help/form-2021-2306/"' in client.get(page).content.decode(), page
