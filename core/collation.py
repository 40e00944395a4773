"""Sorting names as a reader expects: by the Unicode Collation Algorithm (pyuca, the DUCET table), so that
"Égypte", "États-Unis" and "Île Maurice" sort with E and I, not after "Zimbabwe" as code points would have it.

Databases sort by their own collation (SQLite: bytes), so lists of names are sorted here, after the query."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from pyuca import Collator

T = TypeVar("T")


@cache
def _collator() -> Collator:
    return Collator()  # loads the DUCET once (about 0.4 s)


def collation_key(text: str) -> tuple[int, ...]:
    """The key that sorts `text` among others as a reader expects: accents and case second, letters first."""
    return tuple(_collator().sort_key(text or ""))


def sorted_names(items: Iterable[T], name: Callable[[T], str] = str) -> list[T]:  # type: ignore[assignment]
    """`items` sorted by `name(item)` in collation order: 'Égypte' before 'Espagne', 'Zimbabwe' last."""
    return sorted(items, key=lambda item: collation_key(name(item)))
