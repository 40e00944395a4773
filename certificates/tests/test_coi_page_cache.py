"""The COI page's shared parts (boxes, documents, checks and signatures, timeline) are rendered once per version
of the COI and language, and a change shows at once on every party's page, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import page_cache
from certificates.services import add_document, remove_document, update_boxes
from certificates.workflow.certification import record_checks

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCUMENT = {"type": "other", "reference": "CACHE-DOC-7", "date": "2025-03-01", "description": "Packing note"}


def _page(user: Any, coi: Any, language: str) -> str:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    user.language = language
    user.save(update_fields=["language"])
    response = client.get(reverse("certificates:detail", args=[coi.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _parties(world: Any) -> list[Any]:
    return [world.importer, world.exporter, world.control_body, world.consignee, world.inao_agent]


def test_it_shows_a_changed_box_at_once_to_every_party_in_both_languages(world):
    coi = world.submitted()
    for user in _parties(world):
        for language in ("en", "fr"):
            assert "MSC Agadir" in _page(user, coi, language)

    update_boxes(world.person(world.control_body), coi.pk, {"transport_identification": "CMA CGM Tanger"})

    for user in _parties(world):
        for language in ("en", "fr"):
            html = _page(user, coi, language)
            assert "CMA CGM Tanger" in html and "MSC Agadir" not in html.split('id="history"')[0]


def test_it_shows_the_timeline_and_the_checks_of_a_new_step_at_once(world):
    coi = world.submitted()
    before = {language: _page(world.importer, coi, language) for language in ("en", "fr")}
    assert "Documentary check" not in before["en"] and "Contrôle documentaire" not in before["fr"]

    record_checks(world.person(world.control_body), coi.pk, documentary="acceptable", physical="acceptable")

    assert "Documentary check" in _page(world.importer, coi, "en")
    assert "Contrôle documentaire" in _page(world.importer, coi, "fr")


def test_it_shows_an_added_and_a_withdrawn_document_at_once_to_readers(world):
    coi = world.submitted()
    assert "CACHE-DOC-7" not in _page(world.exporter, coi, "en")

    upload = SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")
    document = add_document(world.person(world.importer), coi.pk, DOCUMENT, upload)
    for language in ("en", "fr"):
        assert "CACHE-DOC-7" in _page(world.exporter, coi, language)

    # After submission a removed document is withdrawn: kept, struck through.
    remove_document(world.person(world.importer), coi.pk, document.pk)
    for language in ("en", "fr"):
        documents = _page(world.exporter, coi, language).split('id="documents"')[1].split("</section>")[0]
        assert "<del" in documents and "CACHE-DOC-7" in documents


def test_it_renders_the_shared_parts_once_per_version_and_language(world):
    coi = world.submitted()
    client = Client()
    client.force_login(world.importer)
    url = reverse("certificates:detail", args=[coi.pk])

    def lines_read() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum("certificates_commodityline" in q["sql"] for q in queries.captured_queries)

    assert lines_read() == 1
    assert lines_read() == 0
    # Another party, same version and language: already rendered.
    other = Client()
    other.force_login(world.control_body)
    with CaptureQueriesContext(connection) as queries:
        assert other.get(url).status_code == 200
    assert not any("certificates_commodityline" in q["sql"] for q in queries.captured_queries)


def test_it_reads_the_signatures_once_when_it_renders_the_shared_parts(world):
    """The page right after a step (its parts not rendered yet, as after a desk's submission) reads the COI's
    signatures once: the boxes' rows read them again (box 18's signature, 21 queries for a bench COI: 22 before)."""
    coi = world.submitted()
    client = Client()
    client.force_login(world.exporter)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("certificates:detail", args=[coi.pk])).status_code == 200
    assert sum('FROM "certificates_signature"' in q["sql"] for q in queries.captured_queries) == 1


def _list(user: Any, language: str) -> str:
    client = Client()
    client.force_login(user)
    user.language = language
    user.save(update_fields=["language"])
    response = client.get(reverse("certificates:list"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_changed_row_of_the_list_at_once_to_every_party(world):
    coi = world.submitted()
    for user in (world.importer, world.control_body, world.consignee):
        for language in ("en", "fr"):
            assert "REF-CACHE-2" not in _list(user, language)

    update_boxes(world.person(world.control_body), coi.pk, {"national_reference": "REF-CACHE-2"})

    for user in (world.importer, world.control_body, world.consignee):
        for language in ("en", "fr"):
            assert "REF-CACHE-2" in _list(user, language)


def test_it_renders_each_row_of_the_list_once_per_version(world):
    world.submitted()
    client = Client()
    client.force_login(world.importer)

    def products_read() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("certificates:list"))
        assert response.status_code == 200 and "08013200" in response.content.decode().replace(" ", "")
        return sum("certificates_commodity" in q["sql"] for q in queries.captured_queries)

    assert products_read() == 1
    assert products_read() == 0


def test_it_has_the_list_row_ready_in_both_languages_once_the_worker_warmed_a_step(world):
    coi = world.submitted()
    update_boxes(world.person(world.control_body), coi.pk, {"national_reference": "REF-WARM-3"})
    page_cache.warm(coi.pk)  # what the task worker runs after each step (`pdf_store.prerender`)

    for language in ("en", "fr"):
        client = Client()
        client.force_login(world.importer)
        world.importer.language = language
        world.importer.save(update_fields=["language"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("certificates:list"), {"number": coi.number})
        assert response.status_code == 200 and "REF-WARM-3" in response.content.decode()
        assert not any("certificates_commodity" in q["sql"] for q in queries.captured_queries), language
