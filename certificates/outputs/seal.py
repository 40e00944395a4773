"""The deployment's electronic seal on PDFs: PAdES B-LT through pyHanko, its key in a PKCS#11 token.

Sealing (`seal_pdf`) signs with the key of a PKCS#11 token (an HSM, a cloud HSM, SoftHSM in the demo and the
tests: SEAL_PKCS11_MODULE, SEAL_PKCS11_TOKEN_LABEL, SEAL_PKCS11_KEY_LABEL, the PIN from SEAL_PKCS11_PIN or
SEAL_PKCS11_PIN_FILE), or, for trials only, with SEAL_KEY_FILE (`manage.py check --deploy` warns). The
certificate is SEAL_CERT_FILE, its issuers SEAL_CHAIN_FILE. With SEAL_TSA_URL the signature carries an RFC
3161 timestamp of that time-stamping authority and the validation data of the seal's and the TSA's
certificates (chain, OCSP responses, CRLs, fetched at sealing time and embedded in the DSS): PAdES B-LT,
which a reader can check after the certificates expire or are revoked. `add_archive_timestamp` makes it
B-LTA (a document timestamp over everything, `manage.py seal_archive_timestamps`).

Checking (`check_seal`) reads the PDF itself: integrity of the signed bytes, the timestamp, the chain to
SEAL_TRUST_ROOTS_FILE and the embedded revocation data at the timestamp's time (ETSI EN 319 142-1, PAdES).
Rotation: a new key and certificate seal the next versions; a PDF sealed with the old one still checks,
its certificates and revocation data being inside it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

SEAL_FIELD = "OpenCOISeal"
VERSION_KEY = "/OpenCOIVersion"  # the document information entry naming the COI's version (signed)


class SealError(RuntimeError):
    """The seal cannot be made: token, certificate, TSA or revocation data missing or refused."""


def generate_self_signed(key_file: Path, cert_file: Path, *, common_name: str, days: int = 3650) -> None:
    """Write an RSA key and a self-signed certificate for sealing from a key file (trials only)."""
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


def uses_token() -> bool:
    """Whether the seal signs through PKCS#11 (SEAL_PKCS11_MODULE set) rather than from a key file."""
    return bool(settings.SEAL_PKCS11_MODULE)


def seal_configured() -> bool:
    """Whether this deployment seals its PDFs: a certificate, and a token module or a key file."""
    if not Path(settings.SEAL_CERT_FILE).is_file():
        return False
    if uses_token():
        return Path(settings.SEAL_PKCS11_MODULE).is_file()
    return Path(settings.SEAL_KEY_FILE).is_file()


def _pin() -> str:
    if settings.SEAL_PKCS11_PIN:
        return str(settings.SEAL_PKCS11_PIN)
    if settings.SEAL_PKCS11_PIN_FILE:
        return Path(settings.SEAL_PKCS11_PIN_FILE).read_text().strip()
    raise SealError("SEAL_PKCS11_PIN or SEAL_PKCS11_PIN_FILE must give the token's PIN")


def _certs(path: object) -> list[asn1_x509.Certificate]:
    if not path or not Path(str(path)).is_file():
        return []
    return list(load_certs_from_pemder([str(path)]))


@cache
def token_session(module: str, token: str) -> Any:
    """The process's one logged-in session with the token (PKCS#11 logs in once per application)."""
    return open_pkcs11_session(module, token_criteria=TokenCriteria(label=token), user_pin=_pin())


@cache
def _token_signer(module: str, token: str, key: str, cert_file: str, chain_file: str) -> signers.Signer:
    return PKCS11Signer(
        token_session(module, token),
        key_label=key,
        signing_cert=load_cert_from_pemder(cert_file),
        ca_chain=_certs(chain_file),
        other_certs_to_pull=None,
    )


@cache
def _file_signer(key_file: str, cert_file: str, chain_file: str) -> signers.Signer:
    signer = signers.SimpleSigner.load(key_file, cert_file, ca_chain_files=[chain_file] if chain_file else None)
    if signer is None:
        raise SealError(f"Cannot load the seal key {key_file} and certificate {cert_file}")
    return signer


def _signer() -> signers.Signer:
    chain = str(settings.SEAL_CHAIN_FILE) if Path(str(settings.SEAL_CHAIN_FILE)).is_file() else ""
    if uses_token():
        return _token_signer(
            str(settings.SEAL_PKCS11_MODULE),
            str(settings.SEAL_PKCS11_TOKEN_LABEL),
            str(settings.SEAL_PKCS11_KEY_LABEL),
            str(settings.SEAL_CERT_FILE),
            chain,
        )
    return _file_signer(str(settings.SEAL_KEY_FILE), str(settings.SEAL_CERT_FILE), chain)


