"""Who may do what to a COI, in each status: seed 000's table 3.3 as data.

`coi_forms/coi-1235-2008-matrix.csv` is the spec's table, copied verbatim; this module reads it
into `(status, role) -> set of Action`. Pages (which buttons and fields to offer), the API and the
workflow all ask `allowed(...)`; the tests walk the whole table.

An extract (a COI with a base) is not in the guide's table: `coi_forms/coi-1235-2008-extract-matrix.csv`, in the
same format, gives its rows where they differ (drafted by the importer or the RFL, submitted for endorsement, endorsed
by the authority in box 20: the issuing body never signs it); its other rows are the table's. Pass the
COI itself instead of its status and the right table is read. See `certificates/workflow/__init__.py`.

Each form of the COI (`certificates/coi_forms/`) names its two tables: the guides' form of 1235/2008 the two
above, the form of 2021/2306 `coi_forms/coi-2021-2306-matrix.csv` and, for its extracts (2021/2307),
`coi_forms/coi-2021-2307-extract-matrix.csv`, in the same format and read by this same code. A COI is read
with its own form's tables; a bare status string with the guides' form's (or pass `form=`). An extract is
stored as a COI row: its table names its boxes by the COI's numbers (box 10 holds the extract's box 8, box 24
its box 10).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.coi_forms import HERE, FormCode, form_of, get_form
from certificates.statuses import COIRole, COIStatus

MATRIX_CSV = HERE / "coi-1235-2008-matrix.csv"
EXTRACT_CSV = HERE / "coi-1235-2008-extract-matrix.csv"


class Action(models.TextChoices):
    CREATE = "create", _("Create the COI")
    EDIT_ALL = "edit_all", _("Edit every box")
    EDIT_BOX_9 = "edit_box_9", _("Edit box 9")
    EDIT_BOX_12 = "edit_box_12", _("Edit box 12")
    ADD_RFL = "add_rfl", _("Add a responsible for the load")
    EDIT_BOX_13_PARTS = "edit_box_13_parts", _("Edit parts of box 13")
    EDIT_BOXES_14_15 = "edit_boxes_14_15", _("Edit boxes 14 and 15")
    EDIT_BOX_16 = "edit_box_16", _("Edit box 16")
    SIGN_18 = "sign_18", _("Sign box 18")
    REPLACE = "replace", _("Replace the COI")
    SIGN_20 = "sign_20", _("Sign box 20")
    SIGN_21 = "sign_21", _("Sign box 21")
    DELETE = "delete", _("Delete the COI")
    FLAG_OFIS = "flag_ofis", _("Flag an OFIS irregularity")
    INITIATE_EXTRACT = "initiate_extract", _("Initiate an extract of a lot")
    SPLIT = "split", _("Split the COI")
    SUBMIT_EXTRACT = "submit_extract", _("Submit the extract for endorsement")
    DEPLETE = "deplete", _("Mark as depleted")
    # Reg. (EU) 2021/2306
    EDIT_BOX_10 = "edit_box_10", _("Edit box 10")
    EDIT_BOX_17 = "edit_box_17", _("Edit box 17")
    EDIT_BOX_19 = "edit_box_19", _("Edit box 19")
    EDIT_BOXES_20_23 = "edit_boxes_20_23", _("Edit boxes 20 to 23")
    EDIT_BOX_24 = "edit_box_24", _("Edit box 24")
    EDIT_BOXES_26_29 = "edit_boxes_26_29", _("Edit boxes 26 to 29")
    VERIFY_23 = "verify_23", _("Verify the consignment before the special customs procedure (box 23)")
    SIGN_25 = "sign_25", _("Sign box 25")
    SIGN_30 = "sign_30", _("Sign box 30")
    SIGN_31 = "sign_31", _("Sign box 31")


# The table's wording, one phrase per action. A phrase the table uses that is missing here fails loudly.
PHRASES: dict[str, tuple[Action, ...]] = {
    "create": (Action.CREATE,),
    "edit all boxes": (Action.EDIT_ALL,),
    "edit box 9": (Action.EDIT_BOX_9,),
    "edit box 12": (Action.EDIT_BOX_12,),
    "add rfl": (Action.ADD_RFL,),
    "edit parts of box 13": (Action.EDIT_BOX_13_PARTS,),
    "edit boxes 14 and 15": (Action.EDIT_BOXES_14_15,),
    "edit box 16": (Action.EDIT_BOX_16,),
    "sign box 18": (Action.SIGN_18,),
    "replace the coi": (Action.REPLACE,),
    "sign box 20": (Action.SIGN_20,),
    "sign box 21": (Action.SIGN_21,),
    "delete the coi": (Action.DELETE,),
    "flag an ofis irregularity": (Action.FLAG_OFIS,),
    "initiate an extract of a lot": (Action.INITIATE_EXTRACT,),
    "split the coi": (Action.SPLIT, Action.DEPLETE),
    "submit for endorsement": (Action.SUBMIT_EXTRACT,),
    "mark as depleted": (Action.DEPLETE,),
    "edit box 10": (Action.EDIT_BOX_10,),
    "edit box 17": (Action.EDIT_BOX_17,),
    "edit box 19": (Action.EDIT_BOX_19,),
    "edit boxes 20 to 23": (Action.EDIT_BOXES_20_23,),
    "edit box 24": (Action.EDIT_BOX_24,),
    "edit boxes 26 to 29": (Action.EDIT_BOXES_26_29,),
    "verify box 23": (Action.VERIFY_23,),
    "sign box 25": (Action.SIGN_25,),
    "sign box 30": (Action.SIGN_30,),
    "sign box 31": (Action.SIGN_31,),
    "sign box 12 of the extract": (Action.SIGN_30,),
    "sign box 13 of the extract": (Action.SIGN_31,),
}
NOTHING_PREFIXES = ("nothing", "not applicable")


def _parse(cell: str) -> frozenset[Action]:
    cell = cell.strip().lower()
    if cell.startswith(NOTHING_PREFIXES):
        return frozenset()
    actions: set[Action] = set()
    for phrase in (p.strip() for p in cell.split(";")):
        if phrase not in PHRASES:
            raise ValueError(f"Unknown phrase in {MATRIX_CSV.name}: {phrase!r}")
        actions.update(PHRASES[phrase])
    return frozenset(actions)


@cache
def table(path: Path = MATRIX_CSV) -> dict[tuple[str, str], frozenset[Action]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = {(row["status"], row["role"]): _parse(row["may"]) for row in csv.DictReader(f)}
    for status, role in rows:
        if status not in COIStatus.values or role not in COIRole.values:
            raise ValueError(f"Unknown status or role in {path.name}: {status}, {role}")
    return rows


def actions_for(status: Any, role: str, *, form: str | None = None) -> frozenset[Action]:
    """What the role may do in that status (or on that COI, read with its form's tables). Statuses the table
    does not list allow nothing."""
    status, extract, code = _key(status)
    coi_form = get_form(form or code)
    if extract and (status, role) in table(coi_form.extract_matrix_csv):
        return table(coi_form.extract_matrix_csv)[(status, role)]
    return table(coi_form.matrix_csv).get((status, role), frozenset())


def _key(status: Any) -> tuple[str, bool, str]:
    """A status, or a COI: its status, whether it is an extract (read from its own rows) and its form."""
    if isinstance(status, str):
        return status, False, form_of(None).code  # the guides' form, as `all_boxes` reads a bare status
    return status.status, status.base_id is not None, form_of(status).code


def allowed(status: Any, roles: set[str] | frozenset[str], action: Action) -> bool:
    return any(action in actions_for(status, role) for role in roles)


def editable_boxes(status: Any, roles: set[str] | frozenset[str]) -> set[str]:
    """Box keys (as strings; 'rfl' for the RFL field of the guides' form) the roles may change in that status
    (or on that COI)."""
    actions: set[Action] = set()
    for role in roles:
        actions |= actions_for(status, role)
    if Action.EDIT_ALL in actions:
        return set(all_boxes(status))
    boxes: set[str] = set()
    for action, action_boxes in ACTION_BOXES.items():
        if action in actions:
            boxes |= action_boxes
    return boxes


def all_boxes(status: Any) -> tuple[str, ...]:
    """The boxes "edit all boxes" covers on that COI's form (the guides' form for a bare status)."""
    return form_of(status if not isinstance(status, str) else None).all_boxes


# The guides' form: "products", 1-4, 7-12, "rfl", 13-17.
ALL_BOXES = get_form(FormCode.R1235_2008).all_boxes
ACTION_BOXES: dict[Action, set[str]] = {
    Action.EDIT_BOX_9: {"9"},
    Action.EDIT_BOX_12: {"12", "10"},  # box 10 follows box 12
    Action.ADD_RFL: {"rfl"},
    Action.EDIT_BOX_13_PARTS: {"13"},
    Action.EDIT_BOXES_14_15: {"14", "15"},
    Action.EDIT_BOX_16: {"16"},
    # Reg. (EU) 2021/2306's boxes (its box 12 is the importer: never edited after submission there).
    Action.EDIT_BOX_10: {"10"},
    Action.EDIT_BOX_17: {"17"},
    Action.EDIT_BOX_19: {"19"},
    Action.EDIT_BOXES_20_23: {"20", "21", "22", "23"},
    Action.EDIT_BOX_24: {"24", "11"},  # box 11 follows box 24
    Action.EDIT_BOXES_26_29: {"26", "27", "28", "29"},
}
