"""Write one archive with the whole database (as Django fixtures) and every stored file.

Files are read through Django's storage API (`default_storage`): the app server's disk or the object store,
whichever the settings choose. The archive restores into SQLite or PostgreSQL alike (`manage.py restore`).
For a large deployment, `pg_dump -Fc` plus the object store's own versioning is faster (docs/deploy.md).
"""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by the software itself; restoring them would only bring stale rows.
EXCLUDED = ["contenttypes", "auth.permission", "admin.logentry", "sessions", "axes", "django_tasks_database"]


class Command(BaseCommand):
    help = "Back up the database and uploaded documents into one .tar.gz archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "archive", nargs="?", help="Path of the archive (default: var/backups/opencoi-<time>.tar.gz)"
        )

    def handle(self, *args: Any, archive: str | None = None, **options: Any) -> None:
        target = Path(archive or settings.VAR_DIR / "backups" / f"opencoi-{time.strftime('%Y%m%d-%H%M%S')}.tar.gz")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = io.StringIO()
        # Times to the microsecond (core/serializers.py): a restored COI's page and kept PDFs are the same.
        call_command(
            "dumpdata", format="opencoi_json", exclude=EXCLUDED, natural_foreign=True, indent=None, stdout=data
        )
        payload = data.getvalue().encode()
        files = 0
        with tarfile.open(target, "w:gz") as tar:
            info = tarfile.TarInfo("database.json")
            info.size = len(payload)
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(payload))
            for name in sorted(stored_files(default_storage)):
                info = tarfile.TarInfo(f"media/{name}")
                info.size = default_storage.size(name)
                info.mtime = int(time.time())
                with default_storage.open(name, "rb") as f:
                    tar.addfile(info, f)
                files += 1
        self.stdout.write(f"{target} ({len(payload)} bytes of data, {files} stored files)")


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the store, folder by folder (names relative to the store's root, "/"-separated)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # the disk's media folder before the first upload
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield prefix + name
    for sub in folders:
        yield from stored_files(storage, prefix + sub)
