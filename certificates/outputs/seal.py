"""The deployment's electronic seal on PDFs (PAdES, through pyHanko).

A deployment points SEAL_KEY_FILE / SEAL_CERT_FILE at its key and certificate (PEM); `make demo`
generates a self-signed pair under var/seal/ with `manage.py make_seal_certificate`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

SEAL_FIELD = "OpenCOISeal"


def generate_self_signed(key_file: Path, cert_file: Path, *, common_name: str, days: int = 3650) -> None:
    """Write an RSA key and a self-signed certificate for sealing (demo and tests)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "OpenCOI"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def seal_configured() -> bool:
    return Path(settings.SEAL_KEY_FILE).is_file() and Path(settings.SEAL_CERT_FILE).is_file()


@cache
def _signer(key_file: str, cert_file: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(key_file, cert_file)
    if signer is None:
        raise RuntimeError(f"Cannot load the seal key {key_file} and certificate {cert_file}")
    return signer


def seal_pdf(pdf: bytes, *, reason: str, location: str = "") -> bytes:
    """Return the PDF with the deployment's PAdES seal over all of it."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(writer, meta, signer=_signer(str(settings.SEAL_KEY_FILE), str(settings.SEAL_CERT_FILE)))
    return out.getvalue()


@dataclass(frozen=True)
class SealCheck:
    sealed: bool
    intact: bool
    trusted: bool
    signer: str


def check_seal(pdf: bytes, *, cert_file: Path | None = None) -> SealCheck:
    """Whether the PDF carries a seal, whether the bytes it covers are unchanged, and by whom."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged file is simply not a sealed one
        return SealCheck(sealed=False, intact=False, trusted=False, signer="")
    if not signatures:
        return SealCheck(sealed=False, intact=False, trusted=False, signer="")
    root = load_cert_from_pemder(str(cert_file or settings.SEAL_CERT_FILE))
    try:
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=[root]))
    except Exception:
        return SealCheck(sealed=True, intact=False, trusted=False, signer="")
    covers_all = status.coverage is not None and status.coverage.name in {"ENTIRE_FILE", "ENTIRE_REVISION"}
    return SealCheck(
        sealed=True,
        intact=bool(status.intact and status.valid and covers_all),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
    )
