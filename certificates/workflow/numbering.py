"""Box 3, the COI's number, given at its submission for certification (and to a replacement)."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from certificates.models import NumberSequence


def next_number(country: str, year: int) -> str:
    """Box 3: `COI.EU.<country of export>.<year>.<7-digit sequence>`, one sequence row per country and year,
    taken by one UPDATE ... RETURNING, which locks the row until the step's transaction ends: two submissions
    never get the same number and none is reused. The year's first number creates the row."""
    last = _taken(country, year)
    if last is None:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(country=country, year=year, last=1)
            last = 1
        except IntegrityError:  # created meanwhile by a concurrent submission
            last = _taken(country, year) or 0
    return f"COI.EU.{country}.{year}.{last:07d}"


def _taken(country: str, year: int) -> int | None:
    table, quote = NumberSequence._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {quote('last')} = {quote('last')} + 1 "  # noqa: S608  # names, not input
            f"WHERE {quote('country')} = %s AND {quote('year')} = %s RETURNING {quote('last')}",
            [country, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None
