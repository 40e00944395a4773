"""`manage.py purge_used_codes`: delete the marks of two-factor codes whose period is past (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.two_factor import purge_used_codes


class Command(BaseCommand):
    help = "Delete the marks of used two-factor codes that could no longer be accepted anyway."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge_used_codes()} used codes' marks deleted")
