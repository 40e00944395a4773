"""manage.py load_cn [--year 2026 | --file CN2027.csv]: load the combined nomenclature (see reference.loader)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reference.loader import LoadResult, current_year, load_base, load_official, shipped_years


class Command(BaseCommand):
    help = (
        "Load the combined nomenclature. Without --file: the official CN shipped in reference/data/cn/ (see "
        "SOURCE.md there), of --year (default: the year in force today, the latest shipped at most), with English "
        "and French texts. With --file: the EU's yearly CN file, saved as CSV (UTF-8 or Windows-1252, comma, "
        "semicolon or tab separated) with a header row naming the code column 'CN code' (or CN_CODE, Code, Goods "
        "code; '0801 32 00', dots and spaces ignored, section rows skipped) and the descriptions 'Description EN' / "
        "'Description FR' (or NAME_EN / NAME_FR, or a single 'Description', English); other columns (Level, SU, "
        "order) are ignored, leading dashes of the descriptions removed. Codes are updated in place; codes the "
        "loaded nomenclature does not have are taken out of force and no longer selectable, never deleted "
        "(certificates that used them stay readable). Running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="a yearly CN file in the EU's layout, as CSV")
        parser.add_argument("--year", type=int, choices=shipped_years(), help="a shipped CN year")

    def handle(self, *args: Any, file: Path | None = None, year: int | None = None, **options: Any) -> None:
        start = time.monotonic()
        if file is not None:
            if file.suffix.lower() in {".xlsx", ".xls"}:
                raise CommandError("Save the Excel file as CSV (UTF-8) first: OpenCOI reads the CSV layout.")
            if not file.exists():
                raise CommandError(f"{file}: no such file")
            try:
                result = load_official(file)
            except (ValueError, UnicodeDecodeError) as exc:
                raise CommandError(str(exc)) from exc
            source = str(file)
        else:
            year = year or current_year()
            result = load_base(year)
            source = f"CN {year}"
        self.stdout.write(f"{source}: {self.summary(result)} ({time.monotonic() - start:.1f} s)")

    @staticmethod
    def summary(result: LoadResult) -> str:
        return (
            f"{result.created} created, {result.updated} updated, {result.retired} out of force; "
            f"{result.in_force} codes in force, {result.selectable} selectable."
        )
