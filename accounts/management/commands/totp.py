"""Print the current two-factor code of a TOTP secret (default: the demo's), as an authenticator app would."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.two_factor import current_code


class Command(BaseCommand):
    help = "Print the current TOTP code for a secret (default DEMO_TOTP_SECRET)."
    # It signs nothing and reads no database: it runs with DEBUG off and no SECRET_KEY too.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("secret", nargs="?", default=None)

    def handle(self, *args: Any, secret: str | None = None, **options: Any) -> None:
        self.stdout.write(current_code(secret or settings.DEMO_TOTP_SECRET))
