"""The sentence of each invalid field of a 422 answer (`errors[].msg`), in the caller's language
(`Accept-Language`, or the person's language), as `detail` is: pydantic writes its own in English ("Field
required", "String should match pattern ..."); each of its error types used by our schemas has its sentence here,
with its limits (`ctx`) as the reader writes numbers. A message our own checks raise (`value_error`, already in
the caller's language) is kept without pydantic's "Value error, " prefix. One place, for both APIs (the main
one at /api/v1/ and the customs exchange's at /api/customs/v1/), their query strings, bodies, forms and headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.typography import quantity


def _limit(ctx: dict[str, Any], name: str) -> str:
    value = ctx.get(name, "")
    try:
        return quantity(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def _expected(ctx: dict[str, Any]) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a, b, c" (its "or" is English)."""
    return ", ".join(v.strip().strip("'") for v in re.split(r",|\bor\b", str(ctx.get("expected", ""))) if v.strip())


def _characters(ctx: dict[str, Any], bound: str) -> str:
    n = int(ctx.get(bound, 0))
    if bound == "min_length":
        return ngettext("At least %(n)s character.", "At least %(n)s characters.", n) % {"n": _limit(ctx, bound)}
    return ngettext("At most %(n)s character.", "At most %(n)s characters.", n) % {"n": _limit(ctx, bound)}


def _items(ctx: dict[str, Any], bound: str) -> str:
    n = int(ctx.get(bound, 0))
    if bound == "min_length":
        return ngettext("At least %(n)s item.", "At least %(n)s items.", n) % {"n": _limit(ctx, bound)}
    return ngettext("At most %(n)s item.", "At most %(n)s items.", n) % {"n": _limit(ctx, bound)}


def _of_items(ctx: dict[str, Any]) -> bool:
    """A length of a list (or set, tuple, object), not of a text (pydantic says `field_type` "Value" for a text
    whose length an annotation bounds)."""
    return str(ctx.get("field_type", "")) in ("List", "Set", "Tuple", "Dictionary", "Dict", "Frozenset")


# pydantic's error type -> the sentence (its `ctx`, the error's context, fills the limits).
SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda c: _("This field is required."),
    "extra_forbidden": lambda c: _("This field is not known: leave it out."),
    "string_type": lambda c: _("Give a text."),
    "string_pattern_mismatch": lambda c: _("This value does not have the expected form."),
    "string_too_short": lambda c: _characters(c, "min_length"),
    "string_too_long": lambda c: _characters(c, "max_length"),
    "too_short": lambda c: _items(c, "min_length") if _of_items(c) else _characters(c, "min_length"),
    "too_long": lambda c: _items(c, "max_length") if _of_items(c) else _characters(c, "max_length"),
    "int_type": lambda c: _("Give a whole number."),
    "int_parsing": lambda c: _("Give a whole number."),
    "int_from_float": lambda c: _("Give a whole number."),
    "float_type": lambda c: _("Give a number."),
    "float_parsing": lambda c: _("Give a number."),
    "decimal_type": lambda c: _("Give a number."),
    "decimal_parsing": lambda c: _("Give a number."),
    "finite_number": lambda c: _("Give a number."),
    "decimal_max_digits": lambda c: _("At most %(n)s digits.") % {"n": _limit(c, "max_digits")},
    "decimal_max_places": lambda c: _("At most %(n)s decimals.") % {"n": _limit(c, "decimal_places")},
    "decimal_whole_digits": lambda c: (
        _("At most %(n)s digits before the decimal point.") % {"n": _limit(c, "whole_digits")}
    ),
    "greater_than": lambda c: _("More than %(n)s.") % {"n": _limit(c, "gt")},
    "greater_than_equal": lambda c: _("At least %(n)s.") % {"n": _limit(c, "ge")},
    "less_than": lambda c: _("Less than %(n)s.") % {"n": _limit(c, "lt")},
    "less_than_equal": lambda c: _("At most %(n)s.") % {"n": _limit(c, "le")},
    "bool_type": lambda c: _("Give true or false."),
    "bool_parsing": lambda c: _("Give true or false."),
    "date_type": lambda c: _("Give a date (YYYY-MM-DD)."),
    "date_parsing": lambda c: _("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": lambda c: _("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": lambda c: _("Give a date (YYYY-MM-DD)."),
    "datetime_type": lambda c: _("Give a time (ISO 8601, with its UTC offset)."),
    "datetime_parsing": lambda c: _("Give a time (ISO 8601, with its UTC offset)."),
    "datetime_from_date_parsing": lambda c: _("Give a time (ISO 8601, with its UTC offset)."),
    "timezone_aware": lambda c: _("Give the time with its UTC offset (e.g. +01:00 or Z)."),
    "literal_error": lambda c: _("One of: %(values)s.") % {"values": _expected(c)},
    "enum": lambda c: _("One of: %(values)s.") % {"values": _expected(c)},
    "list_type": lambda c: _("Give a list."),
    "dict_type": lambda c: _("Give an object."),
    "model_type": lambda c: _("Give an object."),
    "model_attributes_type": lambda c: _("Give an object."),
    "json_invalid": lambda c: _("The request body cannot be read."),
    "json_type": lambda c: _("The request body cannot be read."),
    "uuid_type": lambda c: _("Give a UUID."),
    "uuid_parsing": lambda c: _("Give a UUID."),
    "url_parsing": lambda c: _("Give a web address."),
    "url_type": lambda c: _("Give a web address."),
    "none_required": lambda c: _("Leave this field out."),
}


def sentence(error: dict[str, Any]) -> str:
    """The sentence of one error in the active language."""
    kind, ctx, msg = str(error.get("type", "")), error.get("ctx") or {}, str(error.get("msg", ""))
    if kind in SENTENCES:
        return SENTENCES[kind](ctx)
    if kind in ("value_error", "assertion_error"):
        # our own check's message, already in the caller's language ("Value error, " is pydantic's prefix)
        return str(ctx.get("error") or msg.removeprefix("Value error, ").removeprefix("Assertion failed, "))
    if kind.split("_")[0] in PYDANTIC_KINDS:
        return _("This value is invalid.")
    return msg  # an error of ours (`idempotency_key_reused`...), written in the caller's language


# The first word of the error types pydantic writes itself, in English, that have no sentence above.
PYDANTIC_KINDS = frozenset(
    {"string", "int", "float", "decimal", "bool", "date", "datetime", "time", "timedelta", "list", "dict", "set",
     "tuple", "url", "uuid", "json", "model", "dataclass", "frozen", "is", "callable", "union", "bytes", "complex",
     "greater", "less", "multiple", "too", "finite", "literal", "enum", "missing", "extra", "none", "get"}
)  # fmt: skip


def translated(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors with each `msg` in the active language (`sentence`)."""
    return [{**e, "msg": sentence(e)} for e in errors]
