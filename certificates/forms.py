"""The COI page form: reading the posted boxes into `BoxData`, and turning `BoxData` back into what the
template shows (with names for the ids), so a form that is refused comes back exactly as typed."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from django.utils.text import capfirst

from certificates import fields as ft
from certificates.boxes import BOX_OF_FIELD, BoxData, normalise_cn, producer_control_bodies
from certificates.coi_forms import CoiForm
from certificates.fields import Choice, Reference, Row, Unit
from core.collation import sorted_names
from core.converters import MAX_ID
from core.typography import read_quantity
from directory.models import Authority, ControlBodyCode, Operator, PointOfEntry
from reference.countries import country_choices
from reference.lists import DocumentType, TransportMode, WeightUnit
from reference.models import CnCode

SCALARS = [f for f in BOX_OF_FIELD if f not in ("commodities", "containers", "origin_countries", "release_in_batches")]
# What the edit page posts per line of box 13 (c-<commodity>-l-<line>-<key>) and per container (k-<index>-<key>): the
# keys of the field table's rows, read from the table when a page is read. A row is posted when its first key is.


def line_keys() -> tuple[list[str], list[str]]:
    """The keys of a line: every form's (read as "" when not posted), and those of one form only (2021/2306's organic
    status and category, read when posted: the guides' page has no such input)."""
    rows = ft.LINE_FIELDS
    return [r.name for r in rows if r.name not in ft.OF_A_FORM], [r.name for r in rows if r.name in ft.OF_A_FORM]


def container_keys() -> list[str]:
    return [row.name for row in ft.CONTAINER_FIELDS]


def _indexes(post: QueryDict, pattern: str) -> list[int]:
    regex = re.compile(pattern)
    return sorted({int(m.group(1)) for key in post for m in [regex.match(key)] if m})


def data_from_post(post: QueryDict) -> BoxData:
    """The boxes a form posted, and only those: a form that posts some fields never blanks the others. Lists
    and the batches tick are read when the form says it shows them (`shown`: origin_countries, box_12,
    commodities, containers), since an empty list or an unticked box posts nothing."""
    shown = set(post.getlist("shown"))
    data: BoxData = {f: post.get(f, "") for f in SCALARS if f in post}
    if "origin_countries" in shown or "origin_countries" in post:
        data["origin_countries"] = post.getlist("origin_countries")
    if "box_12" in shown or "release_in_batches" in post:
        data["release_in_batches"] = post.get("release_in_batches") == "on"
    commodity_indexes = _indexes(post, r"^c-(\d+)-cn$")
    if "commodities" in shown or commodity_indexes:
        every, of_a_form = line_keys()
        data["commodities"] = [
            {
                "cn_code": post.get(f"c-{c}-cn", ""),
                "lines": [
                    {key: post.get(f"c-{c}-l-{n}-{key}", "") for key in every}
                    | {k: post.get(f"c-{c}-l-{n}-{k}", "") for k in of_a_form if f"c-{c}-l-{n}-{k}" in post}
                    for n in _indexes(post, rf"^c-{c}-l-(\d+)-{every[0]}$")
                ],
            }
            for c in commodity_indexes
        ]
    keys = container_keys()
    container_indexes = _indexes(post, rf"^k-(\d+)-{keys[0]}$")
    if "containers" in shown or container_indexes:
        data["containers"] = [{key: post.get(f"k-{k}-{key}", "") for key in keys} for k in container_indexes]
    return data


def _empty(rows: tuple[Row, ...]) -> dict[str, Any]:
    return {row.name: "" if row.default is None else row.default for row in rows}


def empty_line() -> dict[str, Any]:
    """A new line as the page shows it: every form's fields empty, a unit at its default (kg)."""
    return _empty(ft.every_form_line_fields())


def first_line_key() -> str:
    """The key the keyboard goes to in a line added (and that tells a line is posted): its first field's."""
    return ft.LINE_FIELDS[0].name


