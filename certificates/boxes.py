"""The COI's boxes as plain data: which box each field belongs to, reading typed values, writing them back.

Pages and the API hand the services the same shape (`BoxData`): a dict whose keys are the fields of the
field table (`certificates/fields.py`), values as typed by a person (strings) or sent by a script (numbers,
ids). Only the keys present change. Each value is read by its field's row, one parser per value kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from certificates.coi_forms import FormCode, form_of, get_form
from certificates.fields import (
    CONTAINER_FIELDS,
    FIELDS,
    LINE_FIELDS,
    Nested,
    References,
    Refused,
    Text,
    line_fields,
    only_on,
)  # fmt: skip
from certificates.models import Certificate, Commodity, CommodityLine, Container
from directory.models import ActivityKind, ControlBodyCode, Operator, OperatorActivity
from reference.models import CnCode

BoxData = dict[str, Any]

# Field -> the box (as the matrix names boxes) it belongs to, on the guides' form (its table's typed boxes).
BOX_OF_FIELD: dict[str, str] = get_form(FormCode.R1235_2008).typed_box_of_field


class Reader:
    """Turns typed values into model values, through each field's row (`certificates/fields.py`), collecting
    an error per box for what cannot be read (the field then keeps its stored value)."""

    def __init__(self, box_of_field: dict[str, str] | None = None) -> None:
        """`box_of_field`: the form's field -> box (`CoiForm.typed_box_of_field`); the guides' form by default."""
        self.errors: dict[str, list[str]] = {}
        self.box_of_field = BOX_OF_FIELD if box_of_field is None else box_of_field

    def error(self, box: str, message: str) -> None:
        self.errors.setdefault(box, []).append(message)

    def read(self, data: BoxData) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field, raw in data.items():
            if field not in self.box_of_field:
                continue
            box = self.box_of_field[field]
            try:
                if field == "commodities":
                    values[field] = self.read_commodities(raw, box)
                elif field == "containers":
                    values[field] = self.read_containers(raw, box)
                else:
                    values[field] = FIELDS[field].parse(raw)
            except Refused as exc:
                self.error(box, exc.message)
        return values

    def read_commodities(self, raw: Any, box: str) -> list[tuple[CnCode, list[dict[str, Any]]]]:
        codes = [normalise_cn(str(c.get("cn_code", ""))) for c in raw or []]
        known = {c.code: c for c in CnCode.objects.filter(code__in=codes)}
        commodities = []
        for item, code in zip(raw or [], codes, strict=True):
            cn = known.get(code)
            if cn is None or not cn.selectable or not cn.in_force:  # unknown, a heading, or retired
                self.error(box, _("%(code)s is not a CN code that may be chosen.") % {"code": code or "?"})
                continue
            lines = [self.read_line(line, box, n) for n, line in enumerate(item.get("lines") or [], start=1)]
            commodities.append((cn, lines))
        return commodities

    def read_line(self, raw: dict[str, Any], box: str, n: int) -> dict[str, Any]:
        """One line of box 13, field by field (`LINE_FIELDS`); a field that cannot be read is left empty."""
        label = _("line %(n)s") % {"n": n}
        line: dict[str, Any] = {}
        for row in LINE_FIELDS:
            named = f"{label}, {row.label}" if isinstance(row.kind, Text) else label
            try:
                line[row.name] = row.parse(raw.get(row.name), named)
            except Refused as exc:
                self.error(box, exc.message)
                line[row.name] = row.parse(None)
        line["producer_control_body_code"] = producer_control_body(line["producer"])
        return line

    def read_containers(self, raw: Any, box: str) -> list[dict[str, Any]]:
        """Boxes 14/15, container by container, field by field (`CONTAINER_FIELDS`): a container left empty is none;
        its number is read without spaces, in capitals (ISO 6346); one that cannot be read, or with seals but no
        number, is refused at the box (it was dropped without a word)."""
        number_row, *others = CONTAINER_FIELDS
        containers = []
        for n, item in enumerate(raw or [], start=1):
            label = _("container %(n)s") % {"n": n}
            number = "".join(str(item.get(number_row.name) or "").split()).upper()
            if not number and any(str(item.get(row.name) or "").strip() for row in others):
                self.error(box, _("%(container)s: give its number, or remove it.") % {"container": capfirst(label)})
            elif number:
                try:
                    container = {number_row.name: number_row.parse(number, label)}
                    container |= {row.name: row.parse(item.get(row.name), f"{label}, {row.label}") for row in others}
                except Refused as exc:
                    self.error(box, exc.message)
                    continue
                containers.append(container)
        return containers


def normalise_cn(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def producer_control_body(producer: Operator | None) -> ControlBodyCode | None:
    """Box 13's control body of a producer / processor: the one certifying its producer activity."""
    return producer_control_bodies([producer]).get(producer.pk) if producer is not None else None


