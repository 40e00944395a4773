"""`manage.py customs_client FR000690 "Guichet unique national"`: issue a machine client's token for a customs
office and print it (shown once; only its SHA-256 is kept)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from customs.models import CustomsClient, CustomsOffice


class Command(BaseCommand):
    help = "Issue an API token for a system calling the customs exchange for one office, and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("office_code")
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        office = CustomsOffice.objects.filter(code=options["office_code"].upper()).first()
        if office is None:
            raise CommandError(f"No customs office has the code {options['office_code']}.")
        _client, secret = CustomsClient.issue(office, options["name"])
        self.stdout.write(secret)
