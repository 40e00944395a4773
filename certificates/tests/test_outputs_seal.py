"""The seal: PAdES B-LT from a key in SoftHSM2, timestamped by the trial PKI's TSA, with its validation data;
checked by pyHanko from the PDF alone, and by poppler's pdfsig and OpenSSL as independent validators."""

from __future__ import annotations

import datetime
import subprocess  # noqa: S404 - openssl checks the timestamp token independently
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from certificates.outputs import seal
from certificates.outputs.seal import SealError, add_archive_timestamp, check_seal, generate_self_signed, seal_pdf
from certificates.outputs.trial_pki import TrialPki
from certificates.tests.seal_pki import ocsp_response, pdfsig, use_seal, with_dss

LATER = datetime.datetime(2091, 1, 1, tzinfo=datetime.UTC)  # after seal-revoked-later's revocation (2090)


def _pdf() -> bytes:
    return HTML(string="<h1>Certificate of inspection</h1><p>COI.EU.MA.2026.0000001</p>").write_pdf()


def _tampered(pdf: bytes) -> bytes:
    """One byte changed inside what the seal signed (the page's text stream, before the signature)."""
    changed = bytearray(pdf)
    position = changed.index(b"stream") + 20
    changed[position] ^= 0x01
    return bytes(changed)


def test_it_seals_through_the_token_with_a_timestamp_and_validation_data(pki_seal: TrialPki) -> None:
    sealed = seal_pdf(_pdf(), reason="COI.EU.MA.2026.0000001", version="abc-1")
    check = check_seal(sealed)
    assert check.valid, check.details
    assert check.sealed and check.intact and check.trusted and check.timestamped and check.revocation_ok
    assert "OpenCOI trial seal" in check.signer
    assert "OpenCOI Trial Time-Stamping Authority" in check.tsa
    assert check.sealed_at is not None
    assert check.version == "abc-1"
    dss = DocumentSecurityStore.read_dss(PdfFileReader(BytesIO(sealed)))
    assert list(dss.ocsps) and list(dss.crls)  # the seal's OCSP answer, the CAs' CRLs: B-LT


def test_it_signs_with_a_key_the_token_does_not_let_out(pki_seal: TrialPki) -> None:
    signer = seal._signer()
    assert isinstance(signer, PKCS11Signer)
    from pkcs11 import Attribute, ObjectClass

    session = seal.token_session(str(pki_seal.settings()["SEAL_PKCS11_MODULE"]), "opencoi-seal")
    key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label="seal")
    assert key[Attribute.EXTRACTABLE] is False and key[Attribute.SENSITIVE] is True


def test_it_shows_a_changed_byte_breaks_the_seal(pki_seal: TrialPki) -> None:
    check = check_seal(_tampered(seal_pdf(_pdf(), reason="test")))
    assert check.sealed and not check.intact and not check.valid


def test_it_tells_an_unsealed_pdf(pki_seal: TrialPki) -> None:
    check = check_seal(_pdf())
    assert not check.sealed and not check.intact and not check.valid


def test_it_tells_a_pdf_sealed_by_someone_else_as_not_trusted(pki_seal: TrialPki, tmp_path: Path) -> None:
    other_key, other_cert = tmp_path / "other.key", tmp_path / "other.crt"
    generate_self_signed(other_key, other_cert, common_name="OpenCOI test seal")
    signer = signers.SimpleSigner.load(str(other_key), str(other_cert))
    assert signer is not None
    meta = signers.PdfSignatureMetadata(field_name=seal.SEAL_FIELD, subfilter=fields.SigSeedSubFilter.PADES)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    forged = signers.PdfSigner(meta, signer=signer, timestamper=timestamps.HTTPTimeStamper(pki_seal.tsa_url))
    check = check_seal(forged.sign_pdf(IncrementalPdfFileWriter(BytesIO(_pdf()))).getvalue())
    assert check.intact and check.timestamped and not check.trusted and not check.valid


