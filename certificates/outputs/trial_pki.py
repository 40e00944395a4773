"""The trial PKI of `make demo` and the tests: the seal's key in a SoftHSM2 token, and a CA, an OCSP
responder, CRLs and an RFC 3161 time-stamping authority (certomancer, trial_pki.yml) served over HTTP on
loopback, so that sealing and validating run as in production without the internet.

Never for production: the CA keys are made where this runs, and only this deployment's trial trusts them.

`prepare(directory, url)` makes (once) the token, the seal keys in it, the CA keys and the certificates,
and writes `seal.env`, the settings that point the seal at them (SEAL_PKCS11_*, SEAL_CERT_FILE,
SEAL_CHAIN_FILE, SEAL_TRUST_ROOTS_FILE, SEAL_TSA_URL, SOFTHSM2_CONF). `serve(directory, url)` answers the
OCSP, CRL, certificate and time-stamp requests of that PKI (certomancer's Animator, a WSGI app).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess  # noqa: S404 - softhsm2-util makes the token; it has no library interface
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pkcs11
from asn1crypto import pem
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertomancerConfig, PKIArchitecture
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pkcs11 import Attribute, KeyType, ObjectClass
from werkzeug.serving import BaseWSGIServer, make_server

CONFIG = Path(__file__).with_name("trial_pki.yml")
ARCH = "opencoi"
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "opencoi-seal"
SEAL_KEYS = ("seal", "seal-2")  # the key labels in the token, and the public keys certomancer certifies
CA_KEYS = ("root", "seal-ca", "ocsp", "tsa")
DEFAULT_URL = "http://127.0.0.1:9780"


@dataclass(frozen=True)
class TrialPki:
    """Where a prepared trial PKI is: `directory`, its certomancer architecture, and its token."""

    directory: Path
    url: str
    arch: PKIArchitecture
    pin: str

    @property
    def softhsm_conf(self) -> Path:
        return self.directory / "softhsm2.conf"

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCH}/tsa/tsa"

    def cert_file(self, label: str) -> Path:
        return self.directory / f"{label}.crt.pem"

    @property
    def chain_file(self) -> Path:
        return self.directory / "chain.pem"

    @property
    def roots_file(self) -> Path:
        return self.directory / "roots.pem"

    def settings(self, cert: str = "seal", key: str = "seal") -> dict[str, object]:
        """The seal settings that sign with certificate `cert` (a label of trial_pki.yml) and token key `key`."""
        return {
            "SEAL_PKCS11_MODULE": SOFTHSM_MODULE,
            "SEAL_PKCS11_TOKEN_LABEL": TOKEN_LABEL,
            "SEAL_PKCS11_KEY_LABEL": key,
            "SEAL_PKCS11_PIN": "",
            "SEAL_PKCS11_PIN_FILE": self.directory / "pin",
            "SEAL_CERT_FILE": self.cert_file(cert),
            "SEAL_CHAIN_FILE": self.chain_file,
            "SEAL_TRUST_ROOTS_FILE": self.roots_file,
            "SEAL_TSA_URL": self.tsa_url,
        }


def softhsm_available() -> bool:
    return Path(SOFTHSM_MODULE).is_file() and shutil.which("softhsm2-util") is not None


def prepare(directory: Path, url: str = DEFAULT_URL) -> TrialPki:
    """Make the trial PKI in `directory` unless it is there; SOFTHSM2_CONF is set to its token's conf.

    Raises RuntimeError when SoftHSM2 (Debian's softhsm2) is not installed."""
    if not softhsm_available():
        raise RuntimeError(f"SoftHSM2 is not installed ({SOFTHSM_MODULE}, softhsm2-util): apt-get install softhsm2")
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    conf = directory / "softhsm2.conf"
    os.environ["SOFTHSM2_CONF"] = str(conf)
    pin_file = directory / "pin"
    if not pin_file.exists():
        tokens = directory / "tokens"
        tokens.mkdir(exist_ok=True)
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
        pin = secrets.token_hex(8)
        subprocess.run(  # noqa: S603
            [  # noqa: S607 - Debian's softhsm2 puts it on PATH
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                TOKEN_LABEL,
                "--pin",
                pin,
                "--so-pin",
                secrets.token_hex(8),
            ],
            check=True,
            capture_output=True,
        )
        for label in SEAL_KEYS:
            (directory / f"{label}.pub.pem").write_bytes(_generate_token_key(label, pin))
        for label in CA_KEYS:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            path = directory / f"{label}.key.pem"
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
            path.chmod(0o600)
        pin_file.write_text(pin)
        pin_file.chmod(0o600)
    pki = TrialPki(directory, url, _arch(directory, url), pin_file.read_text().strip())
    _write_certificates(pki)
    _write_env(pki)
    return pki


def _generate_token_key(label: str, pin: str) -> bytes:
    """An RSA 2048 key pair made inside the token (the private half is not extractable); its public half as PEM."""
    lib = pkcs11.lib(SOFTHSM_MODULE)
    lib.reinitialize()  # the token was made after the library was loaded: read the token directory again
    token = lib.get_token(token_label=TOKEN_LABEL)
    with token.open(user_pin=pin, rw=True) as session:
        public, _private = session.generate_keypair(
            KeyType.RSA,
            2048,
            label=label,
            id=label.encode(),
            store=True,
            private_template={Attribute.EXTRACTABLE: False, Attribute.SENSITIVE: True},
        )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"), int.from_bytes(public[Attribute.MODULUS], "big")
        )
        assert public.object_class == ObjectClass.PUBLIC_KEY
    return numbers.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _arch(directory: Path, url: str) -> PKIArchitecture:
    config = CertomancerConfig.from_file(str(CONFIG), key_search_dir=str(directory), external_url_prefix=url)
    return config.get_pki_arch(ARCH)  # type: ignore[arg-type]


def _pem(label: str, arch: PKIArchitecture) -> bytes:
    return pem.armor("CERTIFICATE", arch.get_cert(label).dump())  # type: ignore[arg-type]


def _write_certificates(pki: TrialPki) -> None:
    for label in ("seal", "seal-2", "seal-revoked-before", "seal-revoked-later", "tsa", "root"):
        pki.cert_file(label).write_bytes(_pem(label, pki.arch))
    pki.chain_file.write_bytes(_pem("seal-ca", pki.arch))
    pki.roots_file.write_bytes(_pem("root", pki.arch))


def _write_env(pki: TrialPki) -> None:
    lines = [f"SOFTHSM2_CONF={pki.softhsm_conf}"]
    lines += [f"{name}={value}" for name, value in pki.settings().items()]
    (pki.directory / "seal.env").write_text("\n".join(lines) + "\n")


def _animator(pki: TrialPki) -> Animator:
    return Animator(AnimatorArchStore({ARCH: pki.arch}), with_web_ui=False)  # type: ignore[dict-item]


def server(pki: TrialPki) -> BaseWSGIServer:
    """The PKI's HTTP server on the host and port of its URL (loopback), not yet serving."""
    parts = urlsplit(pki.url)
    return make_server(parts.hostname or "127.0.0.1", parts.port or 80, _animator(pki), threaded=True)


def serve_in_thread(directory: Path) -> tuple[TrialPki, BaseWSGIServer]:
    """Prepare the PKI in `directory` on a free loopback port and serve it from a daemon thread (the tests);
    `.shutdown()` stops the server."""
    httpd = make_server("127.0.0.1", 0, lambda environ, start_response: [], threaded=True)
    pki = prepare(directory, f"http://127.0.0.1:{httpd.server_port}")
    httpd.app = _animator(pki)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return pki, httpd
