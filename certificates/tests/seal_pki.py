"""Fixtures of the seal's tests: the trial PKI (a CA, OCSP, CRLs and a TSA served on loopback, certomancer)
and the seal's key in SoftHSM2, made once per test process; `pki_seal` points the seal settings at them.

certificates/tests/conftest.py imports the fixtures once (two definitions would make two tokens in one process,
and the second would end the first one's sessions).
"""

from __future__ import annotations

import datetime
import shutil
import subprocess  # noqa: S404 - pdfsig and certutil are the independent validators
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import ocsp
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.authority import AuthorityWithCert
from pyhanko_certvalidator.fetchers.common_utils import format_ocsp_request

from certificates.outputs import trial_pki as pki_module
from certificates.outputs.seal import forget_signer
from certificates.outputs.trial_pki import TrialPki


@pytest.fixture(scope="session")
def trial_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrialPki]:
    pki, httpd = pki_module.serve_in_thread(tmp_path_factory.mktemp("trial-pki"))
    yield pki
    httpd.shutdown()


def use_seal(settings: Any, pki: TrialPki, cert: str = "seal", key: str = "seal") -> None:
    for name, value in pki.settings(cert=cert, key=key).items():
        setattr(settings, name, value)


@pytest.fixture
def pki_seal(trial_pki: TrialPki, settings: Any) -> Iterator[TrialPki]:
    """The seal signs with the trial PKI's `seal` certificate, its key in SoftHSM, stamped by its TSA."""
    use_seal(settings, trial_pki)
    yield trial_pki
    forget_signer()


def ocsp_response(pki: TrialPki, cert_label: str, at: datetime.datetime) -> ocsp.OCSPResponse:
    """The answer of the PKI's OCSP responder about `cert_label` at time `at` (certomancer, in process)."""
    arch = pki.arch
    request = format_ocsp_request(
        arch.get_cert(cert_label),  # type: ignore[arg-type]
        AuthorityWithCert(arch.get_cert("seal-ca")),  # type: ignore[arg-type]
        certid_hash_algo="sha256",
        request_nonces=False,
    )
    responder = arch.service_registry.summon_responder("seal-ca", at_time=at)  # type: ignore[arg-type]
    return responder.build_ocsp_response(request)


def with_dss(pdf: bytes, pki: TrialPki, *, ocsps: list[ocsp.OCSPResponse], at: datetime.datetime) -> bytes:
    """`pdf` with these OCSP responses, the CRLs of the PKI at `at` and its certificates added to its DSS (as
    a later verifier, or a careless sealer, may add them)."""
    arch = pki.arch
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    signature = reader.embedded_regular_signatures[0]
    out = BytesIO(pdf)
    DocumentSecurityStore.add_dss(
        out,
        signature.pkcs7_content,
        certs=[arch.get_cert(label) for label in ("root", "seal-ca", "ocsp", "tsa")],  # type: ignore[arg-type]
        ocsps=ocsps,
        crls=[arch.service_registry.get_crl(label, at_time=at) for label in ("root", "seal-ca")],  # type: ignore[arg-type]
        force_write=True,
    )
    return out.getvalue()


def pdfsig(pdf: bytes, pki: TrialPki, tmp_path: Path) -> str:
    """poppler's pdfsig on `pdf`, with an NSS database trusting the trial root (certutil, libnss3-tools)."""
    nss = tmp_path / "nss"
    if not nss.exists():
        nss.mkdir()
        certutil = shutil.which("certutil")
        assert certutil, "certutil (Debian's libnss3-tools) is needed to give pdfsig the trial root"
        subprocess.run([certutil, "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [certutil, "-A", "-d", f"sql:{nss}", "-n", "trial-root", "-t", "CT,C,C", "-i", str(pki.roots_file)],
            check=True,
        )
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    command = ["pdfsig", "-nssdir", f"sql:{nss}", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout + done.stderr