def test_it_refuses_to_seal_with_a_certificate_revoked_before(pki_seal: TrialPki, settings: Any) -> None:
    use_seal(settings, pki_seal, cert="seal-revoked-before")
    with pytest.raises(SealError):
        seal_pdf(_pdf(), reason="test")


def test_it_shows_a_seal_made_after_its_certificate_was_revoked_as_not_valid(pki_seal: TrialPki, settings: Any) -> None:
    # A sealer that skipped the revocation check: signed and timestamped now, the OCSP answer (revoked in
    # 2021, before the timestamp) embedded beside it.
    use_seal(settings, pki_seal, cert="seal-revoked-before")
    settings.SEAL_TSA_URL = ""
    meta = signers.PdfSignatureMetadata(field_name=seal.SEAL_FIELD, subfilter=fields.SigSeedSubFilter.PADES)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf_signer = signers.PdfSigner(
        meta, signer=seal._signer(), timestamper=timestamps.HTTPTimeStamper(pki_seal.tsa_url)
    )
    sealed = pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(_pdf()))).getvalue()
    now = datetime.datetime.now(datetime.UTC)
    sealed = with_dss(sealed, pki_seal, ocsps=[ocsp_response(pki_seal, "seal-revoked-before", now)], at=now)
    check = check_seal(sealed, roots=seal._certs(pki_seal.roots_file))
    assert check.intact and check.timestamped
    assert check.revoked and not check.revocation_ok and not check.valid


def test_it_keeps_a_seal_valid_when_its_certificate_is_revoked_after_the_timestamp(
    pki_seal: TrialPki, settings: Any
) -> None:
    use_seal(settings, pki_seal, cert="seal-revoked-later")
    sealed = seal_pdf(_pdf(), reason="test")
    assert check_seal(sealed).valid
    # In 2091 the responder says revoked (since 2090): checked now, the certificate is revoked ...
    revoked = ocsp_response(pki_seal, "seal-revoked-later", LATER)
    reader = PdfFileReader(BytesIO(sealed))
    now_status = validate_pdf_signature(
        reader.embedded_regular_signatures[0],
        ValidationContext(
            trust_roots=seal.trust_roots(), moment=LATER, ocsps=[revoked], allow_fetching=False,
            revocation_mode="soft-fail",
        ),
    )  # fmt: skip
    assert now_status.revoked
    # ... yet the seal, timestamped before the revocation, stays valid, with that answer in the file too.
    later = with_dss(sealed, pki_seal, ocsps=[revoked], at=LATER)
    check = check_seal(later)
    assert check.valid and not check.revoked, check.details


def test_it_validates_old_seals_after_a_rotation(pki_seal: TrialPki, settings: Any) -> None:
    old = seal_pdf(_pdf(), reason="version 1")
    use_seal(settings, pki_seal, cert="seal-2", key="seal-2")
    new = seal_pdf(_pdf(), reason="version 2")
    old_check, new_check = check_seal(old), check_seal(new)
    assert old_check.valid and new_check.valid
    assert "OpenCOI trial seal 2" in new_check.signer and "seal 2" not in old_check.signer


def test_it_adds_an_archive_timestamp_that_keeps_the_seal_valid(pki_seal: TrialPki) -> None:
    sealed = seal_pdf(_pdf(), reason="test")
    archived = add_archive_timestamp(sealed)
    check = check_seal(archived)
    assert check.valid and check.archive_timestamps == 1, check.details
    again = add_archive_timestamp(archived)
    assert check_seal(again).archive_timestamps == 2
    assert not check_seal(_tampered(again)).valid


def test_it_is_valid_for_pdfsig_and_invalid_after_tampering(pki_seal: TrialPki, tmp_path: Path) -> None:
    sealed = seal_pdf(_pdf(), reason="COI.EU.MA.2026.0000001")
    report = pdfsig(sealed, pki_seal, tmp_path)
    assert "Signer Certificate Common Name: OpenCOI trial seal" in report
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Signature Validation: Signature is Valid." in report
    tampered = pdfsig(_tampered(sealed), pki_seal, tmp_path)
    assert "Signature is Valid." not in tampered
    assert "Digest Mismatch" in tampered or "Signature is Invalid" in tampered


