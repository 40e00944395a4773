"""The box table's building blocks, shared by both forms' tables (`form_1235_2008.py`, `form_2021_2306.py`):
a form's code, a box, and a form (its boxes and its who-may-do-what CSVs). See the package's docstring."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HERE = Path(__file__).resolve().parent


class FormCode(models.TextChoices):
    R1235_2008 = "1235/2008", _("Reg. (EC) No 1235/2008 (boxes 1-21)")
    R2021_2306 = "2021/2306", _("Reg. (EU) 2021/2306 (boxes 1-31)")


class Formed(Protocol):
    """What the tables read of a COI or an extract: its form's code and its base (a `certificates.models.Certificate`;
    this layer, below the models, names it by what it reads)."""

    @property
    def form(self) -> str: ...

    @property
    def base_id(self) -> int | None: ...


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
    # A signed box: the workflow's signature it prints (`workflow_records.Signature.Box`), when not its number
    # (an extract's box 12 is signed as box 30, its box 13 as box 31).
    signature: str = ""
    # A box of lines (13 of the COI, 11 of the extract): the columns printed, by line field (`fields.LINE_FIELDS`) or
    # `outputs.box_rows.DERIVED_COLUMNS` name.
    columns: tuple[str, ...] = ()
    # What else the box holds, by name, for the rules' problems about it to land here (`CoiForm.box_of`): a part
    # of a field printed in another box (box 15: the containers' "seals"), what a signer gives with a signature
    # and is kept with it (box 18's "late_reason", box 30's "reason", box 21's and 31's "remark").
    also_holds: tuple[str, ...] = ()
    # The PDF's layout (`outputs/pdf.py`): a box on half a line, beside the next half box (the guides' boxes 1-12
    # and 14-17); a new page before the box, headed by its part's title (`CoiForm.part_title`: the part of 2021/2306
    # completed in the Union).
    half: bool = False
    new_page: bool = False

    @property
    def signature_box(self) -> str:
        return self.signature or self.number


# The two parts of the form in force (Annex to 2021/2306), titled with their first and last box (`part_title`).
PART_TITLES = {
    "issuing": _("Part issued in the third country (boxes %(first)s to %(last)s)"),
    "union": _("Part completed in the Union (boxes %(first)s to %(last)s)"),
}


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
    # The boxes as the PDF prints them when they are not `boxes`: the guides' PDF prints a box 19 (the issuing
    # body's checks) that no one types on a page (`printed_boxes_for`).
    printed_boxes: tuple[Box, ...] = ()
    line_fields: tuple[str, ...] = ()  # what box 13 asks per line beyond the guides' (trade name, lot, ...)
    # Art. 5(3) of 2021/2306: how long after issue the issuing body may still complete boxes 13, 16 and 17
    # (rules.form_2021_2306.CompletionWithinTenDays); None on the guides' form.
    completion_window: datetime.timedelta | None = None
    # Guide 000, 3.1, box 17: box 17 may be completed later, before arrival (rules.TransportCompletedLater).
    transport_completed_later: bool = False
    # The statuses in which customs may release the goods for free circulation under the document (Implementing
    # Reg. (EU) 2024/2145, Annex I, point 2; `customs/rules.py`).
    release_statuses: tuple[str, ...] = ()
    # Each signature or verification (the box it is signed in) and the boxes it covers, by number on the form:
    # after it a covered box stays as signed (rules.form_2021_2306.SignedBoxesStay); empty where no rule says so.
    signature_covers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (signature, box): a covered box the law still lets change, the change withdrawing that signature.
    reopens: frozenset[tuple[str, str]] = frozenset()
    # What SPS XML notes carry of the fields SPS has no element for (`Row.sps_note`): their subject's prefix
    # ("COI_2021_2306:" + the field); "" for a form whose SPS document carries none (outputs/sps.py).
    sps_note_prefix: str = ""
    # The OpenAPI tag of the steps only this form has ("" for the common "certificate workflow"; api/steps.py).
    api_workflow_tag: str = ""
    notes: tuple[str, ...] = field(default=())

    def part_title(self, part: str) -> str:
        """The title of a part of the form ("issuing", "union": Annex to 2021/2306, its two parts), naming its first
        and last box by their numbers on this form: "Part completed in the Union (boxes 19 to 31)"."""
        numbers = [b.number for b in self.boxes if b.part == part and b.number]
        return str(PART_TITLES[part]) % {"first": numbers[0], "last": numbers[-1]}

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

    def boxes_for(self, coi: Formed) -> tuple[Box, ...]:
        """The boxes a COI or an extract prints: an extract of a form with its own extract model prints that
        model's boxes (the 13 of 2021/2307), anything else the form's boxes."""
        return self.extract_boxes if getattr(coi, "base_id", None) and self.extract_boxes else self.boxes

    def printed_boxes_for(self, coi: Formed) -> tuple[Box, ...]:
        """The boxes the PDF prints for that COI or extract, in order: `printed_boxes` when the form has some
        (not for an extract of its own model), else `boxes_for`."""
        boxes = self.boxes_for(coi)
        return self.printed_boxes if self.printed_boxes and boxes is self.boxes else boxes

    def signed_number(self, coi: Formed, signature: str) -> str:
        """The number of the box that prints the signature recorded as `signature` ("25", "30") on that COI or
        extract (an extract of 2021/2307 prints "30" in its box 12); the signature's own name when none does."""
        found = (b.number for b in self.boxes_for(coi) if b.signed and b.signature_box == signature and b.number)
        return next(found, signature)

    def title_for(self, coi: Formed) -> str:
        """The model's title for that COI or extract (2021/2307: "Extract of the certificate of inspection ...")."""
        if getattr(coi, "base_id", None) and self.extract_title:
            return str(self.extract_title)
        return str(self.title)

    def title_of(self, key: str) -> str:
        box = self.by_key.get(key)
        return str(box.title) if box else key

    def box_of(self, name: str) -> str | None:
        """The key of the box holding that field (`box_of_field`) or anything else it holds (`Box.also_holds`); None for
        a name this form has no box for."""
        found = self.box_of_field.get(name)
        if found is None:
            found = next((box.key for box in self.boxes if name in box.also_holds), None)
        return found

    def typed_boxes_of(self, name: str) -> tuple[str, ...]:
        """The keys of every box people type that field in, in the form's order (`typed_box_of_field` gives the
        first): box 14's containers are typed in box 15 too, with their seals; empty for a name no such box holds."""
        return tuple(
            box.key
            for box in self.boxes
            if name in box.fields and not (box.read_only or box.signed or box.filled_by == ("system",))
        )

    def fields_beside(self, name: str) -> tuple[str, ...]:
        """The fields of the box holding that field (empty when no box holds it)."""
        key = self.box_of_field.get(name)
        return self.by_key[key].fields if key is not None else ()

    def covered_by(self, signature: str) -> tuple[str, ...]:
        """The numbers of the boxes that signature covers (`signature_covers`; none when the form says none)."""
        return dict(self.signature_covers).get(signature, ())

    def signed_box_of(self, name: str) -> str:
        """The signature (`workflow_records.Signature.Box`) of the signed box holding that field or input: "30" for
        the "decision" of 2021/2306, "20" on the guides' form; "" when no box holds it."""
        key = self.box_of(name)
        return self.by_key[key].signature_box if key is not None else ""

    def number_of(self, name: str) -> str:
        """The printed number of the box holding that field ("" when none holds it, or the box has no number)."""
        key = self.box_of(name)
        return self.by_key[key].number if key is not None else ""
