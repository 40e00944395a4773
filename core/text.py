"""One rule for every text a person or a script gives OpenCOI: which characters a value may hold.

Refused, on every text input (page forms, API bodies, SPS XML imports, and as a last guard when a row is
saved):

- control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F), except tab and line feed in a
  text that may span lines (a text area), where a carriage return before a line feed is accepted too;
- lone surrogates (U+D800-U+DFFF), which no UTF-8 output can encode;
- the bidirectional embedding, override and isolate characters (U+202A-U+202E, U+2066-U+2069), which make
  a value read differently from what it holds (CVE-2021-42574, "Trojan Source").

Such a character breaks the outputs of every party of a COI (XML 1.0 and Excel's cell format forbid most
control characters), so it is refused at its field with a message saying which character, never dropped.
`printable` is the outputs' side: it makes a value stored before this rule safe to write.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Field
from django.utils.translation import gettext as _

from core.errors import Invalid

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SURROGATES = "\ud800-\udfff"
SINGLE_LINE = re.compile(f"[{_CONTROLS}\t\n\r{_SURROGATES}{BIDI_CONTROLS}]")
MULTI_LINE = re.compile(f"[{_CONTROLS}{_SURROGATES}{BIDI_CONTROLS}]|\r(?!\n)")
# The same rule as JSON Schema patterns (ECMA-262 syntax, \uXXXX escapes), for the API's OpenAPI document.
_REFUSED_CLASS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff\u202a-\u202e\u2066-\u2069"
SINGLE_LINE_PATTERN = rf"^[^{_REFUSED_CLASS}\t\n\r]*$"
MULTI_LINE_PATTERN = rf"^(?:[^{_REFUSED_CLASS}\r]|\r\n)*$"


def refusal(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` is refused (a sentence naming the first bad character, in the active language), or None."""
    found = (MULTI_LINE if multiline else SINGLE_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    if char in BIDI_CONTROLS:
        return _("The text holds a bidirectional control character (U+%(code)04X): remove it.") % {"code": ord(char)}
    if "\ud800" <= char <= "\udfff":
        return _("The text holds an invalid character (U+%(code)04X): remove it.") % {"code": ord(char)}
    if char in "\t\n\r":
        return _("This field is one line: remove the line breaks and tabs.")
    return _("The text holds a control character (U+%(code)04X): remove it.") % {"code": ord(char)}


def validate_line(value: str) -> None:
    """Django validator for a one-line text (an input box)."""
    message = refusal(str(value))
    if message:
        raise ValidationError(message, code="bad_character")


def validate_multiline(value: str) -> None:
    """Django validator for a text that may span lines (a text area): tab and line breaks allowed."""
    message = refusal(str(value), multiline=True)
    if message:
        raise ValidationError(message, code="bad_character")


_UNPRINTABLE = re.compile(f"[{_CONTROLS}{_SURROGATES}{BIDI_CONTROLS}]")


def printable(value: str) -> str:
    """A stored value made safe for XML and spreadsheets: each refused character becomes U+FFFD, so the
    reader sees that something was there (outputs only; inputs refuse these characters)."""
    return _UNPRINTABLE.sub("\ufffd", value)


class TextFormMixin:
    """Put first in a Django form's bases: every text field gets the rule (text areas allow line breaks)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(validate_multiline if multiline else validate_line)


# The last guard: no row of OpenCOI's own apps is saved with a refused character or a value over its column.

GUARDED_APPS = {"accounts", "core", "reference", "directory", "certificates", "api"}


def column(model: type, name: str) -> tuple[str, int | None]:
    """A text column's label and length: `column(CommodityLine, "trade_name")` -> ("trade name", 200)."""
    field = model._meta.get_field(name)  # type: ignore[attr-defined]  # a Django model class
    assert isinstance(field, Field)
    return str(field.verbose_name), field.max_length


def too_long(value: str, limit: int) -> str:
    return _("At most %(limit)s characters (%(count)s given).") % {"limit": limit, "count": len(value)}


class LoadedValues:
    """A model mixin: each instance read from the database keeps the values it was read with (`_loaded_values`,
    {attname: value}), so that `refuse_bad_text` knows what was stored without reading the row again."""

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)  # type: ignore[misc]  # a Model's from_db
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance


def refuse_bad_text(sender: type, instance: object, raw: bool = False, **kwargs: object) -> None:
    """pre_save receiver: refuse (core.errors.Invalid, 422) a text field over its column or holding a refused
    character, naming the field, so that nothing is stored cut or unreadable whatever path wrote it.
    Inputs check the same before this (at their field, in the person's language); this is the backstop."""
    meta = sender._meta  # type: ignore[attr-defined]
    if raw or meta.app_label not in GUARDED_APPS:
        return
    update_fields = kwargs.get("update_fields")
    fields = [
        f
        for f in meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and (update_fields is None or f.name in update_fields)  # type: ignore[operator]
    ]
    stored: dict[str, object] = {}
    if update_fields is None and not instance._state.adding and fields:  # type: ignore[attr-defined]
        # A value stored before this rule does not block other changes to its row: only new values are checked.
        # A row read with `LoadedValues` says what it held when read (its row is read again otherwise).
        loaded = getattr(instance, "_loaded_values", None)
        if isinstance(loaded, dict) and all(f.attname in loaded for f in fields):
            stored = loaded
        else:
            pk = instance.pk  # type: ignore[attr-defined]
            stored = sender._base_manager.filter(pk=pk).values(*(f.attname for f in fields)).first() or {}  # type: ignore[attr-defined]
    for field in fields:
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or (stored and stored.get(field.attname) == value):
            continue
        message = refusal(value, multiline=True)
        if message is None and field.max_length and len(value) > field.max_length:
            message = too_long(value, field.max_length)
        if message:
            raise Invalid(f"{field.verbose_name}: {message}", code="invalid_text")
