"""Accompanying documents as guide 000, 3.1 describes them: the type first, then that type's mandatory fields,
marked, labelled in the reader's language; errors name the field's label; the page and the API refuse alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from reference.lists import DOCUMENT_FIELDS, DocumentField, DocumentType, document_fields

from .test_api import PDF, auth

pytestmark = pytest.mark.django_db
API = "/api/v1/certificates"


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def french(user: Any) -> Any:
    user.language = "fr"
    user.save(update_fields=["language"])
    return user


def page(coi: Any) -> str:
    return f"/certificates/{coi.pk}/documents/"


def test_it_lets_the_uploader_pick_the_type_before_showing_any_field(client, world):
    coi = world.draft()
    client.force_login(world.importer)
    detail = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert 'name="type"' in detail and 'name="reference"' not in detail and 'name="issuer"' not in detail
    step_one = client.get(page(coi)).content.decode()
    assert 'name="reference"' not in step_one and "Choose the type of document first" in step_one


@pytest.mark.parametrize("doc_type", DocumentType.values)
def test_it_shows_each_type_its_own_fields_with_the_mandatory_ones_marked(client, world, doc_type):
    coi = world.draft()
    client.force_login(world.importer)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # without JavaScript (whole page) and with htmx (fragment)
        html = client.get(page(coi), {"type": doc_type}, **headers).content.decode()
        shown = {f.name for f in document_fields(doc_type)}
        for field in ("reference", "date", "issuer", "issuing_country", "description"):
            assert (f'name="{field}"' in html) == (field in shown), (doc_type, field)
        for spec in document_fields(doc_type):
            marked = f'<label for="doc-{spec.name}">{spec.label} <span aria-hidden="true">*</span></label>'
            assert (marked in html) == spec.required, (doc_type, spec.name)


def test_it_labels_the_fields_in_french_for_a_french_reader(client, world):
    coi = world.draft()
    client.force_login(french(world.importer))
    html = client.get(page(coi), {"type": "bill_of_lading"}).content.decode()
    with translation.override("fr"):
        french_labels = [escape(spec.label) for spec in document_fields("bill_of_lading")]
    assert all(f"{label} <span" in html or f"{label}</label>" in html for label in french_labels)
    assert "Issuing country" not in html and "Date of issue" not in html and "Pays d" in html


def test_it_names_the_missing_field_by_its_label_and_keeps_what_was_typed(client, world):
    coi = world.draft()
    client.force_login(french(world.importer))
    upload = SimpleUploadedFile("bl.pdf", PDF, content_type="application/pdf")
    post = {"type": "bill_of_lading", "reference": "BL-MSC-2026-88", "date": "2026-11-02", "file": upload}
    r = client.post(page(coi), post)
    html = r.content.decode()
    assert r.status_code == 422
    with translation.override("fr"):
        country = escape(DocumentField.ISSUING_COUNTRY.label)
    assert f"« {country} » est obligatoire pour ce type de document (Connaissement)" in html
    assert "issuing_country:" not in html and "reference:" not in html
    assert 'value="BL-MSC-2026-88"' in html and 'value="2026-11-02"' in html
    assert '<option value="bill_of_lading" selected>' in html
    assert coi.documents.count() == 0


def test_it_attaches_a_document_of_a_type_with_its_fields_and_returns_to_the_page_it_came_from(client, world):
    coi = world.draft()
    client.force_login(world.importer)
    upload = SimpleUploadedFile("pl.pdf", PDF, content_type="application/pdf")
    post = {"type": "packing_list", "reference": "PL-7", "date": "2026-11-02", "next": "edit", "file": upload}
    r = client.post(page(coi), post)
    assert r.status_code == 302 and r.url == f"/certificates/{coi.pk}/edit/"
    document = coi.documents.get()
    assert (document.type, document.reference, str(document.date)) == ("packing_list", "PL-7", "2026-11-02")


def test_it_refuses_on_the_page_and_the_api_a_field_the_type_does_not_have(client, world):
    coi = world.draft()
    client.force_login(world.importer)
    fields = {"type": "packing_list", "reference": "PL-7", "date": "2026-11-02", "issuing_country": "MA"}
    r = client.post(page(coi), {**fields, "file": SimpleUploadedFile("pl.pdf", PDF)})
    assert r.status_code == 422
    assert "“Issuing country” is not a field of this type of document (Packing list)." in r.content.decode()
    r = client.post(
        f"{API}/{coi.pk}/documents", {**fields, "file": SimpleUploadedFile("pl.pdf", PDF)}, **auth(world.importer)
    )
    assert r.status_code == 422 and set(r.json()["boxes"]) == {"issuing_country"}
    assert coi.documents.count() == 0


@pytest.mark.parametrize("doc_type", DocumentType.values)
def test_it_refuses_through_the_api_each_types_missing_mandatory_fields_by_label(client, world, doc_type):
    coi = world.draft()
    headers = auth(french(world.importer))
    r = client.post(
        f"{API}/{coi.pk}/documents", {"type": doc_type, "file": SimpleUploadedFile("d.pdf", PDF)}, **headers
    )
    assert r.status_code == 422
    boxes = r.json()["boxes"]
    assert set(boxes) == set(DOCUMENT_FIELDS[doc_type])
    with translation.override("fr"):
        for spec in document_fields(doc_type):
            if spec.required:
                assert f"« {spec.label} »" in boxes[spec.name][0]


def test_it_names_a_documents_missing_field_by_its_label_on_submission(world):
    from certificates.rules import DocumentFieldsGiven

    coi = world.draft()
    coi.documents.create(type="invoice", reference="INV-1", issuer="Atlas", original_name="i.pdf", content_type="x")
    problems = DocumentFieldsGiven().check(coi)
    assert problems["documents"] == ["Commercial invoice INV-1: “Date of issue” missing."]


def test_it_lists_each_types_fields_through_the_api(client, world):
    client.force_login(french(world.importer))
    types = {t["value"]: t for t in client.get("/api/v1/reference/document-types").json()}
    fields = types["packing_list"]["fields"]
    assert [(f["name"], f["required"]) for f in fields] == [
        ("reference", True),
        ("date", True),
        ("issuer", False),
        ("description", False),
    ]
    with translation.override("fr"):
        assert fields[0]["label"] == str(DocumentField.REFERENCE.label)


@pytest.mark.parametrize(("language", "name"), [("en", "Germany"), ("fr", "Allemagne")])
def test_it_names_a_documents_issuing_country_in_the_readers_language(client, world, language, name):
    draft, submitted = world.draft(), world.submitted()
    for coi in (draft, submitted):
        coi.documents.create(
            type="invoice", issuing_country="DE", issuer="Atlas Organic", original_name="i.pdf", content_type="x"
        )
    # The importer edits the draft (rows rendered for them); the control body reads the submitted COI (the
    # rows every reader shares).
    for user, coi in ((world.importer, draft), (world.control_body, submitted)):
        user.language = language
        user.save(update_fields=["language"])
        client.force_login(user)
        html = client.get(f"/certificates/{coi.pk}/").content.decode()
        assert f"Atlas Organic {name} <span" in html, (user.email, coi.status)
        assert "Atlas Organic DE" not in html