def first_container_key() -> str:
    return ft.CONTAINER_FIELDS[0].name


def apply_action(data: BoxData, action: str, new_cn: str) -> str:
    """Add or remove a commodity, a line or a container in the typed data (nothing is saved). Returns the name
    of what the keyboard goes to next (`FormState.focus`): the added row's first field; after a removal, the row
    now in its place, or the section's "Add" button (`action:<its value>`) when none is left; "" when nothing
    changed (a product not chosen, an index not shown)."""
    name, *args = action.split("-")
    at = [int(a) for a in args if a.isdigit()]
    commodities, containers = data.setdefault("commodities", []), data.setdefault("containers", [])
    if name == "add_commodity" and normalise_cn(new_cn):
        commodities.append({"cn_code": normalise_cn(new_cn), "lines": [empty_line()]})
        return f"c-{len(commodities) - 1}-l-0-{first_line_key()}"
    if name == "remove_commodity" and at and at[0] < len(commodities):
        commodities.pop(at[0])
        return "new_cn_q"
    if name == "add_line" and at and at[0] < len(commodities):
        commodities[at[0]]["lines"].append(empty_line())
        return f"c-{at[0]}-l-{len(commodities[at[0]]['lines']) - 1}-{first_line_key()}"
    if name == "remove_line" and len(at) == 2 and at[0] < len(commodities):
        lines = commodities[at[0]]["lines"]
        if at[1] < len(lines):
            lines.pop(at[1])
            return f"c-{at[0]}-l-{at[1]}-{first_line_key()}" if at[1] < len(lines) else f"action:add_line-{at[0]}"
    elif name == "add_container":
        containers.append(_empty(ft.CONTAINER_FIELDS))
        return f"k-{len(containers) - 1}-{first_container_key()}"
    elif name == "remove_container" and at and at[0] < len(containers):
        containers.pop(at[0])
        return f"k-{at[0]}-{first_container_key()}" if at[0] < len(containers) else "action:add_container"
    return ""


@dataclass(frozen=True)
class PartInput:
    """One input of a line of box 13 or of a container of boxes 14/15 on the edit page, from its field's row:
    its label, a list or a text field (with the keyboard its kind asks for), its unit beside it, its value as typed or
    stored, and how the read-only table shows that value (`_part_input.html`)."""

    row: Row
    name: str  # the input's: c-<commodity>-l-<line>-<field>, k-<container>-<field>
    value: Any
    unit: PartInput | None = None
    focus: bool = False

    @property
    def label(self) -> str:
        """Its label in the reader's language: the model's name with a capital ("Net weight"), or the row's own
        (a unit's: "Unit of the net weight")."""
        return str(self.row.printed) if self.row.printed else capfirst(self.row.label)

    @property
    def listed(self) -> bool:
        """Chosen in a list (a choice, a unit), not typed."""
        return isinstance(self.row.kind, Choice)

    @property
    def blank(self) -> bool:
        """The list offers "not given" (a unit has its default instead)."""
        return self.row.default in (None, "")

    @property
    def choices(self) -> Any:
        return self.row.choices.choices if self.row.choices else ()

    @property
    def inputmode(self) -> str:
        return self.row.kind.inputmode

    @property
    def maxlength(self) -> int | None:
        return self.row.max_length if self.row.capped else None

    @property
    def read(self) -> str:
        """The value in the read-only table: a choice's label, a quantity with its unit."""
        if self.listed:
            return next((str(label) for value, label in self.choices if value == self.value), "")
        shown = "" if self.value is None else localize(self.value)
        return f"{shown} {self.unit.value}" if self.unit is not None else str(shown)


