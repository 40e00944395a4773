"""Two-factor authentication (TOTP, RFC 6238) through allauth's public API only: its `Authenticator` model,
`Authenticator.wrap()` to check a code (tolerance `MFA_TOTP_TOLERANCE` periods, each code accepted once) and
`allauth.mfa.utils.encrypt` for the stored secret. Codes of a secret, for the demo, the benchmark and the
tests, come from pyotp (SHA-1, 6 digits, 30-second periods: allauth's defaults)."""

from __future__ import annotations

import secrets
import time
from typing import Any

import pyotp
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

PERIOD = 30  # seconds, allauth's MFA_TOTP_PERIOD default


class _Codes(pyotp.TOTP):
    # pyotp refuses secrets under 112 bits; allauth accepts the demo's 80-bit one (settings.DEMO_TOTP_SECRET).
    min_secret_length_bits = 80


def totp_of(user: Any) -> Authenticator | None:
    """The person's TOTP authenticator, None when two-factor is off."""
    return Authenticator.objects.filter(user_id=getattr(user, "pk", None), type=Authenticator.Type.TOTP).first()


def code_is_valid(authenticator: Authenticator, code: str) -> bool:
    """A current code of this authenticator, never used before (allauth marks it used)."""
    return bool(authenticator.wrap().validate_code(code))


def activate_totp(user: Any, secret: str) -> Authenticator:
    """Switch two-factor on with a known base32 secret (demo, benchmark, tests), as allauth's page stores it."""
    return Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})


def activate_recovery_codes(user: Any) -> Authenticator:
    """Ten recovery codes, stored as allauth stores them (an encrypted seed, none used)."""
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    if found is not None:
        return found
    data = {"seed": encrypt(secrets.token_hex(40)), "used_mask": 0}
    return Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data=data)


def new_secret() -> str:
    """A new random base32 secret (160 bits, as allauth's)."""
    return pyotp.random_base32(32)


def current_code(secret: str, step: int = 0) -> str:
    """The code of `secret` now, or `step` periods later (codes are single-use: a second one needs the next)."""
    return _Codes(secret, interval=PERIOD).at(time.time() + step * PERIOD)
