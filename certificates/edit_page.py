"""The edit page of a COI, from its form's box table (`form_of(coi).boxes`), the same code for both forms.

Each box becomes a section headed by its number and its title in the reader's language (a box whose fields
another box already shows, box 15's seals beside box 14's containers, is headed in that box's section), holding
one widget per field. Signed boxes (18, 20-21 of the guides' form; 18, 23's verification, 25, 30, 31 of
2021/2306) are steps of the workflow panel, not fields of this page. Fields are drawn by name in
`certificates/_box_field.html` (`DRAWN_BY_NAME`); every other field people type (those only the 2021/2306 form
has: box 6's traders, 10's kind, 19-23, 26-29; and any field added to the field table) by the generic widget of
its kind (`WIDGETS`, from `certificates/fields.py`). Posted values of those are read back by `fields_from_post`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.text import capfirst

from certificates import lookups
from certificates.coi_forms import Box, CoiForm
from certificates.fields import COI_FIELDS, FIELDS, typed_rows
from core import clock

# The fields `_box_field.html` draws by name: the guides' boxes, whose markup holds searches and pickers (box 1's
# control body, the operators of boxes 4, 11, 12 and RFL, box 13's products and lines' producers), lists (box 7's
# countries, boxes 14/15's containers: each line's and container's other inputs are its rows', `forms.PartInput`),
# box 3's number beside the reference, box 2's procedure and the help each gives.
# Every other field of the field table is typed through the generic widget of its kind (`Row.widget`).
DRAWN_BY_NAME = frozenset(
    {
        "products", "control_body_code", "procedure", "national_reference", "exporter", "importer",
        "first_consignee", "rfl", "producers", "producer_control_bodies", "origin_countries", "export_country",
        "release_member_state", "validating_authority", "point_of_entry", "destination_country",
        "release_in_batches", "commodities", "containers", "gross_weight", "gross_weight_unit", "transport_mode",
        "transport_identification", "transport_document", "departure_date",
    }
)  # fmt: skip
# Field -> widget: "flag" (checkbox), "yesno" (Yes / No / not answered), "choice", "point", "datetime", "text",
# "operator" (an operator's id), "operators" (ids separated by spaces), "code" (a control body code).
WIDGETS: dict[str, str] = {row.name: row.widget for row in typed_rows() if row.name not in DRAWN_BY_NAME}
# The widgets of the fields that name an operator, a control body, a point of entry or an authority: search pickers.
PICKED = frozenset({"operator", "operators", "code", "point", "authority"})
# Fields drawn inside another field's widget: a unit beside its quantity.
INSIDE = tuple(row.unit for row in COI_FIELDS if row.unit)


@dataclass
class Widget:
    name: str
    kind: str
    label: str
    value: Any
    choices: Any = ()
    shown: str = ""  # a date and time as a reader reads it, in the site's zone (core.clock); what a picker names

    @property
    def picked(self) -> bool:
        """Typed through a search picker (`{% search_picker %}`): an operator, operators, a control body code,
        a point of entry or an authority."""
        return self.kind in PICKED


@dataclass
class Item:
    """One field of a section: `widget` for a generic widget, None for a field drawn by name."""

    name: str
    widget: Widget | None = None


@dataclass
class BoxSection:
    """A section of the edit page: `boxes` its headings (the first gives its id), `items` its fields,
    `editable` whether the reader may change them now, `errors` the messages at its boxes."""

    boxes: list[Box]
    items: list[Item]
    editable: bool
    errors: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.boxes[0].key


def sections(
    coi_form: CoiForm, data: dict[str, Any], editable: set[str], problems: dict[str, list[str]]
) -> list[BoxSection]:
    """Every box of `coi_form` but the signed ones, in the table's order, with its widgets.

    data: the values shown (`certificates.boxes.as_data` shape, or as typed); editable: the keys of the boxes
    the reader may change; problems: messages by box key of `coi_form`."""
    out: list[BoxSection] = []
    shown: dict[str, BoxSection] = {}
    for box in coi_form.boxes:
        if box.signed:
            continue
        names = [n for n in box.fields if n not in INSIDE] or ([box.key] if box.key == "products" else [])
        if names and all(n in shown for n in names):  # box 15 beside box 14
            section = shown[names[0]]
            section.boxes.append(box)
            section.editable = section.editable or box.key in editable
            section.errors += problems.get(box.key, [])
            continue
        items = []
        for name in names:
            kind = WIDGETS.get(name)
            if kind is None:
                items.append(Item(name))
                continue
            row = FIELDS[name]
            label = capfirst(row.label)  # the field table's labels are the model's lowercase names
            value = data.get(name)
            reading = ""
            if kind in PICKED:  # shown by its picker, or read as the names it gives
                picker = lookups.picker_of(name)
                values = value if isinstance(value, list | tuple) else [value] if value not in (None, "") else []
                reading = "; ".join(lookups.label_of(o) for o in picker.chosen(values)) if picker else ""
            if kind == "datetime" and isinstance(value, datetime.datetime):  # stored in UTC, typed in the site's zone
                reading = clock.zoned(value)
                value = clock.local(value).strftime("%Y-%m-%dT%H:%M")
            choices = row.choices.choices if row.choices else ()
            items.append(Item(name, Widget(name, kind, label, "" if value is None else value, choices, reading)))
        section = BoxSection([box], items, box.key in editable, list(problems.get(box.key, [])))
        for name in names:
            shown.setdefault(name, section)
        out.append(section)
    return out


# Fields that list what the commodities' rows hold: their sections are swapped with the rows (`listing_rows`).
LISTING_ROWS = frozenset({"products", "producers", "producer_control_bodies"})


def listing_rows(shown: list[BoxSection]) -> str:
    """The ids (`#box-<key>`, comma-separated, as htmx's hx-select-oob reads them) of the sections other than the
    commodities' own that list the products or producers of its rows: a row added in place updates them too."""
    names = [{item.name for item in s.items} for s in shown]
    return ",".join(
        f"#box-{s.key}" for s, n in zip(shown, names, strict=True) if n & LISTING_ROWS and "commodities" not in n
    )


def fields_from_post(post: QueryDict) -> dict[str, Any]:
    """The values of the generic widgets of a posted edit page (a checkbox not sent is unticked)."""
    data: dict[str, Any] = {}
    if "procedure" in post:  # box 2's four tick-boxes (form.html's box 2 section)
        data["procedure"] = post.get("procedure", "")
    for name, kind in WIDGETS.items():
        if kind == "flag":
            if f"present-{name}" in post:
                data[name] = post.get(name) == "on"
        elif kind == "operators" and f"present-{name}" in post:  # box 6's picker: a checkbox per operator
            data[name] = [v.strip() for v in post.getlist(name) if v.strip()]
        elif name in post:
            data[name] = post.get(name, "")
    return data
