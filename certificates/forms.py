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

from certificates.boxes import BOX_OF_FIELD, BoxData, normalise_cn, producer_control_bodies
from core.collation import sorted_names
from core.converters import MAX_ID
from core.typography import read_quantity
from directory.models import Authority, ControlBodyCode, Operator, PointOfEntry
from reference.countries import country_choices
from reference.lists import DocumentType, PackagingType, TransportMode, WeightUnit
from reference.models import CnCode

SCALARS = [f for f in BOX_OF_FIELD if f not in ("commodities", "containers", "origin_countries", "release_in_batches")]
FORM_2021_2306_LINE_KEYS = ("organic_status", "category")  # box 13 of 2021/2306 only: posted by that form's page
LINE_KEYS = ("trade_name", "lot_number", "packages", "packaging_type", "net_weight", "net_weight_unit", "producer")


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
        data["commodities"] = [
            {
                "cn_code": post.get(f"c-{c}-cn", ""),
                "lines": [
                    {key: post.get(f"c-{c}-l-{n}-{key}", "") for key in LINE_KEYS}
                    | {
                        k: post.get(f"c-{c}-l-{n}-{k}", "")
                        for k in FORM_2021_2306_LINE_KEYS
                        if f"c-{c}-l-{n}-{k}" in post
                    }
                    for n in _indexes(post, rf"^c-{c}-l-(\d+)-trade_name$")
                ],
            }
            for c in commodity_indexes
        ]
    container_indexes = _indexes(post, r"^k-(\d+)-number$")
    if "containers" in shown or container_indexes:
        data["containers"] = [
            {"number": post.get(f"k-{k}-number", ""), "seals": post.get(f"k-{k}-seals", "")} for k in container_indexes
        ]
    return data


def empty_line() -> dict[str, Any]:
    return dict.fromkeys(LINE_KEYS, "") | {"net_weight_unit": WeightUnit.KG}


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
        return f"c-{len(commodities) - 1}-l-0-trade_name"
    if name == "remove_commodity" and at and at[0] < len(commodities):
        commodities.pop(at[0])
        return "new_cn_q"
    if name == "add_line" and at and at[0] < len(commodities):
        commodities[at[0]]["lines"].append(empty_line())
        return f"c-{at[0]}-l-{len(commodities[at[0]]['lines']) - 1}-trade_name"
    if name == "remove_line" and len(at) == 2 and at[0] < len(commodities):
        lines = commodities[at[0]]["lines"]
        if at[1] < len(lines):
            lines.pop(at[1])
            return f"c-{at[0]}-l-{at[1]}-trade_name" if at[1] < len(lines) else f"action:add_line-{at[0]}"
    elif name == "add_container":
        containers.append({"number": "", "seals": ""})
        return f"k-{len(containers) - 1}-number"
    elif name == "remove_container" and at and at[0] < len(containers):
        containers.pop(at[0])
        return f"k-{at[0]}-number" if at[0] < len(containers) else "action:add_container"
    return ""


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

    @classmethod
    def of(cls, data: BoxData, focus: str = "") -> FormState:
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
            {"prefix": f"k-{k}", "remove": f"remove_container-{k}", **row}
            for k, row in enumerate(self.data["containers"])
        ]

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
        "packaging_types": PackagingType.choices,
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