def forget_signer(*, close_session: bool = False) -> None:
    """Forget the loaded keys (after a rotation); with close_session, log out of the token too (after an
    error: the next seal opens a new session)."""
    _token_signer.cache_clear()
    _file_signer.cache_clear()
    if close_session:
        for session in _open_sessions():
            try:
                session.close()
            except Exception:  # already gone with the token
                logger.warning("Closing the seal token's session failed", exc_info=True)
        token_session.cache_clear()


def _open_sessions() -> list[Any]:
    if not uses_token() or token_session.cache_info().currsize == 0:
        return []
    return [token_session(str(settings.SEAL_PKCS11_MODULE), str(settings.SEAL_PKCS11_TOKEN_LABEL))]


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates a seal must chain to: SEAL_TRUST_ROOTS_FILE (PEM, one or more: the seal CA's and the
    TSA's roots, e.g. from the EU trusted list); without it, the seal certificate itself (a self-signed trial)."""
    roots = _certs(settings.SEAL_TRUST_ROOTS_FILE)
    return roots or _certs(settings.SEAL_CERT_FILE)


def _timestamper() -> timestamps.TimeStamper | None:
    url = str(settings.SEAL_TSA_URL or "")
    if not url:
        return None
    auth = None
    if settings.SEAL_TSA_USERNAME:
        auth = (str(settings.SEAL_TSA_USERNAME), str(settings.SEAL_TSA_PASSWORD))
    return timestamps.HTTPTimeStamper(url, timeout=int(settings.SEAL_TSA_TIMEOUT), auth=auth)


def _fetching_context() -> ValidationContext:
    """Validation at sealing time: fetch OCSP/CRL for every certificate, and refuse without them."""
    return ValidationContext(trust_roots=trust_roots(), allow_fetching=True, revocation_mode="require")


def seal_pdf(pdf: bytes, *, reason: str, location: str = "", version: str = "") -> bytes:
    """Return the PDF with the deployment's PAdES seal over all of it.

    `version` is written (signed) in the document information as /OpenCOIVersion, so that the public page
    can tell whether a PDF is the COI's latest version. With SEAL_TSA_URL: B-LT (timestamp and validation
    data embedded). Raises SealError when the certificate is revoked or expired, or the TSA, the OCSP
    responder or the CRL cannot be reached: a seal that could not be checked later is not made."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    if version:
        _set_version(writer, version)
    timestamper = _timestamper()
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=timestamper is not None,
        validation_context=_fetching_context() if timestamper is not None else None,
    )
    try:
        out = signers.PdfSigner(meta, signer=_signer(), timestamper=timestamper).sign_pdf(writer)
    except SealError:
        raise
    except Exception as error:  # pyHanko's, the token's, the network's: all mean "not sealed"
        if not isinstance(error, SigningError):
            forget_signer(close_session=True)
        raise SealError(f"The PDF could not be sealed: {error}") from error
    return out.getvalue()


def _set_version(writer: IncrementalPdfFileWriter, version: str) -> None:
    info_ref = writer.trailer.raw_get("/Info")
    if isinstance(info_ref, generic.IndirectObject):
        writer.mark_update(info_ref)
        info = info_ref.get_object()
    else:
        info = generic.DictionaryObject()
        writer.set_info(writer.add_object(info))
    info[generic.NameObject(VERSION_KEY)] = generic.TextStringObject(version)


@dataclass(frozen=True)
class SealCheck:
    """What a PDF's seal says, read from the PDF alone (its embedded validation data).

    sealed: it carries a seal; intact: the signed bytes are unchanged and nothing but validation data and
    timestamps was added after; timestamped: an RFC 3161 timestamp of a trusted TSA over the signature;
    trusted: the seal certificate chains to a trust root; revocation_ok: embedded OCSP/CRL show it was not
    revoked at the timestamp's time; revoked: they show it was. sealed_at is the timestamp's time (UTC).
    """

    sealed: bool
    intact: bool
    trusted: bool
    signer: str
    timestamped: bool = False
    revocation_ok: bool = False
    revoked: bool = False
    sealed_at: datetime.datetime | None = None
    tsa: str = ""
    archive_timestamps: int = 0
    version: str = ""
    details: str = ""

    @property
    def valid(self) -> bool:
        return self.sealed and self.intact and self.trusted and self.timestamped and self.revocation_ok


NOT_SEALED = SealCheck(sealed=False, intact=False, trusted=False, signer="")


def _seal_signature(reader: PdfFileReader) -> EmbeddedPdfSignature | None:
    found = list(reader.embedded_regular_signatures)
    for signature in found:
        if signature.field_name == SEAL_FIELD:
            return signature
    return found[0] if found else None


def check_seal(pdf: bytes, *, roots: Iterable[asn1_x509.Certificate] | None = None) -> SealCheck:
    """Check the seal of `pdf` (bytes of any origin: an upload, the store): see SealCheck. Never raises."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signature = _seal_signature(reader)
    except Exception:  # a damaged file is simply not a sealed one
        return NOT_SEALED
    if signature is None:
        return NOT_SEALED
    anchors = list(roots) if roots is not None else trust_roots()
    try:
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode="soft-fail")
        )
    except Exception as error:
        return SealCheck(sealed=True, intact=False, trusted=False, signer="", details=str(error))
    intact = bool(status.intact and status.valid and _only_maintenance_after(status))
    signer = status.signing_cert.subject.human_friendly
    ts = status.timestamp_validity
    timestamped = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
    base = {
        "sealed": True,
        "intact": intact,
        "signer": signer,
        "archive_timestamps": len(reader.embedded_timestamp_signatures),
        "version": _version(reader, signature),
    }
    if ts is None or not timestamped:
        # Without a timestamp nothing tells when it was sealed; the chain is checked now (trials).
        return SealCheck(trusted=bool(status.trusted), details=status.pretty_print_details(), sealed_at=None, **base)
    long_term = _long_term_status(reader, signature, anchors, ts.timestamp)
    return SealCheck(
        trusted=bool(long_term is not None and long_term.trusted),
        timestamped=True,
        revocation_ok=bool(long_term is not None and long_term.trusted and not long_term.revoked),
        revoked=bool(long_term is not None and long_term.revoked),
        sealed_at=ts.timestamp,
        tsa=ts.signing_cert.subject.human_friendly,
        details=(long_term or status).pretty_print_details(),
        **base,
    )


