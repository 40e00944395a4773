"""The two forms of the COI, each one data table: its boxes and its who-may-do-what table.

- "1235/2008": the form of Reg. (EC) No 1235/2008 (boxes 1-21) that the French guides describe, with the
  guide's table 3.3 (`certificates/coi-edit-matrix.csv`, extracts `certificates/coi-extract-matrix.csv`).
  See `form_1235_2008.py`.
- "2021/2306": the model of the Annex to Delegated Reg. (EU) 2021/2306 (boxes 1-31), in force for every COI
  issued since 1 January 2022, with its table `coi-2021-2306-matrix.csv` beside this module, in the same
  format as the guide's, read by the same code (`certificates/matrix.py`). See `form_2021_2306.py`.

Every COI stores its form (`Certificate.form`); a new one takes `settings.COI_FORM_DEFAULT`, a replacement
or an extract takes its origin's. Pages, the API, the PDF and the exports ask `form_of(coi)` for the boxes
to show, their titles and which field is in which box; the matrix asks it for the table to read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HERE = Path(__file__).resolve().parent


class FormCode(models.TextChoices):
    R1235_2008 = "1235/2008", _("Reg. (EC) No 1235/2008 (boxes 1-21)")
    R2021_2306 = "2021/2306", _("Reg. (EU) 2021/2306 (boxes 1-31)")


@dataclass(frozen=True)
class Box:
    """One box of a form.

    key: how the matrix, the errors and the API name the box ("13", "rfl", "23v" for box 23's verification
    part); number: the number printed on the form ("" for the product picker); title: the model's title
    (English msgid, French in the catalogue); fields: the COI's fields it holds, in `certificates/boxes.py`
    names (derived fields too: "producers", "destination_country"); filled_by: the roles that fill it
    (`COIRole` values, "system" for the number); from_status / until_status: the first and the last status in
    which it is filled (a signed box: the status in which it is signed, until_status the one it leads to).
    """

    key: str
    number: str
    title: Promise
    fields: tuple[str, ...] = ()
    filled_by: tuple[str, ...] = ()
    from_status: str = "draft"
    until_status: str = "description_completed"
    optional: bool = False
    signed: bool = False
    read_only: bool = False  # shown, never typed (derived from other boxes)
    part: str = ""  # "issuing" (issued in the third country) or "union" (completed in the Union)
    # A signed box: the workflow's signature it prints (`workflow.models.Signature.Box`), when not its number
    # (an extract's box 12 is signed as box 30, its box 13 as box 31).
    signature: str = ""
    # A box of lines (13 of the COI, 11 of the extract): the columns printed, in `render.COLUMNS` names.
    columns: tuple[str, ...] = ()

    @property
    def signature_box(self) -> str:
        return self.signature or self.number


@dataclass(frozen=True)
class CoiForm:
    code: str
    title: Promise
    boxes: tuple[Box, ...]
    matrix_csv: Path
    extract_matrix_csv: Path
    statuses: tuple[str, ...]
    extract_boxes: tuple[Box, ...] = ()
    extract_title: Promise | str = ""
    pdf_template: str = "certificates/outputs/pdf.html"
    notes: tuple[str, ...] = field(default=())

    @cached_property
    def by_key(self) -> dict[str, Box]:
        return {box.key: box for box in self.boxes}

    @cached_property
    def box_of_field(self) -> dict[str, str]:
        """Field -> the key of the box holding it (the first box naming it: boxes 14 and 15 share containers)."""
        out: dict[str, str] = {}
        for box in self.boxes:
            for name in box.fields:
                out.setdefault(name, box.key)
        return out

    @cached_property
    def typed_box_of_field(self) -> dict[str, str]:
        """Field -> box, for the fields people type (not derived, not from the system, not set by a signature)."""
        out: dict[str, str] = {}
        for box in self.boxes:
            if box.read_only or box.signed or box.filled_by == ("system",):
                continue
            for name in box.fields:
                out.setdefault(name, box.key)
        return out

    @cached_property
    def all_boxes(self) -> tuple[str, ...]:
        """The boxes "edit all boxes" covers: every box filled before the issuing body signs, but read-only ones."""
        return tuple(b.key for b in self.boxes if b.from_status == "draft" and not b.signed and not b.read_only)

    def has_extract_model(self) -> bool:
        """True when the form has an extract model of its own (2021/2307); the guides' extract is a COI form."""
        return bool(self.extract_boxes)

    def boxes_for(self, coi: Any) -> tuple[Box, ...]:
        """The boxes a COI or an extract prints: an extract of a form with its own extract model prints that
        model's boxes (the 13 of 2021/2307), anything else the form's boxes."""
        return self.extract_boxes if getattr(coi, "base_id", None) and self.extract_boxes else self.boxes

    def title_for(self, coi: Any) -> str:
        """The model's title for that COI or extract (2021/2307: "Extract of the certificate of inspection ...")."""
        if getattr(coi, "base_id", None) and self.extract_title:
            return str(self.extract_title)
        return str(self.title)

    def title_of(self, key: str) -> str:
        box = self.by_key.get(key)
        return str(box.title) if box else key

    def renumber(self, problems: dict[str, list[str]], source: CoiForm | None = None) -> dict[str, list[str]]:
        """Problems keyed by the boxes of `source` (by default the guides' form, in which `certificates/rules.py`
        writes them), keyed by this form's boxes instead: a box goes where its first field went."""
        source = source or FORMS[FormCode.R1235_2008]
        if source is self:
            return problems
        out: dict[str, list[str]] = {}
        for key, messages in problems.items():
            box = source.by_key.get(key)
            target = key
            if box is not None and box.fields and box.fields[0] in self.box_of_field:
                target = self.box_of_field[box.fields[0]]
            out.setdefault(target, []).extend(messages)
        return out


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


def _forms() -> dict[str, CoiForm]:
    from certificates.coi_forms import form_1235_2008, form_2021_2306

    return {FormCode.R1235_2008: form_1235_2008.FORM, FormCode.R2021_2306: form_2021_2306.FORM}


class _Forms(dict):
    def __missing__(self, key: str) -> CoiForm:
        self.update(_forms())
        if key not in self:
            raise KeyError(key)
        return self[key]


FORMS: dict[str, CoiForm] = _Forms()


def get_form(code: str) -> CoiForm:
    """The form of that code ("1235/2008" or "2021/2306"); KeyError for another."""
    return FORMS[code]


def form_of(coi: Any) -> CoiForm:
    """The form of a COI (or of anything with a `form` attribute); the guides' form when it has none."""
    return FORMS[getattr(coi, "form", "") or FormCode.R1235_2008]


def default_form() -> str:
    """The form of a new COI: `settings.COI_FORM_DEFAULT` ("1235/2008" or "2021/2306")."""
    code = getattr(settings, "COI_FORM_DEFAULT", FormCode.R1235_2008)
    if code not in FormCode.values:
        raise ValueError(f"COI_FORM_DEFAULT must be one of {FormCode.values}, not {code!r}")
    return code


def foreign_fields(coi_form: CoiForm, data: dict[str, Any]) -> list[str]:
    """The fields of `data` that belong to the other form only (sent to a COI whose form has no such box). A field
    this form has in a box it derives (box 2 of the guides' form) is not foreign: it is ignored, as before."""
    others = set().union(*(f.typed_box_of_field for f in FORMS.values() if f is not coi_form))
    return sorted(f for f in data if f in others and f not in coi_form.box_of_field)