def test_it_has_a_timestamp_token_openssl_finds_valid(pki_seal: TrialPki, tmp_path: Path) -> None:
    sealed = seal_pdf(_pdf(), reason="test")
    signature = PdfFileReader(BytesIO(sealed)).embedded_regular_signatures[0]
    signer_info = signature.signed_data["signer_infos"][0]
    token = signer_info["unsigned_attrs"][0]["values"][0]  # id-aa-signatureTimeStampToken (RFC 3161 token)
    assert signer_info["unsigned_attrs"][0]["type"].native == "signature_time_stamp_token"
    (tmp_path / "token.der").write_bytes(token.dump())
    (tmp_path / "signature.bin").write_bytes(signer_info["signature"].native)
    verify = [
        "openssl", "ts", "-verify", "-token_in", "-in", str(tmp_path / "token.der"),
        "-CAfile", str(pki_seal.roots_file), "-untrusted", str(pki_seal.cert_file("tsa")),
    ]  # fmt: skip
    good = subprocess.run([*verify, "-data", str(tmp_path / "signature.bin")], capture_output=True, text=True)  # noqa: S603
    assert "Verification: OK" in good.stdout, good.stdout + good.stderr
    (tmp_path / "other.bin").write_bytes(b"another signature")
    bad = subprocess.run([*verify, "-data", str(tmp_path / "other.bin")], capture_output=True, text=True)  # noqa: S603
    assert "Verification: OK" not in bad.stdout


def test_it_still_seals_from_a_key_file_for_trials(tmp_path: Path, settings: Any) -> None:
    key, cert = tmp_path / "seal.key", tmp_path / "seal.crt"
    generate_self_signed(key, cert, common_name="OpenCOI test seal")
    settings.SEAL_PKCS11_MODULE, settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE = "", key, cert
    settings.SEAL_TSA_URL, settings.SEAL_TRUST_ROOTS_FILE, settings.SEAL_CHAIN_FILE = "", "", ""
    check = check_seal(seal_pdf(_pdf(), reason="trial"))
    assert check.sealed and check.intact and check.trusted
    assert not check.timestamped and not check.valid  # no timestamp: not long-term verifiable


def _deploy_warnings() -> set[str]:
    from django.core.checks import run_checks

    return {message.id for message in run_checks(include_deployment_checks=True) if message.id}


def test_it_warns_in_check_deploy_when_the_key_is_a_file(tmp_path: Path, settings: Any) -> None:
    settings.SEAL_PKCS11_MODULE, settings.SEAL_TSA_URL, settings.SEAL_TRUST_ROOTS_FILE = "", "", ""
    assert {"opencoi.seal.W001", "opencoi.seal.W003", "opencoi.seal.W004"} <= _deploy_warnings()


def test_it_does_not_warn_in_check_deploy_with_a_token_a_tsa_and_roots(pki_seal: TrialPki) -> None:
    assert not {w for w in _deploy_warnings() if w.startswith("opencoi.seal.")}


def test_it_gives_stored_pdfs_an_archive_timestamp_before_the_tsa_certificate_expires(
    pki_seal: TrialPki, settings: Any, tmp_path: Path
) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("coi-pdf/7/en-version.pdf", ContentFile(seal_pdf(_pdf(), reason="test")))
    call_command("seal_archive_timestamps", margin_days=365)  # the trial TSA certificate runs to 2098
    with default_storage.open(name, "rb") as f:
        assert check_seal(f.read()).archive_timestamps == 0
    call_command("seal_archive_timestamps", margin_days=365 * 100)
    with default_storage.open(name, "rb") as f:
        check = check_seal(f.read())
    assert check.valid and check.archive_timestamps == 1
