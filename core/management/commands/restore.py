"""Restore an archive written by `manage.py backup` into an empty, migrated database and the configured store
(the disk or the object store, through Django's storage API), each file under its own name: the files first,
then the database in one transaction."""

from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.storage import STORE_ERRORS


class Command(BaseCommand):
    help = "Restore the database and uploaded documents from a backup archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Restore even if the database holds people.")

    def handle(self, *args: Any, archive: str, force: bool = False, **options: Any) -> None:
        if get_user_model().objects.exists() and not force:
            raise CommandError("The database is not empty: restore into a fresh, migrated database, or pass --force.")
        with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
            root = Path(tmp)
            if not (root / "database.json").is_file():
                raise CommandError("This archive has no database.json: not an OpenCOI backup.")
            # The files first, then the rows that name them (core/storage.py): a store that fails midway leaves
            # files no row names, never a document row naming a file the store does not hold.
            media = root / "media"
            files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
            for path in files:
                name = path.relative_to(media).as_posix()
                try:
                    if default_storage.exists(name):
                        default_storage.delete(name)
                    with path.open("rb") as f:
                        saved = default_storage.save(name, File(f))
                except STORE_ERRORS as error:
                    raise CommandError(
                        f"The store did not take {name} ({error}): nothing was restored to the database; "
                        "run restore again once the store answers."
                    ) from error
                if saved != name:
                    raise CommandError(f"{name} was stored as {saved}: the store renames files.")
            with transaction.atomic():
                if force:
                    call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(root / "database.json"), verbosity=0)
        self.stdout.write(f"Restored {archive} ({len(files)} stored files)")
