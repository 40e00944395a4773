"""The two forms of the COI, each one data table: its boxes and its who-may-do-what table.

- "1235/2008": the form of Reg. (EC) No 1235/2008 (boxes 1-21) that the French guides describe, with the
  guide's table 3.3 (`coi-1235-2008-matrix.csv` beside this module, extracts
  `coi-1235-2008-extract-matrix.csv`).
  See `form_1235_2008.py`.
- "2021/2306": the model of the Annex to Delegated Reg. (EU) 2021/2306 (boxes 1-31), in force for every COI
  issued since 1 January 2022, with its table `coi-2021-2306-matrix.csv` beside this module, in the same
  format as the guide's, read by the same code (`certificates/matrix.py`). See `form_2021_2306.py`.

Every COI stores its form (`Certificate.form`); a new one takes `settings.COI_FORM_DEFAULT`, a replacement
or an extract takes its origin's. Pages, the API, the PDF and the exports ask `form_of(coi)` for the boxes
to show, their titles and which field is in which box; the matrix asks it for the table to read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from certificates.coi_forms import form_1235_2008, form_2021_2306
from certificates.coi_forms.table import HERE, Box, CoiForm, FormCode, Formed

__all__ = [
    "HERE",
    "Box",
    "CoiForm",
    "FormCode",
    "Formed",
    "FORMS",
    "get_form",
    "form_of",
    "default_form",
    "field_description",
]


def field_description(name: str) -> str:
    """Which box holds a field, on each form: "Box 6 of 2021/2306 (Operator who buys ...)", for the API schema."""
    with translation.override("en"):
        return _describe(name)


def _describe(name: str) -> str:
    parts = []
    for code in FormCode.values:
        coi_form = FORMS[code]
        key = coi_form.box_of_field.get(name)
        if key is not None:
            box = coi_form.by_key[key]
            where = f"box {box.number}" if box.number else str(box.title)
            parts.append(f"{code}: {where} ({box.title})" if box.number else f"{code}: {where}")
    return "; ".join(parts) or name


FORMS: dict[str, CoiForm] = {FormCode.R1235_2008: form_1235_2008.FORM, FormCode.R2021_2306: form_2021_2306.FORM}


def get_form(code: str) -> CoiForm:
    """The form of that code ("1235/2008" or "2021/2306"); KeyError for another."""
    return FORMS[code]


def form_of(coi: Formed | None) -> CoiForm:
    """The form of a COI (or of anything with a `form` attribute); the guides' form when it has none."""
    return FORMS[getattr(coi, "form", "") or FormCode.R1235_2008]


def default_form() -> str:
    """The form of a new COI: `settings.COI_FORM_DEFAULT` ("1235/2008" or "2021/2306")."""
    code = getattr(settings, "COI_FORM_DEFAULT", FormCode.R2021_2306)
    if code not in FormCode.values:
        raise ValueError(f"COI_FORM_DEFAULT must be one of {FormCode.values}, not {code!r}")
    return code


def foreign_fields(coi_form: CoiForm, data: dict[str, Any]) -> list[str]:
    """The fields of `data` that belong to the other form only (sent to a COI whose form has no such box). A field
    this form has in a box it derives (box 2 of the guides' form) is not foreign: it is ignored, as before."""
    others = set().union(*(f.typed_box_of_field for f in FORMS.values() if f is not coi_form))
    return sorted(f for f in data if f in others and f not in coi_form.box_of_field)
