"""Two-factor authentication (TOTP, RFC 6238) over allauth's public API: its `Authenticator` model, its settings
(`allauth.mfa.app_settings`) and `allauth.mfa.utils.encrypt`/`decrypt` for the stored secret. A code is checked
here (`code_is_valid`: tolerance `MFA_TOTP_TOLERANCE` periods either side) and accepted once, marked in one row of
`UsedCode` (one INSERT; allauth marks it in the cache, five queries with the database cache); the login's and
re-authentication's code pages check it here too (accounts/forms.py, `MFA_FORMS`). Codes come from pyotp
(SHA-1, 6 digits, 30-second periods: allauth's defaults)."""

from __future__ import annotations

import datetime
import hmac
import secrets
import time
from typing import Any

import pyotp
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.db import connection
from django.utils import timezone

from accounts.models import UsedCode

PERIOD = 30  # seconds, allauth's MFA_TOTP_PERIOD default


class _Codes(pyotp.TOTP):
    # pyotp refuses secrets under 112 bits; allauth accepts the demo's 80-bit one (settings.DEMO_TOTP_SECRET).
    min_secret_length_bits = 80


def totp_of(user: Any) -> Authenticator | None:
    """The person's TOTP authenticator, None when two-factor is off (read with their API token when they call
    with one: `ApiToken.authenticate`)."""
    if hasattr(user, "known_totp"):
        return user.known_totp
    return Authenticator.objects.filter(user_id=getattr(user, "pk", None), type=Authenticator.Type.TOTP).first()


def code_period(authenticator: Authenticator, code: str) -> int | None:
    """The period (RFC 6238 counter: Unix time // 30 s) whose code `code` is, within `MFA_TOTP_TOLERANCE` periods
    of now, or None when it is no current code of this TOTP authenticator (spaces inside are ignored)."""
    typed = "".join(str(code).split())
    if not typed.isdigit() or authenticator.type != Authenticator.Type.TOTP:
        return None
    codes = _Codes(decrypt(authenticator.data["secret"]), digits=app_settings.TOTP_DIGITS, interval=PERIOD)
    now = int(time.time()) // PERIOD
    tolerance = app_settings.TOTP_TOLERANCE
    found = None
    for period in range(now - tolerance, now + tolerance + 1):  # every period compared: no early exit to time
        if hmac.compare_digest(codes.generate_otp(period), typed):
            found = period
    return found


def mark_used(authenticator: Authenticator, period: int) -> bool:
    """Mark the period's code used: True the first time, False when it was already (one INSERT; under concurrency
    the unique constraint lets one request win, the other waits for its commit and gets False)."""
    table = connection.ops.quote_name(UsedCode._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (authenticator_id, period, used_at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",  # noqa: S608  # the model's own table name
            [authenticator.pk, period, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return bool(cursor.rowcount == 1)


def code_is_valid(authenticator: Authenticator, code: str) -> bool:
    """A current code of this authenticator, never accepted before (then marked used: `mark_used`)."""
    period = code_period(authenticator, code)
    return period is not None and mark_used(authenticator, period)


def purge_used_codes(now: datetime.datetime | None = None) -> int:
    """Delete the marks of codes no longer accepted anyway (their period out of the tolerance window); returns
    how many. `manage.py purge_used_codes`."""
    current = int((now or timezone.now()).timestamp()) // PERIOD
    deleted, _ = UsedCode.objects.filter(period__lt=current - app_settings.TOTP_TOLERANCE).delete()
    return deleted


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
