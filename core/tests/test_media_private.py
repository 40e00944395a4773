"""Issue 12, point 12: uploaded documents and stored PDFs are served only to the COI's parties, by the
permission-checked views, even with DEBUG on; a stored PDF's name holds nothing an outsider can compute."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import clear_url_caches

import opencoi.urls
from certificates.outputs import pdf_store
from core.tests.security_world import Scene, build_scene, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


@pytest.fixture
def debug_urls(settings: Any) -> Iterator[None]:
    """The site's URLs as `make demo` builds them: with DEBUG on."""
    settings.DEBUG = True
    importlib.reload(opencoi.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(opencoi.urls)
    clear_url_caches()


def test_it_serves_no_document_or_pdf_from_media_with_debug_on(scene: Scene, debug_urls: None) -> None:
    importer = Client()
    importer.force_login(scene.w.importer)
    assert importer.get(f"/certificates/{scene.draft.pk}/pdf").status_code == 200
    stored = [f"coi-pdf/{scene.draft.pk}/{name}" for name in default_storage.listdir(f"coi-pdf/{scene.draft.pk}")[1]]
    assert stored
    for name in [scene.document.file.name, *stored]:
        url = default_storage.url(name)
        assert url.startswith("/media/")
        for client in (Client(), importer):
            assert client.get(url).status_code == 404, url
    download = importer.get(f"/certificates/{scene.draft.pk}/documents/{scene.document.pk}/")
    assert download.status_code == 200
    outsider = Client()
    outsider.force_login(scene.w.outsider_importer)
    assert outsider.get(f"/certificates/{scene.draft.pk}/documents/{scene.document.pk}/").status_code == 404


def test_a_stored_pdf_name_depends_on_the_servers_secret(scene: Scene) -> None:
    coi = scene.draft
    name = pdf_store._name(coi, "fr")
    last_step = coi.history.order_by("-pk").values_list("pk", flat=True).first()
    public = f"{coi.updated_at.isoformat()}|{last_step}|{coi.status}|{coi.number}|"
    guesses = {hashlib.sha256(f"{public}{seal}".encode()).hexdigest()[:20] for seal in (True, False)}
    assert not any(guess in name for guess in guesses)
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only"):
        assert pdf_store._name(coi, "fr") != name
    assert pdf_store._name(coi, "fr") == name  # the same version finds its file again
