"""A COI's PDF is rendered once per version and read back after; a change gives a new version."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from certificates.outputs import pdf_store
from certificates.outputs.pdf_store import prerender, stored_pdf
from certificates.services import create_draft
from certificates.workflow.certification import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: object) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def _draft(world):
    exporter = world.exporter
    coi, _problems = create_draft(
        world.person(exporter), world.membership(exporter), world.complete_data(), form=world.form
    )
    return coi


def test_it_renders_once_per_version_and_again_after_a_change(world, monkeypatch):
    coi = _draft(world)
    renders = []
    real = pdf_store.render_pdf
    monkeypatch.setattr(pdf_store, "render_pdf", lambda pk, lang: renders.append(lang) or real(pk, lang))

    first = stored_pdf(coi, "fr")
    again = stored_pdf(coi, "fr")
    assert renders == ["fr"]
    assert again.content == first.content and first.content.startswith(b"%PDF")

    submit(world.person(world.exporter), coi.pk)
    coi.refresh_from_db()
    after = stored_pdf(coi, "fr")
    assert renders == ["fr", "fr"]
    assert after.content != first.content
    # The old version's file is gone: one file per language and COI.
    assert len(default_storage.listdir(f"coi-pdf/{coi.pk}")[1]) == 1


def test_the_task_renders_both_languages_ahead(world):
    coi = _draft(world)
    assert prerender.call(coi.pk) == 2
    assert sorted(n.split("-")[0] for n in default_storage.listdir(f"coi-pdf/{coi.pk}")[1]) == ["en", "fr"]


def test_it_renders_the_pdfs_ahead_once_a_step_is_committed_not_before(
    world, settings, django_capture_on_commit_callbacks
):
    settings.PDF_PRERENDER = True
    coi = _draft(world)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        submit(world.person(world.exporter), coi.pk)
    assert not default_storage.exists(f"coi-pdf/{coi.pk}")  # nothing rendered inside the step's transaction
    for callback in pending:
        callback()
    assert sorted(n.split("-")[0] for n in default_storage.listdir(f"coi-pdf/{coi.pk}")[1]) == ["en", "fr"]


def test_a_stored_pdf_read_back_is_still_sealed_once_box_18_is_signed(world, tmp_path, settings):
    from certificates.outputs.seal import check_seal, generate_self_signed

    settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE = tmp_path / "seal.key", tmp_path / "seal.crt"
    generate_self_signed(settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE, common_name="Test seal")
    coi = world.submitted()
    coi.status = "issuing_body_signed"  # a status reached only once box 18 is signed
    coi.save()
    first, again = stored_pdf(coi, "en"), stored_pdf(coi, "en")
    assert first.sealed and again.sealed
    assert check_seal(again.content).intact


def test_it_renders_every_cois_pdfs_of_a_step_in_one_task(world):
    """A step writing the history of several COIs (a split, a replacement) queues one render for them all."""
    first, second = _draft(world), _draft(world)
    assert prerender.call(first.pk, second.pk) == 4
    for coi in (first, second):
        assert sorted(n.split("-")[0] for n in default_storage.listdir(f"coi-pdf/{coi.pk}")[1]) == ["en", "fr"]
