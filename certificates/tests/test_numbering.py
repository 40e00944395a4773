"""Box 3: COI.EU.<country of export>.<year>.<7 digits>, unique, sequential, never reused, safe under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from certificates.models import NumberSequence
from certificates.workflow.numbering import next_number


@pytest.mark.django_db
def test_it_numbers_per_country_and_year_in_sequence():
    assert [next_number("MA", 2026) for _ in range(3)] == [
        "COI.EU.MA.2026.0000001",
        "COI.EU.MA.2026.0000002",
        "COI.EU.MA.2026.0000003",
    ]
    assert next_number("TN", 2026) == "COI.EU.TN.2026.0000001"
    assert next_number("MA", 2027) == "COI.EU.MA.2027.0000001"


@pytest.mark.django_db
def test_it_gives_a_submitted_coi_the_next_number_and_never_reuses_one(world):
    first = world.submitted()
    second = world.submitted("exporter")
    year = first.submitted_at.year
    assert first.number == f"COI.EU.MA.{year}.0000001"
    assert second.number == f"COI.EU.MA.{year}.0000002"
    second.delete()
    assert world.submitted().number == f"COI.EU.MA.{year}.0000003"


@pytest.mark.django_db(transaction=True)
def test_it_gives_unique_numbers_to_concurrent_submissions():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the row lock is exercised on PostgreSQL")
    numbers: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(10):
                numbers.append(next_number("MA", 2026))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"COI.EU.MA.2026.{n:07d}" for n in range(1, 61)]
    assert NumberSequence.objects.get(country="MA", year=2026).last == 60
