"""`manage.py purge_idempotency_keys`: delete the API's kept answers older than `IDEMPOTENCY_KEY_HOURS`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.idempotency import purge


class Command(BaseCommand):
    help = "Delete the answers kept for Idempotency-Key requests once they have expired."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge()} expired answers deleted")
