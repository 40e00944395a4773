"""Print the current two-factor code of a TOTP secret (default: the demo's), as an authenticator app would."""

from __future__ import annotations

from typing import Any

import pyotp
from allauth.mfa import app_settings
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the current TOTP code for a secret (default DEMO_TOTP_SECRET)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("secret", nargs="?", default=None)

    def handle(self, *args: Any, secret: str | None = None, **options: Any) -> None:
        totp = pyotp.TOTP(secret or settings.DEMO_TOTP_SECRET, interval=app_settings.TOTP_PERIOD)
        self.stdout.write(totp.now())
