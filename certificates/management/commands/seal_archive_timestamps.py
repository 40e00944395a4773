"""Keep the stored sealed PDFs verifiable: PAdES B-LTA archive timestamps (run daily: cron, systemd timer).

A stored PDF whose latest timestamp's certificate expires within SEAL_ARCHIVE_MARGIN_DAYS (or --margin-days)
gets the validation data of that timestamp and a new document timestamp (ETSI EN 319 142-1 §5.5), so that
its seal can still be verified after the TSA certificate expires. PDFs already handed out cannot be reached:
they are verified as they are (their B-LT data lasts as long as the TSA certificate).
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from certificates.outputs import pdf_store
from certificates.outputs.seal import SealError, add_archive_timestamp, last_timestamp_expiry
from core.storage import STORE_ERRORS


class Command(BaseCommand):
    help = "Add an archive timestamp to each stored sealed PDF whose last timestamp's certificate expires soon."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--margin-days", type=int, default=None)

    def handle(self, *args: Any, margin_days: int | None, **options: Any) -> None:
        margin = datetime.timedelta(days=settings.SEAL_ARCHIVE_MARGIN_DAYS if margin_days is None else margin_days)
        due_before = datetime.datetime.now(datetime.UTC) + margin
        stamped = failed = 0
        for name in stored_pdfs():
            with default_storage.open(name, "rb") as f:
                content = f.read()
            expiry = last_timestamp_expiry(content)
            if expiry is None or expiry > due_before:
                continue
            try:
                renewed = add_archive_timestamp(content)
            except SealError as error:
                failed += 1
                self.stderr.write(f"{name}: {error}")
                continue
            if not _replace(name, content, renewed):
                failed += 1
                self.stderr.write(f"{name}: the store did not take the renewed PDF; the stored one is kept")
                continue
            stamped += 1
        self.stdout.write(f"{stamped} PDF(s) given an archive timestamp, {failed} failed")
        if failed:
            raise SystemExit(1)


def _replace(name: str, content: bytes, renewed: bytes) -> bool:
    """Store `renewed` under `name` instead of `content` (the store keeps no two files of one name). When the
    store fails after the old file is deleted, the old one is put back: a stored PDF is never left missing by
    this command (and pdf_store renders a missing one again)."""
    try:
        default_storage.delete(name)
    except STORE_ERRORS:
        return False
    try:
        default_storage.save(name, ContentFile(renewed))
    except STORE_ERRORS:
        with contextlib.suppress(*STORE_ERRORS):
            default_storage.save(name, ContentFile(content))
        return False
    return True


def stored_pdfs() -> list[str]:
    """The names of every stored PDF (one folder per COI, certificates.outputs.pdf_store)."""
    try:
        folders = default_storage.listdir(pdf_store.ROOT)[0]
    except FileNotFoundError:
        return []
    names = []
    for folder in folders:
        names += [f"{pdf_store.ROOT}/{folder}/{name}" for name in pdf_store.files(f"{pdf_store.ROOT}/{folder}")]
    return sorted(names)
