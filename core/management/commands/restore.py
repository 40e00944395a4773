"""Restore an archive written by `manage.py backup` into an empty, migrated database."""

from __future__ import annotations

import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Restore the database and uploaded documents from a backup archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Restore even if the database holds people.")

    def handle(self, *args: Any, archive: str, force: bool = False, **options: Any) -> None:
        if get_user_model().objects.exists() and not force:
            raise CommandError("The database is not empty: restore into a fresh, migrated database, or pass --force.")
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
            root = Path(tmp)
            if not (root / "database.json").is_file():
                raise CommandError("This archive has no database.json: not an OpenCOI backup.")
            with transaction.atomic():
                if force:
                    call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(root / "database.json"), verbosity=0)
            if (root / "media").is_dir():
                shutil.copytree(root / "media", media_root, dirs_exist_ok=True)
        self.stdout.write(f"Restored {archive}")
