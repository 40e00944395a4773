"""Generate the seal's key and a self-signed certificate (demo and tests; production brings its own)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from certificates.outputs.seal import generate_self_signed


class Command(BaseCommand):
    help = "Generate SEAL_KEY_FILE and a self-signed SEAL_CERT_FILE unless they exist."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--common-name", default="OpenCOI demo seal")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args: Any, common_name: str, force: bool, **options: Any) -> None:
        key, cert = settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE
        if key.exists() and cert.exists() and not force:
            self.stdout.write(f"Seal certificate already at {cert}")
            return
        generate_self_signed(key, cert, common_name=common_name)
        self.stdout.write(f"Seal key {key} and self-signed certificate {cert} written")
