"""The public page checks the seal of a PDF itself (the latest stored, or one uploaded): who sealed, when
(the timestamp), whether the chain and the revocation data hold, whether it is the latest version."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from weasyprint import HTML

from certificates.models import Certificate
from certificates.outputs.pdf_store import stored_pdf
from certificates.outputs.trial_pki import TrialPki
from certificates.outputs.verification import public_token
from certificates.statuses import COIStatus
from certificates.workflow_records import Signature


@pytest.fixture(autouse=True)
def _store(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _sealed_coi(world: Any) -> Certificate:
    coi = world.submitted()
    Signature.objects.create(
        certificate=coi, box="18", signer=world.control_body, signer_name="Élodie Certif",
        organisation="ECOCERT SA (MA-BIO-154)", place="Agadir", declaration="We declare the consignment organic.",
    )  # fmt: skip
    Certificate.objects.filter(pk=coi.pk).update(status=COIStatus.ISSUING_BODY_SIGNED)
    return Certificate.objects.get(pk=coi.pk)


def _upload(client: Any, coi: Certificate, pdf: bytes, language: str = "en") -> str:
    response = client.post(
        f"/v/{public_token(coi)}",
        {"pdf": SimpleUploadedFile("coi.pdf", pdf, content_type="application/pdf")},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return response.content.decode()


def _tampered(pdf: bytes) -> bytes:
    changed = bytearray(pdf)
    changed[changed.index(b"stream") + 20] ^= 0x01
    return bytes(changed)


def test_it_checks_the_seal_of_the_latest_stored_pdf(world: Any, client: Any, pki_seal: TrialPki) -> None:
    coi = _sealed_coi(world)
    page = client.get(f"/v/{public_token(coi)}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The latest PDF of this certificate:" in page and "the seal is valid." in page
    assert "OpenCOI trial seal" in page
    assert "OpenCOI Trial Time-Stamping Authority" in page
    assert "holds (to a trusted root)" in page and "hold: not revoked at the timestamp" in page
    assert "the latest version" in page


def test_it_shows_an_uploaded_pdf_with_one_changed_byte_as_not_valid(
    world: Any, client: Any, pki_seal: TrialPki
) -> None:
    coi = _sealed_coi(world)
    pdf = stored_pdf(coi, "en").content
    assert "the seal is valid." in _upload(client, coi, pdf)
    page = _upload(client, coi, _tampered(pdf))
    assert "The PDF you checked:" in page and "the seal is NOT valid." in page
    assert "no: the file was changed after it was sealed" in page


def test_it_tells_an_older_version_from_the_latest(world: Any, client: Any, pki_seal: TrialPki) -> None:
    coi = _sealed_coi(world)
    old = stored_pdf(coi, "en").content
    Certificate.objects.filter(pk=coi.pk).update(updated_at=timezone.now() + datetime.timedelta(minutes=1))
    page = _upload(client, coi, old)
    assert "the seal is valid." in page  # sealed then, still sealed ...
    assert "an older version: the certificate changed since" in page  # ... but not the latest


def test_it_tells_a_pdf_of_another_coi_and_an_unsealed_pdf(world: Any, client: Any, pki_seal: TrialPki) -> None:
    coi = _sealed_coi(world)
    other = _sealed_coi(world)
    page = _upload(client, coi, stored_pdf(other, "en").content)
    assert "this PDF is not of this certificate" in page and "the seal is NOT valid." in page
    unsealed = HTML(string="<p>COI</p>").write_pdf()
    assert "it carries no seal: not valid." in _upload(client, coi, unsealed)


def test_it_refuses_an_upload_without_a_file(world: Any, client: Any, pki_seal: TrialPki) -> None:
    coi = _sealed_coi(world)
    response = client.post(f"/v/{public_token(coi)}", {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Choisissez le fichier PDF à vérifier." in response.content.decode()


def test_it_says_it_in_french(world: Any, client: Any, pki_seal: TrialPki) -> None:
    coi = _sealed_coi(world)
    page = _upload(client, coi, _tampered(stored_pdf(coi, "fr").content), language="fr")
    assert "Le PDF vérifié :" in page and "le cachet n’est PAS valide." in page


def test_it_answers_503_instead_of_an_unsealed_pdf_when_the_tsa_is_down(
    world: Any, client: Any, pki_seal: TrialPki, settings: Any
) -> None:
    coi = _sealed_coi(world)
    settings.SEAL_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens there
    client.force_login(world.importer)
    response = client.get(f"/certificates/{coi.pk}/pdf?lang=en")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "The PDF cannot be sealed right now" in response.content.decode()
