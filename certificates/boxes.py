"""The COI's boxes as plain data: which box each field belongs to, reading typed values, writing them back.

Pages and the API hand the services the same shape (`BoxData`): a dict whose keys are the fields below,
values as typed by a person (strings) or sent by a script (numbers, ids). Only the keys present change.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from certificates.coi_forms.choices import EntryKind, OrganicStatus, ProductCategory, Satisfactory
from certificates.models import Certificate, Commodity, CommodityLine, Container
from core.converters import MAX_ID
from core.text import column as text_column
from core.text import refusal, too_long
from directory.models import ActivityKind, Authority, ControlBodyCode, Operator, PointOfEntry
from reference.countries import is_country
from reference.lists import PackagingType, TransportMode, WeightUnit
from reference.models import CnCode
from reference.procedures import Procedure

BoxData = dict[str, Any]

# Field -> the box (as the matrix names boxes) it belongs to.
BOX_OF_FIELD: dict[str, str] = {
    "commodities": "13",
    "control_body_code": "1",
    "national_reference": "3",
    "exporter": "4",
    "origin_countries": "7",
    "export_country": "8",
    "release_member_state": "9",
    "validating_authority": "9",
    "point_of_entry": "9",
    "importer": "11",
    "rfl": "rfl",
    "first_consignee": "12",
    "release_in_batches": "12",
    "containers": "14",
    "gross_weight": "16",
    "gross_weight_unit": "16",
    "transport_mode": "17",
    "transport_identification": "17",
    "transport_document": "17",
    "departure_date": "17",
}
OPERATOR_FIELDS = ("exporter", "importer", "first_consignee", "rfl", "customs_operator")
TEXT_FIELDS = {
    "national_reference": 250,
    "transport_identification": 200,
    "transport_document": 100,
    "customs_information": 1000,
    "customs_declaration_reference": 100,
}
# Reg. (EU) 2021/2306's fields (the form's table says which box holds each: certificates/coi_forms/).
FLAG_FIELDS = ("transfer_requested", "customs_warehousing", "inward_processing")
YES_NO_FIELDS = ("transfer_to_control_point", "laboratory_test")
POINT_FIELDS = ("point_of_entry", "requested_control_point", "control_point")
CHECK_FIELDS = ("identity_check", "physical_check", "laboratory_result")
FIELDS_2021_2306 = (
    "traders", "point_of_entry_kind", "prior_notification_at", "transfer_requested",
    "requested_control_point", "customs_warehousing", "inward_processing", "customs_operator",
    "customs_operator_control_body", "customs_information", "customs_declaration_reference",
    "transfer_to_control_point", "control_point", "transfer_transport_mode", "transfer_transport_identification",
    "transfer_transport_document", "identity_check", "physical_check", "laboratory_test", "laboratory_result",
)  # fmt: skip
LINE_FIELDS = ("trade_name", "lot_number", "packages", "packaging_type", "net_weight", "net_weight_unit", "producer")


WEIGHT_DECIMALS = 3  # what a weight column keeps (grams of a kilogram): `certificates.models.WEIGHT`


def over_decimals(value: Decimal) -> bool:
    """More decimals than a weight column keeps, which saving would round away (0.0004 kg, 1.23456 kg): such a
    weight is refused, never cut. Trailing zeros do not count (1.2000 is 1.2)."""
    return value.is_finite() and int(value.normalize().as_tuple().exponent) < -WEIGHT_DECIMALS


class Reader:
    """Turns typed values into model values, collecting an error per box for what cannot be read."""

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
            reader = getattr(self, f"read_{field}", None)
            box = self.box_of_field[field]
            try:
                values[field] = reader(raw, box) if reader else self.read_scalar(field, raw, box)
            except _Skip:
                continue
        return values

    def read_scalar(self, field: str, raw: Any, box: str) -> Any:
        if field in OPERATOR_FIELDS:
            return self.instance(Operator, raw, box, _("No such operator."))
        if field == "validating_authority":
            return self.instance(Authority, raw, box, _("No such authority."))
        if field in POINT_FIELDS:
            return self.instance(PointOfEntry, raw, box, _("No such point of entry."))
        if field in ("export_country", "release_member_state"):
            return self.country(raw, box)
        if field == "release_in_batches" or field in FLAG_FIELDS:
            return str(raw).lower() in ("1", "true", "on", "yes")
        if field in YES_NO_FIELDS:
            return yes_no(raw)
        if field in CHECK_FIELDS:
            return self.choice(raw, Satisfactory.values, box) if raw else ""
        if field == "point_of_entry_kind":
            return self.choice(raw, EntryKind.values, box) if raw else ""
        if field == "procedure":  # box 2 of 2021/2306; empty: derived from box 1 and the products
            return self.choice(raw, Procedure.values, box) if raw else ""
        if field == "transfer_transport_mode":
            return self.choice(raw, TransportMode.values, box) if raw else ""
        if field == "customs_operator_control_body":
            return self.read_control_body_code(raw, box)
        if field == "prior_notification_at":
            return self.moment(raw, box)
        if field == "gross_weight":
            return self.decimal(raw, box, _("total gross weight"))
        if field == "gross_weight_unit":
            return self.choice(raw or WeightUnit.KG, WeightUnit.values, box)
        if field == "transport_mode":
            return self.choice(raw, TransportMode.values, box) if raw else ""
        return self.text(Certificate, field, raw, box, text_column(Certificate, field)[0])

    def text(self, model: type[Model], field: str, raw: Any, box: str, label: Any) -> str:
        """A one-line text as typed (trimmed), refused whole when a character is refused or it is longer
        than its column: never cut (core.text)."""
        value = str(raw or "").strip()
        limit = text_column(model, field)[1]
        message = refusal(value) or (too_long(value, limit) if limit and len(value) > limit else None)
        if message:
            self.error(box, f"{capfirst(label)}: {message}")
            raise _Skip
        return value

    def read_control_body_code(self, raw: Any, box: str) -> ControlBodyCode | None:
        if raw in (None, ""):
            return None
        found = ControlBodyCode.objects.select_related("control_body").filter(code=str(raw).strip().upper()).first()
        if found is None and str(raw).isdigit() and 0 < int(raw) <= MAX_ID:
            found = ControlBodyCode.objects.select_related("control_body").filter(pk=int(raw)).first()
        if found is None:
            self.error(box, _("No such control body code."))
            raise _Skip
        return found

    def read_traders(self, raw: Any, box: str) -> list[Operator]:
        """Box 6 of 2021/2306: operator ids (a list, or a string of ids separated by spaces or commas)."""
        ids = str(raw).replace(",", " ").split() if isinstance(raw, str) else list(raw or [])
        found = []
        for item in ids:
            found.append(self.instance(Operator, item, box, _("No such operator.")))
        return [o for o in found if o is not None]

    def moment(self, raw: Any, box: str) -> datetime.datetime | None:
        """A date and time ("2026-12-03T14:30", "2026-12-03 14:30"), in the site's time zone unless it says."""
        if raw in (None, ""):
            return None
        if isinstance(raw, datetime.datetime):
            value: datetime.datetime | None = raw
        else:
            try:
                value = parse_datetime(str(raw).strip().replace(" ", "T", 1))
            except ValueError:
                value = None
        if value is None:
            self.error(box, _("%(raw)s is not a date and time (2026-12-03 14:30).") % {"raw": raw})
            raise _Skip
        return timezone.make_aware(value) if timezone.is_naive(value) else value

    def read_departure_date(self, raw: Any, box: str) -> datetime.date | None:
        """Box 17's date of departure (expected or actual), as YYYY-MM-DD."""
        if raw in (None, ""):
            return None
        if isinstance(raw, datetime.date):
            return raw
        try:
            day = parse_date(str(raw).strip())
        except ValueError:
            day = None
        if day is None:
            self.error(box, _("Give the date of departure as YYYY-MM-DD."))
            raise _Skip
        return day

    def read_origin_countries(self, raw: Any, box: str) -> str:
        codes = raw.split() if isinstance(raw, str) else list(raw or [])
        codes = [str(c).strip().upper() for c in codes if str(c).strip()]
        bad = [c for c in codes if not is_country(c)]
        if bad:
            self.error(box, _("Unknown country: %(codes)s.") % {"codes": ", ".join(bad)})
            raise _Skip
        return " ".join(dict.fromkeys(codes))

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
        label = _("line %(n)s") % {"n": n}
        line: dict[str, Any] = {}
        for field in ("trade_name", "lot_number"):
            name = text_column(CommodityLine, field)[0]
            try:
                line[field] = self.text(CommodityLine, field, raw.get(field), box, f"{label}, {name}")
            except _Skip:
                line[field] = ""
        try:
            line["packages"] = self.integer(raw.get("packages"), box, label)
            line["net_weight"] = self.decimal(raw.get("net_weight"), box, label)
            line["net_weight_unit"] = self.choice(raw.get("net_weight_unit") or WeightUnit.KG, WeightUnit.values, box)
            packaging = raw.get("packaging_type") or ""
            line["packaging_type"] = self.choice(packaging, PackagingType.values, box) if packaging else ""
            producer = self.instance(Operator, raw.get("producer"), box, _("No such operator."))
        except _Skip:
            line.update(packages=None, net_weight=None, net_weight_unit=WeightUnit.KG, packaging_type="")
            producer = None
        line["producer"] = producer
        line["producer_control_body_code"] = producer_control_body(producer)
        for name, allowed in (("organic_status", OrganicStatus.values), ("category", ProductCategory.values)):
            value = str(raw.get(name) or "")
            if value and value not in allowed:
                self.error(box, _("%(label)s: %(value)s is not among the choices.") % {"label": label, "value": value})
                value = ""
            line[name] = value
        return line

    def read_containers(self, raw: Any, box: str) -> list[dict[str, str]]:
        containers = []
        for n, item in enumerate(raw or [], start=1):
            label = _("container %(n)s") % {"n": n}
            number = "".join(str(item.get("number") or "").split()).upper()
            if number:
                try:
                    number = self.text(Container, "number", number, box, label)
                    seals = self.text(Container, "seals", item.get("seals"), box, f"{label}, {_('seal numbers')}")
                except _Skip:
                    continue
                containers.append({"number": number, "seals": seals})
        return containers

    def instance(self, model: type[Model], raw: Any, box: str, message: str) -> Any:
        if raw in (None, ""):
            return None
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            pk = 0
        found = model._default_manager.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
        if found is None:
            self.error(box, message)
            raise _Skip
        return found

    def country(self, raw: Any, box: str) -> str:
        code = str(raw or "").strip().upper()
        if code and not is_country(code):
            self.error(box, _("Unknown country: %(codes)s.") % {"codes": code})
            raise _Skip
        return code

    def decimal(self, raw: Any, box: str, label: str) -> Decimal | None:
        if raw in (None, ""):
            return None
        try:
            value = Decimal(str(raw).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value >= Decimal("1e11"):
            self.error(box, _("%(label)s: %(raw)s is not a weight.") % {"label": label, "raw": raw})
            raise _Skip
        if over_decimals(value):
            self.error(box, _("%(label)s: %(raw)s has more than 3 decimals.") % {"label": label, "raw": raw})
            raise _Skip
        return value.quantize(Decimal("0.001"))

    def integer(self, raw: Any, box: str, label: str) -> int | None:
        if raw in (None, ""):
            return None
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = -1
        if value < 0 or value > 2_000_000_000:
            self.error(box, _("%(label)s: %(raw)s is not a number of packages.") % {"label": label, "raw": raw})
            raise _Skip
        return value

    def choice(self, raw: Any, allowed: list[str], box: str) -> str:
        if str(raw) not in allowed:
            self.error(box, _("%(value)s is not among the choices.") % {"value": raw})
            raise _Skip
        return str(raw)


def yes_no(raw: Any) -> bool | None:
    """A Yes / No tick-box that may stay unanswered: None for an empty value."""
    if raw in (None, ""):
        return None
    return str(raw).lower() in ("1", "true", "on", "yes")


class _Skip(Exception):
    """A value that could not be read: its error is recorded, the field keeps its stored value."""


def normalise_cn(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def producer_control_body(producer: Operator | None) -> ControlBodyCode | None:
    """Box 13's control body of a producer / processor: the one certifying its producer activity."""
    if producer is None:
        return None
    activity = producer.activities.filter(kind=ActivityKind.PRODUCER).select_related("control_body_code").first()
    return activity.control_body_code if activity else None


def write(coi: Certificate, values: dict[str, Any]) -> None:
    """Store read values on a saved COI: scalar fields, then box 13 and boxes 14/15 replaced as a whole."""
    for field, value in values.items():
        if field not in ("commodities", "containers", "traders"):
            setattr(coi, field, value)
    coi.save()
    if "traders" in values:
        coi.traders.set(values["traders"])
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


def as_data(coi: Certificate) -> BoxData:
    """The COI's boxes in the shape pages and the API send back (ids and codes, not names). A COI of the
    2021/2306 form also has that form's fields (FIELDS_2021_2306, and per line organic_status and category)."""
    form_2021_2306 = coi.form == "2021/2306"
    data = {
        "national_reference": coi.national_reference,
        "control_body_code": coi.control_body_code.code if coi.control_body_code else "",
        "exporter": coi.exporter_id,
        "origin_countries": coi.origins,
        "export_country": coi.export_country,
        "release_member_state": coi.release_member_state,
        "validating_authority": coi.validating_authority_id,
        "point_of_entry": coi.point_of_entry_id,
        "importer": coi.importer_id,
        "rfl": coi.rfl_id,
        "first_consignee": coi.first_consignee_id,
        "release_in_batches": coi.release_in_batches,
        "commodities": [
            {
                "cn_code": c.cn_code.code,
                "lines": [
                    {
                        "trade_name": line.trade_name,
                        "lot_number": line.lot_number,
                        "packages": line.packages,
                        "packaging_type": line.packaging_type,
                        "net_weight": line.net_weight,
                        "net_weight_unit": line.net_weight_unit,
                        "producer": line.producer_id,
                        **(
                            {"organic_status": line.organic_status, "category": line.category} if form_2021_2306 else {}
                        ),
                    }
                    for line in c.lines.all()
                ],
            }
            for c in coi.commodities.all()
        ],
        "containers": [{"number": c.number, "seals": c.seals} for c in coi.containers.all()],
        "gross_weight": coi.gross_weight,
        "gross_weight_unit": coi.gross_weight_unit,
        "transport_mode": coi.transport_mode,
        "transport_identification": coi.transport_identification,
        "transport_document": coi.transport_document,
        "departure_date": coi.departure_date.isoformat() if coi.departure_date else "",
    }
    if form_2021_2306:
        data.update(_data_2021_2306(coi))
    return data


def _data_2021_2306(coi: Certificate) -> BoxData:
    data: BoxData = {}
    for field in FIELDS_2021_2306:
        if field == "traders":
            data[field] = [o.pk for o in coi.traders.all()]
        elif field == "customs_operator_control_body":
            code = coi.customs_operator_control_body
            data[field] = code.code if code else ""
        elif field in ("customs_operator", *POINT_FIELDS):
            data[field] = getattr(coi, f"{field}_id")
        else:
            data[field] = getattr(coi, field)
    return data
