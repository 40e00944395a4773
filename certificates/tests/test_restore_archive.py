"""The same archive (`manage.py backup`) restored on a fresh machine: a flushed database and an empty store
(issue 26 point 1). Every COI's page reads the same, each sealed PDF kept in the store comes back byte for byte
and its seal is valid (pyHanko from the PDF alone, and poppler's pdfsig), each document downloads the same."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from certificates.models import Certificate, Document
from certificates.outputs.pdf_store import stored_pdf
from certificates.outputs.seal import check_seal
from certificates.outputs.trial_pki import TrialPki
from certificates.services import add_document
from certificates.statuses import COIStatus
from certificates.tests.seal_pki import pdfsig
from certificates.tests.workflow_world import make_flow
from core.tests.security_world import DOCUMENT_FIELDS, PDF

pytestmark = pytest.mark.django_db(transaction=True)
TOKENS = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": |nonce=)"[^"]*"')


def _seen(user: Any, cois: list[int]) -> dict[str, bytes]:
    """What the user reads: each COI's page (its per-request tokens blanked) and PDF, each document's file."""
    client = Client()
    client.force_login(user)
    seen = {}
    for pk in cois:
        page = client.get(f"/certificates/{pk}/", HTTP_ACCEPT_LANGUAGE="fr")
        assert page.status_code == 200
        seen[f"page {pk}"] = TOKENS.sub(r'\1""', page.content.decode()).encode()
        seen[f"pdf {pk}"] = client.get(f"/certificates/{pk}/pdf?lang=fr").content
    for document in Document.objects.order_by("pk"):
        answer = client.get(f"/certificates/{document.certificate_id}/documents/{document.pk}/")
        seen[f"document {document.pk}"] = b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    return seen


def test_it_restores_an_archive_on_a_fresh_database_and_store_with_the_same_pages_and_valid_seals(
    world: Any, pki_seal: TrialPki, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "store-before"
    flow = make_flow(world)
    cois = [flow.coi(COIStatus.DRAFT), flow.coi(COIStatus.ISSUING_BODY_SIGNED), flow.coi(COIStatus.RELEASED_ORGANIC
            if world.form == "2021/2306" else COIStatus.CONSIGNMENT_VERIFIED)]  # fmt: skip
    upload = SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")
    add_document(world.person(world.importer), cois[0].pk, DOCUMENT_FIELDS, upload)
    signed = [c for c in Certificate.objects.filter(pk__in=[c.pk for c in cois]) if c.status != COIStatus.DRAFT]
    kept = {c.pk: stored_pdf(c, "fr").content for c in signed}  # rendered, sealed and kept in the store
    before = _seen(world.importer, [c.pk for c in cois])
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "store-after"  # a fresh store: nothing in it but what the archive holds
    call_command("restore", str(archive))

    after = _seen(world.importer, [c.pk for c in cois])
    assert after.keys() == before.keys() and len(after) == 2 * len(cois) + 1
    assert {k: v for k, v in after.items() if v != before[k]} == {}  # every page, PDF and document the same
    for coi in Certificate.objects.filter(pk__in=kept):
        restored = stored_pdf(coi, "fr").content
        assert restored == kept[coi.pk]  # read back from the restored store, not sealed again
        check = check_seal(restored)
        assert check.valid and check.timestamped, check.details
        assert "Signature Validation: Signature is Valid." in pdfsig(restored, pki_seal, tmp_path)
    assert default_storage.exists(Document.objects.get().file.name)
