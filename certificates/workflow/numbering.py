"""Box 3, the COI's number, given at its submission for certification (and to a replacement)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from certificates.models import NumberSequence


def next_number(country: str, year: int) -> str:
    """Box 3: `COI.EU.<country of export>.<year>.<7-digit sequence>`, one sequence row per country and year,
    locked while the next number is taken, so two submissions never get the same one and none is reused."""
    with transaction.atomic():
        sequence = _locked_sequence(country, year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"COI.EU.{country}.{year}.{sequence.last:07d}"


def _locked_sequence(country: str, year: int) -> NumberSequence:
    locked = NumberSequence.objects.select_for_update()
    try:
        with transaction.atomic():
            return locked.get_or_create(country=country, year=year)[0]
    except IntegrityError:  # created meanwhile by a concurrent submission
        return locked.get(country=country, year=year)
