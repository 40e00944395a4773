"""Load the demo scenario of the guides. Idempotent: a second run keeps what is there."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.customs import issue_demo_token
from demo.load import load_demo
from demo.people import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Create or update the demo scenario (accounts, organisations, certificates)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo refuses to run with DEBUG off: its accounts share a known password.")
        with transaction.atomic():
            load_demo()
        self.stdout.write(self.style.SUCCESS("Demo scenario loaded. One login per role:"))
        for email, role, _name, _signs in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<42} {email}")
        self.stdout.write(
            f"  {'customs exchange (machine client, FR000690)':<42} token {issue_demo_token()}  (/api/customs/v1/docs)"
        )
        self.stdout.write(
            f"Password: {settings.DEMO_PASSWORD}   TOTP secret (signing accounts): {settings.DEMO_TOTP_SECRET}"
        )
