"""Sorting names as a reader expects: by the Unicode Collation Algorithm (pyuca, the DUCET table), so that
"Égypte", "États-Unis" and "Île Maurice" sort with E and I, not after "Zimbabwe" as code points would have it.

Databases sort by their own collation (SQLite: bytes), so short lists of names are sorted here, after the query;
a long list that is paged (operators) is ordered by the database on a stored `collation_text` of the name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from django import forms
from django.forms.models import ModelChoiceIterator
from pyuca import Collator

T = TypeVar("T")


@cache
def _collator() -> Collator:
    return Collator()  # loads the DUCET once (about 0.4 s)


def collation_key(text: str) -> tuple[int, ...]:
    """The key that sorts `text` among others as a reader expects: accents and case second, letters first."""
    return tuple(_collator().sort_key(text or ""))


def collation_text(text: str) -> str:
    """`collation_key` written as text that sorts the same, byte by byte (four hex digits per weight, every
    DUCET weight being at most FFFF): stored beside a name, a database orders by it as a reader expects."""
    return "".join(f"{weight:04x}" for weight in collation_key(text))


def sorted_names(items: Iterable[T], name: Callable[[T], str] = str) -> list[T]:
    """`items` sorted by `name(item)` in collation order: 'Égypte' before 'Espagne', 'Zimbabwe' last."""
    return sorted(items, key=lambda item: collation_key(name(item)))


class CollatedChoiceIterator(ModelChoiceIterator):
    """The options of a model choice field in collation order of their labels (the objects' `str`)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted_names(self.queryset, self.field.label_from_instance):
            yield self.choice(obj)


class NameChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options read in collation order ('Établissement' before 'INAO')."""

    iterator = CollatedChoiceIterator


class NameMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = CollatedChoiceIterator