def _typed(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """The rows typed in an input of their own: a unit is typed beside its quantity, a producer in its picker."""
    return tuple(row for row in rows if not isinstance(row.kind, Unit | Reference))


def part_inputs(rows: tuple[Row, ...], prefix: str, values: dict[str, Any], focus: str = "") -> list[PartInput]:
    """The inputs of one line or container (`prefix`: "c-0-l-1", "k-0") holding `values` (as typed or stored)."""
    by_name = {row.name: row for row in rows}

    def of(row: Row) -> PartInput:
        name = f"{prefix}-{row.name}"
        unit = of(by_name[row.unit]) if row.unit else None
        return PartInput(row, name, values.get(row.name), unit, focus == name)

    return [of(row) for row in _typed(rows)]


def _pk(value: Any) -> int | None:
    """An id as typed, or None when it is none (empty, not a number, out of a bigint's range)."""
    try:
        pk = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return pk if pk is not None and 0 < pk <= MAX_ID else None


@dataclass
class FormState:
    """What the form template shows: the typed values, and the objects their ids and codes name."""

    data: BoxData
    operators: dict[int, Operator] = field(default_factory=dict)
    body: ControlBodyCode | None = None
    cn: dict[str, CnCode] = field(default_factory=dict)
    commodities: list[dict[str, Any]] = field(default_factory=list)
    # The field (its name) or button (`action:<value>`) the keyboard goes to: the row just added (apply_action).
    focus: str = ""
    # The field table's rows of a line on the COI's form (`ft.line_fields`): its inputs (`PartInput`).
    line_rows: tuple[Row, ...] = ()

    @classmethod
    def of(cls, data: BoxData, focus: str, coi_form: CoiForm) -> FormState:
        """coi_form: the form whose lines are shown, as inputs or in the read-only table (`ft.line_fields`)."""
        data.setdefault("commodities", [])
        data.setdefault("containers", [])
        data.setdefault("origin_countries", [])
        ids = {_pk(data.get(f)) for f in ("exporter", "importer", "first_consignee", "rfl")}
        ids |= {_pk(line.get("producer")) for c in data["commodities"] for line in c.get("lines", [])}
        codes = [normalise_cn(str(c.get("cn_code", ""))) for c in data["commodities"]]
        state = cls(
            data=data,
            operators=Operator.objects.in_bulk([i for i in ids if i]),
            body=ControlBodyCode.objects.select_related("control_body")
            .filter(code=str(data.get("control_body_code") or "").upper())
            .first(),
            cn={c.code: c for c in CnCode.objects.filter(code__in=codes)},
            focus=focus,
            line_rows=ft.line_fields(coi_form),
        )
        producers = [state.operator(line.get("producer")) for c in data["commodities"] for line in c.get("lines", [])]
        bodies = producer_control_bodies(producers)  # one query for all the lines (was one per line, and its body's)
        state.commodities = [
            {
                "index": i,
                "add_line": f"add_line-{i}",  # its buttons' actions
                "remove": f"remove_commodity-{i}",
                "code": code,
                "cn": state.cn.get(code),
                "lines": [
                    {
                        "index": n,
                        "prefix": f"c-{i}-l-{n}",  # its fields' names: c-<commodity>-l-<line>-<key>
                        "remove": f"remove_line-{i}-{n}",  # its "Remove the line" button's action
                        **line,
                        "producer_field": f"c-{i}-l-{n}-producer",  # its picker's name (`lookups.picker_of`)
                        "producer_obj": state.operator(line.get("producer")),
                        "producer_cb": bodies.get(_pk(line.get("producer")) or 0),
                        "inputs": part_inputs(state.line_rows, f"c-{i}-l-{n}", line, focus),
                        "read": part_inputs(state.line_rows, f"c-{i}-l-{n}", line),  # the read-only table
                    }
                    for n, line in enumerate(c.get("lines", []))
                ],
            }
            for i, (c, code) in enumerate(zip(data["commodities"], codes, strict=True))
        ]
        return state

    @property
    def containers(self) -> list[dict[str, Any]]:
        """The containers' rows as typed, each with its fields' prefix (k-<index>) and its removal's action."""
        return [
            {
                "prefix": f"k-{k}",
                "remove": f"remove_container-{k}",
                **row,
                "inputs": part_inputs(ft.CONTAINER_FIELDS, f"k-{k}", row, self.focus),
            }
            for k, row in enumerate(self.data["containers"])
        ]

    @property
    def line_headings(self) -> list[str]:
        """The headings of the read-only table of lines: the labels of the COI's form's line fields (2021/2306's
        organic status and category too, as its inputs)."""
        return [i.label for i in part_inputs(self.line_rows, "", {})]

    def operator(self, value: Any) -> Operator | None:
        pk = _pk(value)
        return self.operators.get(pk) if pk else None

    @property
    def exporter(self) -> Operator | None:
        return self.operator(self.data.get("exporter"))

    @property
    def importer(self) -> Operator | None:
        return self.operator(self.data.get("importer"))

    @property
    def first_consignee(self) -> Operator | None:
        return self.operator(self.data.get("first_consignee"))

    @property
    def rfl(self) -> Operator | None:
        return self.operator(self.data.get("rfl"))

    @property
    def cn_codes(self) -> list[str]:
        return [c["code"] for c in self.commodities]

    @property
    def destination(self) -> str:
        consignee = self.first_consignee
        return consignee.country if consignee and not self.data.get("release_in_batches") else ""

    @property
    def producers(self) -> list[tuple[Operator, ControlBodyCode | None]]:
        seen: dict[int, tuple[Operator, ControlBodyCode | None]] = {}
        for c in self.commodities:
            for line in c["lines"]:
                if line["producer_obj"] and line["producer_obj"].pk not in seen:
                    seen[line["producer_obj"].pk] = (line["producer_obj"], line["producer_cb"])
        return list(seen.values())


def choices() -> dict[str, Any]:
    return {
        "countries": country_choices(),
        "member_states": country_choices(eu_only=True),
        # Read only where a box shows them read-only (the template calls these): an editable page has pickers.
        "authorities": lambda: sorted_names(Authority.objects.filter(kind=Authority.Kind.COMPETENT), lambda a: a.name),
        "points_of_entry": lambda: sorted_names(PointOfEntry.objects.all(), lambda p: p.name),
        "weight_units": WeightUnit.choices,
        "transport_modes": TransportMode.choices,
        "document_types": DocumentType.choices,
    }


def _canonical(value: Any) -> Any:
    """A value as posted or as stored, in one comparable form ("9000" == Decimal("9000.000"), "7" == 7, "9 071,8"
    == Decimal("9071.8")): a number as `core.typography.read_quantity` reads it, so a text it does not read as one
    ("1e3" for a stored 1000) is a change, which the box's reader then refuses with its message."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if k != "producer_q"}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, datetime.datetime):
        return _to_the_minute(value)
    text = str(value).strip()
    moment = _moment(text)
    if moment is not None:
        return _to_the_minute(moment)
    number = read_quantity(text)  # as the boxes read a number: "9 071,8" is 9071.8; "1e3" is no number, so a change
    if number is not None:
        return str(number.normalize())
    return text.upper() if len(text) == 2 else text


def _moment(text: str) -> datetime.datetime | None:
    """A date and time as a page or the API posts it ("2026-12-03T14:30", with seconds or an offset), or None."""
    if "T" not in text and " " not in text.strip():
        return None
    try:
        return parse_datetime(text.replace(" ", "T", 1))
    except ValueError:
        return None


def _to_the_minute(moment: datetime.datetime) -> str:
    """A moment as the page's date-and-time field shows it: in the site's time zone, to the minute."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def changed_fields(data: BoxData, stored: BoxData, fields: set[str]) -> set[str]:
    """Of these fields, those whose posted value differs from the stored one."""
    return {f for f in fields if _canonical(data.get(f)) != _canonical(stored.get(f))}
