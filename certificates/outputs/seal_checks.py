"""`manage.py check --deploy` on the seal: a key file (trials only), no timestamp, no trust roots.

Warnings, not errors: a trial deployment may run so, but its seals are not qualified and not long-term
verifiable (Reg. (EU) 2021/2307 and 2021/1378: a qualified electronic seal; docs/deploy.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from certificates.outputs.seal import uses_token


@register(Tags.security, deploy=True)
def check_seal_settings(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    found = []
    if not uses_token():
        found.append(
            Warning(
                "The seal signs from a key file (SEAL_KEY_FILE): anyone who can read the disk can seal.",
                hint="Keep the key in an HSM or cloud HSM: set SEAL_PKCS11_MODULE, SEAL_PKCS11_TOKEN_LABEL, "
                "SEAL_PKCS11_KEY_LABEL and SEAL_PKCS11_PIN_FILE (docs/deploy.md). Key files are for trials.",
                id="opencoi.seal.W001",
            )
        )
    elif not (settings.SEAL_PKCS11_PIN or settings.SEAL_PKCS11_PIN_FILE):
        found.append(
            Warning(
                "The seal's token has no PIN configured.",
                hint="Set SEAL_PKCS11_PIN_FILE (a file readable by the app only) or SEAL_PKCS11_PIN.",
                id="opencoi.seal.W002",
            )
        )
    if not settings.SEAL_TSA_URL:
        found.append(
            Warning(
                "No time-stamping authority (SEAL_TSA_URL): seals carry no timestamp nor validation data, and "
                "cannot be verified once the seal certificate expires or is revoked.",
                hint="Point SEAL_TSA_URL at a qualified TSA's RFC 3161 endpoint (docs/deploy.md).",
                id="opencoi.seal.W003",
            )
        )
    if not settings.SEAL_TRUST_ROOTS_FILE or not Path(str(settings.SEAL_TRUST_ROOTS_FILE)).is_file():
        found.append(
            Warning(
                "No trust roots for the seal (SEAL_TRUST_ROOTS_FILE): the public page trusts the seal "
                "certificate itself.",
                hint="Give the PEM roots of the seal's trust service and of the TSA (docs/deploy.md).",
                id="opencoi.seal.W004",
            )
        )
    return found
