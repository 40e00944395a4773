"""Numbers and punctuation as the reader's language writes them (issue 13: "9 071,8 kg", "Statut :").

Quantities are grouped explicitly (`quantity`) rather than through USE_THOUSAND_SEPARATOR, which would also group
the ids templates write into links and form values ("1 234").
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, translation

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
