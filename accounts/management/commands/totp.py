"""Print the current two-factor code of a TOTP secret (default: the demo's), as an authenticator app would."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.two_factor import current_code


class Command(BaseCommand):
    help = "Print the current TOTP code for a secret (default DEMO_TOTP_SECRET)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("secret", nargs="?", default=None)

    def handle(self, *args: Any, secret: str | None = None, **options: Any) -> None:
        self.stdout.write(current_code(secret or settings.DEMO_TOTP_SECRET))