def producer_control_bodies(producers: Iterable[Operator | None]) -> dict[int, ControlBodyCode | None]:
    """`producer_control_body` of each producer (by id) in ONE query, each code with its control body (the edit
    page names it): the first producer activity of each (by id), none for a producer without one."""
    ids = {p.pk for p in producers if p is not None}
    if not ids:
        return {}
    found: dict[int, ControlBodyCode | None] = {}
    activities = (
        OperatorActivity.objects.filter(operator_id__in=ids, kind=ActivityKind.PRODUCER)
        .select_related("control_body_code__control_body")
        .order_by("operator_id", "pk")
    )
    for activity in activities:
        found.setdefault(activity.operator_id, activity.control_body_code)
    return found


def write(coi: Certificate, values: dict[str, Any], derive: Callable[[Certificate], object] | None = None) -> None:
    """Store read values on a saved COI: box 13 and boxes 14/15 replaced as a whole, then its row once, with the
    scalar fields and what `derive(coi)` sets from them."""
    many = {name for name, value in values.items() if isinstance(FIELDS[name].kind, References | Nested)}
    scalars = [field for field in values if field not in many]
    for field in scalars:
        setattr(coi, field, values[field])
    for field in many - {"commodities", "containers"}:
        getattr(coi, field).set(values[field])  # forgets what was read of them
        coi.__dict__.pop(f"lock_has_{field}", None)  # what the locked read said of them no longer holds
    if "commodities" in values:
        coi.commodities.all().delete()
        for position, (cn_code, lines) in enumerate(values["commodities"]):
            commodity = Commodity.objects.create(certificate=coi, cn_code=cn_code, position=position)
            CommodityLine.objects.bulk_create(
                CommodityLine(commodity=commodity, position=n, **line) for n, line in enumerate(lines)
            )
    if "containers" in values:
        coi.containers.all().delete()
        Container.objects.bulk_create(
            Container(certificate=coi, position=n, **item) for n, item in enumerate(values["containers"])
        )
    # What was read of the parts replaced is forgotten (`queries.complete_detail` reads them again).
    for part in {"commodities", "containers"} & set(values):
        getattr(coi, "_prefetched_objects_cache", {}).pop(part, None)
    if derive is not None:
        derive(coi)
    coi.save()  # every field: a step may have set others on the COI before (e.g. box 20's first notice)


def as_data(coi: Certificate) -> BoxData:
    """The COI's boxes in the shape pages and the API send back (ids and codes, not names: `Row.data`): the
    guides' fields, and the fields only the COI's form types (`fields.only_on`: on 2021/2306 boxes 6, 10's kind,
    19-23, 26-29; per line organic_status and category). Box 2, `procedure`, is given beside the boxes, as on the
    guides' form where it is derived."""
    lines = line_fields(form_of(coi))
    data: BoxData = {}
    for field in BOX_OF_FIELD:
        if field == "commodities":
            data[field] = [
                {
                    "cn_code": c.cn_code.code,
                    "lines": [{row.name: row.data(line) for row in lines} for line in c.lines.all()],
                }
                for c in coi.commodities.all()
            ]
        elif field == "containers":
            data[field] = [{row.name: row.data(c) for row in CONTAINER_FIELDS} for c in coi.containers.all()]
        else:
            data[field] = FIELDS[field].data(coi)
    coi_form = form_of(coi)
    for row in only_on(coi_form.code):
        if row.name not in data and row.name != "procedure":
            data[row.name] = row.data(coi)
    if coi.base_id and coi_form.has_extract_model():
        # an extract: box 29's checks are those of the consignment it was split from
        data.update({name: FIELDS[name].data(coi.base) for name in CHECKS_OF_BOX_29})
    return data


# Box 29 of 2021/2306, which an extract (2021/2307) reads from its base.
CHECKS_OF_BOX_29 = ("identity_check", "physical_check", "laboratory_test", "laboratory_result", "lots_not_satisfactory")