def _only_maintenance_after(status: PdfSignatureStatus) -> bool:
    """The seal covers the file, or what follows it is only validation data and document timestamps."""
    coverage = status.coverage.name if status.coverage is not None else ""
    if coverage == "ENTIRE_FILE":
        return True
    return coverage == "ENTIRE_REVISION" and status.modification_level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    )


def _long_term_status(
    reader: PdfFileReader,
    signature: EmbeddedPdfSignature,
    anchors: list[asn1_x509.Certificate],
    at: datetime.datetime,
) -> PdfSignatureStatus | None:
    """The seal validated at the timestamp's time from the validation data embedded in the PDF alone (the
    PAdES-LT check: no fetching, revocation data required for every certificate but the roots)."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:
        return None
    kwargs = {
        "trust_roots": anchors,
        "moment": at,
        "allow_fetching": False,
        "revocation_mode": "require",
        "retroactive_revinfo": True,
    }
    try:
        return validate_pdf_signature(
            signature,
            signer_validation_context=dss.as_validation_context(kwargs),
            ts_validation_context=dss.as_validation_context(kwargs),
        )
    except Exception as error:
        logger.info("Long-term validation of a seal failed: %s", error)
        return None


def _version(reader: PdfFileReader, signature: EmbeddedPdfSignature) -> str:
    """The /OpenCOIVersion of the revision the seal signed ("" when none)."""
    try:
        trailer = reader.get_historical_resolver(signature.signed_revision).trailer_view
        value = trailer["/Info"].get_object().get(VERSION_KEY)
    except Exception:
        return ""
    return str(value) if value is not None else ""


def last_timestamp_expiry(pdf: bytes) -> datetime.datetime | None:
    """When the certificate of the PDF's latest timestamp (its last document timestamp, else the seal's
    signature timestamp) expires: before then an archive timestamp must be added (None: no timestamp)."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        stamps = list(reader.embedded_timestamp_signatures)
        if stamps:
            cert = stamps[-1].signer_cert
        else:
            signature = _seal_signature(reader)
            if signature is None:
                return None
            token = next(extract_tst_data_iter(signature.signer_info, signed=False), None)
            if token is None:
                return None
            cert = _token_signer_cert(token)
    except Exception:
        return None
    return cert["tbs_certificate"]["validity"]["not_after"].native


def _token_signer_cert(signed_data: Any) -> asn1_x509.Certificate:
    """The TSA's certificate among those of a timestamp token (by the signer's issuer and serial, or key id)."""
    sid = signed_data["signer_infos"][0]["sid"]
    certs = [choice.chosen for choice in signed_data["certificates"]]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            if cert.serial_number == sid.chosen["serial_number"].native and cert.issuer == sid.chosen["issuer"]:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise SealError("The timestamp token does not carry its TSA's certificate")


def add_archive_timestamp(pdf: bytes) -> bytes:
    """The PDF with the validation data of its latest timestamp embedded and a new document timestamp over
    everything (PAdES B-LTA, ETSI EN 319 142-1 §5.5). Raises SealError without a TSA or when it fails."""
    timestamper = _timestamper()
    if timestamper is None:
        raise SealError("SEAL_TSA_URL is not set: no archive timestamp can be added")
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        out = PdfTimeStamper(timestamper).update_archival_timestamp_chain(reader, _fetching_context(), in_place=False)
    except Exception as error:
        raise SealError(f"No archive timestamp could be added: {error}") from error
    return out.getvalue()
