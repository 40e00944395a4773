"""Production settings pass Django's deployment checklist, and the defaults refuse unsafe starts."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "SITE_URL", "PORT"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "opencoi.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings(tmp_path: Path) -> None:
    (tmp_path / "pin").write_text("1234")
    (tmp_path / "roots.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        SITE_URL="https://coi.example.eu",
        ALLOWED_HOSTS="coi.example.eu",
        # The seal as production has it: a key in a token, a qualified TSA, the trust service's roots.
        SEAL_PKCS11_MODULE="/usr/lib/softhsm/libsofthsm2.so",
        SEAL_PKCS11_TOKEN_LABEL="OpenCOI seal",
        SEAL_PKCS11_KEY_LABEL="seal",
        SEAL_PKCS11_PIN_FILE=str(tmp_path / "pin"),
        SEAL_TSA_URL="https://tsa.example.eu/rfc3161",
        SEAL_TRUST_ROOTS_FILE=str(tmp_path / "roots.pem"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off() -> None:
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_keeps_secrets_out_of_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert ".env" not in tracked
    assert not [name for name in tracked if name.endswith((".pem", ".key", ".p12"))]


def test_it_prints_the_demo_two_factor_code_without_debug() -> None:
    from accounts.tests.helpers import totp_code

    result = _manage("totp", DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {totp_code("JBSWY3DPEHPK3PXP", step) for step in (-1, 0)}


def test_it_points_the_links_in_emails_to_the_port_the_demo_serves_on() -> None:
    show_link = (
        "from accounts.models import User; from accounts.signup import password_link; "
        "print(password_link(User(pk=1, email='nadia@acme-bio.example')))"
    )
    result = _manage("shell", "-c", show_link, DEBUG="1", PORT="8123")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("http://127.0.0.1:8123/accounts/")
