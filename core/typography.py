"""Numbers and punctuation as the reader's language writes them (issue 13: "9 071,8 kg", "Statut :").

Quantities are grouped explicitly (`quantity`) rather than through USE_THOUSAND_SEPARATOR, which would also group
the ids templates write into links and form values ("1 234").
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import formats, translation

# A quantity as a person types it: digits, grouped or not by spaces (a space, a no-break space, the narrow one
# French pages write), and at most one decimal mark, "," or "." ("9 071,8", "9071.8", "3000").
TYPED_QUANTITY_PATTERN = r"^[0-9]+(?:[ \u00a0\u202f][0-9]+)*(?:[.,][0-9]+)?$"  # also the APIs' documented pattern
TYPED_QUANTITY = re.compile(TYPED_QUANTITY_PATTERN)

# Languages that put a no-break space before a colon.
SPACE_BEFORE_COLON = ("fr",)


def colon() -> str:
    """The separator after a label: '\u00a0:' in French, ':' otherwise (the space after is the caller's)."""
    language = translation.get_language() or ""
    return "\u00a0:" if language.startswith(SPACE_BEFORE_COLON) else ":"


def quantity(value: Decimal | float | int | None, decimals: int | None = None) -> str:
    """A quantity in the active language, grouped by thousands, without trailing zeros: Decimal('9071.800') ->
    '9\u202f071,8' in French, '9,071.8' in English; `decimals` rounds to that many places; None -> ''."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if decimals is not None:
        number = round(number, decimals)
    number = number.normalize()
    places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]  # a finite Decimal: its exponent is an int
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def typed_quantity(text: str) -> Decimal | None:
    """The number a person typed as a quantity ("9 071,8" -> Decimal('9071.8')), or None for any other form:
    an exponent ("1e3"), a sign, "NaN" or "Infinity", underscores ("1_000"), two decimal marks, a mark alone
    (".5", "5."), which Python's Decimal would read. Spaces around are ignored. One reading for every page
    where a weight (or a count) is typed."""
    text = text.strip()
    if not TYPED_QUANTITY.fullmatch(text):
        return None
    return Decimal(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def read_quantity(raw: object) -> Decimal | None:
    """The one reading of a quantity given by a person or a client (a page's field, an API's JSON value): a text
    as `typed_quantity` reads it ("1e3", "+5", "1_000", "NaN" -> None); a JSON number (int, float, Decimal) as
    that number when finite; anything else (true, a list) None. Pages, both APIs and the customs exchange read
    their weights and counts through it."""
    if isinstance(raw, str):
        return typed_quantity(raw)
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None
    number = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
    return number if number.is_finite() else None
