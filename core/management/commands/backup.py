"""Write one archive with the whole database (as Django fixtures) and every uploaded file.

The archive restores into SQLite or PostgreSQL alike (`manage.py restore`). For a large PostgreSQL
deployment, `pg_dump -Fc` plus a copy of MEDIA_ROOT is faster; the README shows both.
"""

from __future__ import annotations

import io
import tarfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
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
        call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, indent=None, stdout=data)
        payload = data.getvalue().encode()
        media = Path(settings.MEDIA_ROOT)
        files = 0
        with tarfile.open(target, "w:gz") as tar:
            info = tarfile.TarInfo("database.json")
            info.size = len(payload)
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(payload))
            if media.is_dir():
                for path in sorted(p for p in media.rglob("*") if p.is_file()):
                    tar.add(path, arcname=f"media/{path.relative_to(media)}")
                    files += 1
        self.stdout.write(f"{target} ({len(payload)} bytes of data, {files} uploaded files)")
