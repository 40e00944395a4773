"""The field table: every field of a COI (`COI_FIELDS`), of a line of box 13 (`LINE_FIELDS`) and of a
container (`CONTAINER_FIELDS`), each declared once, by name and value kind.

A row says only what the model field does not: its kind (how a value is read, given back, printed and typed),
its choices when they are a reference list rather than the model's, the field holding its unit, and how it is
printed when that differs from its kind's way. The rest is read, not repeated:

- label, column length, choices, default: from the model field (`Row.model_field`);
- which box holds it on each form: from the forms' box tables (`certificates/coi_forms/`, `Row.box_on`);
- who may write it in each status: the matrix, through that box (`writable`).

Readers (`certificates/boxes.py`), the edit page (`edit_page.py`; a line's and a container's inputs, what the page
posts of them and the read-only table of lines: `forms.PartInput`), the boxes as printed (`outputs/box_rows.py`),
the API's schemas (`api/certificates.py`: `BoxesIn`, `LineIn`, `ContainerIn`), the SPS notes and a line's elements
and classifications (`outputs/sps.py`, read back by `inputs/sps_import.py`) and the exports' columns
(`outputs/exports.py`, `Kind.cell`) are derived from these rows:
adding a field is one row here, its model field and a migration (and its box's name in the form's table). A line
field of one form only: its name in that form's `CoiForm.line_fields`, and in box 13's `Box.columns` to print it
(the page, the API, SPS XML with `Row.sps_system` for a choice, the COI page and the PDF then take it; example:
the fields21 note's diff adding `intended_use`). Not derived: a line's producer picker, its packages in SPS's
ram:PhysicalSPSPackage and its producer party.

One parser per value kind (`Kind.parse`): a typed value (a page's string, a script's number or id) in, the
model's value out, or `Refused` with the message shown at the field's box.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from certificates.coi_forms import FORMS, CoiForm
from certificates.models import Certificate, CommodityLine, Container
from core import clock
from core.converters import MAX_ID, read_id
from core.text import refusal, too_long
from core.typography import colon, quantity, read_quantity
from directory.models import Authority, ControlBodyCode, Operator, PointOfEntry
from reference.countries import country_name, is_country
from reference.lists import PackagingType, TransportMode, WeightUnit
from reference.procedures import Procedure

TRUE_WORDS = ("1", "true", "on", "yes")
WEIGHT_DECIMALS = 3  # what a weight column keeps (grams of a kilogram): `certificates.models.WEIGHT`
MAX_WEIGHT = Decimal("1e11")  # a weight column's 14 digits, 3 of them decimals
MAX_COUNT = 2_000_000_000


class Refused(Exception):
    """A typed value that cannot be read: `message` says why, in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_true(raw: Any) -> bool:
    """A ticked box or a "yes" as pages, scripts and imports send it: True, "1", "true", "on", "yes"."""
    return raw is True or str(raw).lower() in TRUE_WORDS


def over_decimals(value: Decimal) -> bool:
    """More decimals than a weight column keeps, which saving would round away (0.0004 kg, 1.23456 kg): such a
    weight is refused, never cut. Trailing zeros do not count (1.2000 is 1.2)."""
    return value.is_finite() and int(value.normalize().as_tuple().exponent) < -WEIGHT_DECIMALS


def _empty(raw: Any) -> bool:
    return raw is None or raw == ""


# Value kinds ----------------------------------------------------------------------------------------------


class Kind:
    """How a value of one kind is read (`parse`), given back to pages and the API (`data`), printed on the COI
    page and the PDF (`lines`), and typed on the edit page (`widget`, a name `_box_widget.html` draws)."""

    widget: ClassVar[str] = "text"
    inputmode: ClassVar[str] = ""  # the keyboard a phone offers to type it ("numeric", "decimal"): none by default

    def parse(self, raw: Any, row: Row, label: str) -> Any:
        raise NotImplementedError

    def data(self, obj: Any, row: Row) -> Any:
        return getattr(obj, row.name)

    def text(self, value: Any, obj: Any, row: Row) -> str:
        """The value as printed (empty when not given)."""
        return "" if value in (None, "") else str(value)

    def lines(self, obj: Any, row: Row) -> list[str]:
        text = self.text(getattr(obj, row.name), obj, row)
        if not text:
            return []
        prefix = row.printed_label(self.labelled)
        return [f"{prefix}{colon()} {text}" if prefix else text]

    def cell(self, obj: Any, row: Row) -> Any:
        """The value in a spreadsheet's cell (the exports, `outputs/exports.py`): its printed text by default;
        numbers, days and times as such; parties by name, control bodies by code (never a query per cell)."""
        return self.text(getattr(obj, row.name), obj, row)

    labelled: ClassVar[bool] = False  # printed after its label by default (a choice, a yes/no)


class Text(Kind):
    """A one-line text as typed (trimmed), refused whole when a character is refused or it is longer than its
    column (`core.text`): never cut."""

    def parse(self, raw: Any, row: Row, label: str) -> str:
        value = str(raw or "").strip()
        limit = row.max_length
        message = refusal(value) or (too_long(value, limit) if limit and len(value) > limit else None)
        if message:
            raise Refused(f"{capfirst(label)}: {message}")
        return value


class Flag(Kind):
    """A tick-box: ticked or not (never unanswered). Printed only when ticked, as "label: yes", or as its
    printed text alone when the row gives one (box 12's "For release ... in batches")."""

    widget = "flag"

    def parse(self, raw: Any, row: Row, label: str) -> bool:
        return is_true(raw)

    def lines(self, obj: Any, row: Row) -> list[str]:
        if not getattr(obj, row.name):
            return []
        return [str(row.printed)] if row.printed else [f"{capfirst(row.label)}{colon()} {_('yes')}"]

    def cell(self, obj: Any, row: Row) -> str:
        return _("yes") if getattr(obj, row.name) else _("no")


class YesNo(Kind):
    """A Yes / No question that may stay unanswered: None for an empty value."""

    widget = "yesno"
    labelled = True

    def parse(self, raw: Any, row: Row, label: str) -> bool | None:
        return None if _empty(raw) else is_true(raw)

    def text(self, value: Any, obj: Any, row: Row) -> str:
        return "" if value is None else (_("yes") if value else _("no"))


class Choice(Kind):
    """One of a list's values ("" when not given; the model field's default, kg, for a unit)."""

    widget = "choice"
    labelled = True

    def parse(self, raw: Any, row: Row, label: str) -> str:
        if _empty(raw):
            if row.default in (None, ""):
                return ""
            raw = row.default
        if str(raw) not in row.choices.values:
            if label == row.label:  # alone in its box: the value says enough
                raise Refused(_("%(value)s is not among the choices.") % {"value": raw})
            raise Refused(_("%(label)s: %(value)s is not among the choices.") % {"label": label, "value": raw})
        return str(raw)

    def text(self, value: Any, obj: Any, row: Row) -> str:
        if not value:
            return ""
        try:
            return str(row.choices(value).label)
        except ValueError:
            return str(value)


class Unit(Choice):
    """The unit of a quantity: printed and typed beside it (`Row.unit`), never alone."""

    widget = "inside"

    def lines(self, obj: Any, row: Row) -> list[str]:
        return []


class Weight(Kind):
    """A weight: at most 3 decimals, below 10^11, "," or "." as decimal mark, spaces ignored ("9 071,8")."""

    inputmode = "decimal"

    def parse(self, raw: Any, row: Row, label: str) -> Decimal | None:
        if _empty(raw):
            return None
        value = read_quantity(raw)
        if value is None or not value.is_finite() or value < 0 or value >= MAX_WEIGHT:
            raise Refused(_("%(label)s: %(raw)s is not a weight.") % {"label": label, "raw": raw})
        if over_decimals(value):
            raise Refused(_("%(label)s: %(raw)s has more than 3 decimals.") % {"label": label, "raw": raw})
        return value.quantize(Decimal("0.001"))

    def text(self, value: Any, obj: Any, row: Row) -> str:
        return "" if value is None else f"{quantity(value)}\u00a0{getattr(obj, row.unit)}"

    def cell(self, obj: Any, row: Row) -> Decimal | None:
        """The number alone: its unit is the next column (the unit's row)."""
        value: Decimal | None = getattr(obj, row.name)
        return value


class Count(Kind):
    """A whole number of things (packages), 0 to 2,000,000,000."""

    inputmode = "numeric"

    def parse(self, raw: Any, row: Row, label: str) -> int | None:
        if _empty(raw):
            return None
        typed = read_quantity(raw)  # "1e3", "+5", "1_000" are no counts, which int() would read
        value = int(typed) if typed is not None and typed == typed.to_integral_value() else -1
        if value < 0 or value > MAX_COUNT:
            raise Refused(_("%(label)s: %(raw)s is not a number of packages.") % {"label": label, "raw": raw})
        return value

    def cell(self, obj: Any, row: Row) -> int | None:
        value: int | None = getattr(obj, row.name)
        return value


class Date(Kind):
    """A day, as YYYY-MM-DD."""

    def parse(self, raw: Any, row: Row, label: str) -> datetime.date | None:
        if _empty(raw):
            return None
        if isinstance(raw, datetime.date):
            return raw
        try:
            day = parse_date(str(raw).strip())
        except ValueError:
            day = None
        if day is None:
            raise Refused(_("Give the %(label)s as YYYY-MM-DD.") % {"label": label})
        return day

    def data(self, obj: Any, row: Row) -> str:
        value = getattr(obj, row.name)
        return value.isoformat() if value else ""

    def text(self, value: Any, obj: Any, row: Row) -> str:
        return clock.day(value) if value else ""  # as the reader writes a day (core.clock)

    def cell(self, obj: Any, row: Row) -> datetime.date | None:
        value: datetime.date | None = getattr(obj, row.name)
        return value


class Moment(Kind):
    """A date and time ("2026-12-03T14:30", "2026-12-03 14:30"), in the site's time zone unless it says."""

    widget = "datetime"

    def parse(self, raw: Any, row: Row, label: str) -> datetime.datetime | None:
        if _empty(raw):
            return None
        if isinstance(raw, datetime.datetime):
            value: datetime.datetime | None = raw
        else:
            try:
                value = parse_datetime(str(raw).strip().replace(" ", "T", 1))
            except ValueError:
                value = None
        if value is None:
            raise Refused(_("%(raw)s is not a date and time (2026-12-03 14:30).") % {"raw": raw})
        return timezone.make_aware(value) if timezone.is_naive(value) else value

    def text(self, value: Any, obj: Any, row: Row) -> str:
        return clock.zoned(value) if value else ""

    def cell(self, obj: Any, row: Row) -> datetime.datetime | None:
        """The site's time without a zone (what a spreadsheet's cell holds; the column's heading names the zone)."""
        return local_moment(getattr(obj, row.name))


class Country(Kind):
    """An ISO 3166 country code ("MA", "ma" read as MA)."""

    def parse(self, raw: Any, row: Row, label: str) -> str:
        code = str(raw or "").strip().upper()
        if code and not is_country(code):
            raise Refused(_("Unknown country: %(codes)s.") % {"codes": code})
        return code

    def text(self, value: Any, obj: Any, row: Row) -> str:
        return country_name(value) if value else ""


class Countries(Kind):
    """Country codes, a list or a string separated by spaces ("MA TN"), stored separated by spaces, each once."""

    def parse(self, raw: Any, row: Row, label: str) -> str:
        codes = raw.split() if isinstance(raw, str) else list(raw or [])
        codes = [str(c).strip().upper() for c in codes if str(c).strip()]
        bad = [c for c in codes if not is_country(c)]
        if bad:
            raise Refused(_("Unknown country: %(codes)s.") % {"codes": ", ".join(bad)})
        return " ".join(dict.fromkeys(codes))

    def data(self, obj: Any, row: Row) -> list[str]:
        return str(getattr(obj, row.name)).split()

    def text(self, value: Any, obj: Any, row: Row) -> str:
        return ", ".join(country_name(c) for c in str(value).split())


NO_SUCH = {
    Operator: gettext_noop("No such operator."),
    Authority: gettext_noop("No such authority."),
    PointOfEntry: gettext_noop("No such point of entry."),
}


def _by_id(model: type[models.Model], raw: Any) -> Any:
    """The object of that id ("7" or 7), or Refused: "No such operator." and the like."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        pk = 0
    found = model._default_manager.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if found is None:
        raise Refused(_(NO_SUCH[model]))
    return found


def party(operator: Operator | None, eori: bool = False) -> str:
    """An operator as printed: "name, address" (with "(EORI FR...)" when asked and it has one)."""
    if operator is None:
        return ""
    text = f"{operator.name}, {operator.one_line_address}"
    if eori:
        number = operator.identifiers.filter(type="eori").values_list("value", flat=True).first()
        if number:
            text += f" (EORI {number})"
    return text


class Reference(Kind):
    """An operator, an authority or a point of entry (a border control post, a control point), by its id; given
    back as its id."""

    def parse(self, raw: Any, row: Row, label: str) -> Any:
        return None if _empty(raw) else _by_id(row.target, raw)

    widget = "reference"  # the row's: "operator", "point", "authority" (`Row.widget`)

    def data(self, obj: Any, row: Row) -> int | None:
        pk: int | None = getattr(obj, f"{row.name}_id")
        return pk

    def text(self, value: Any, obj: Any, row: Row) -> str:
        if value is None:
            return ""
        if isinstance(value, Operator):
            return party(value, row.eori)
        if isinstance(value, PointOfEntry):
            return f"{value.name} ({value.code})"
        return str(value.name)

    def cell(self, obj: Any, row: Row) -> str:
        value = getattr(obj, row.name)
        if value is None:
            return ""
        return f"{value.name} ({value.code})" if isinstance(value, PointOfEntry) else str(value.name)


class References(Kind):
    """Several operators (box 6 of 2021/2306), ids as a list or a string separated by spaces or commas."""

    widget = "operators"

    def parse(self, raw: Any, row: Row, label: str) -> list[Any]:
        ids = str(raw).replace(",", " ").split() if isinstance(raw, str) else list(raw or [])
        return [_by_id(row.target, item) for item in ids if not _empty(item)]

    def data(self, obj: Any, row: Row) -> list[int]:
        return [o.pk for o in getattr(obj, row.name).all()]

    def lines(self, obj: Any, row: Row) -> list[str]:
        return [party(o, row.eori) for o in getattr(obj, row.name).all()]

    def cell(self, obj: Any, row: Row) -> str:
        return "; ".join(str(o.name) for o in getattr(obj, row.name).all())


class Body(Kind):
    """A control body's code for a country ("MA-BIO-154", any case; or its id): given back as its code."""

    widget = "code"

    def parse(self, raw: Any, row: Row, label: str) -> ControlBodyCode | None:
        if _empty(raw):
            return None
        codes = ControlBodyCode.objects.select_related("control_body")
        found = codes.filter(code=str(raw).strip().upper()).first()
        pk = read_id(raw)
        if found is None and pk is not None:
            found = codes.filter(pk=pk).first()
        if found is None:
            raise Refused(_("No such control body code."))
        return found

    def data(self, obj: Any, row: Row) -> str:
        code = getattr(obj, row.name)
        return code.code if code else ""

    def text(self, value: Any, obj: Any, row: Row) -> str:
        """code, name (head office's country)."""
        return f"{value.code} {value.control_body.name} ({country_name(value.control_body.country)})" if value else ""

    def cell(self, obj: Any, row: Row) -> str:
        return str(self.data(obj, row))


class Nested(Kind):
    """A list of rows of another table (box 13's commodities and lines, boxes 14/15's containers): read by
    `certificates/boxes.py`, field by field through that table, printed by `outputs/box_rows.py`."""

    widget = "nested"

    def parse(self, raw: Any, row: Row, label: str) -> Any:
        raise NotImplementedError("read by certificates.boxes.Reader")

    def lines(self, obj: Any, row: Row) -> list[str]:
        return []

    def cell(self, obj: Any, row: Row) -> str:
        """Each row's `Row.item` ("cn_code.code": box 13's CN codes), separated by spaces."""
        return " ".join(str(_attribute(item, row.item)) for item in getattr(obj, row.name).all())


def _attribute(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


def local_moment(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The site's time without a zone (what a spreadsheet can hold), to the second; None for None."""
    return clock.local(moment).replace(tzinfo=None, microsecond=0) if moment else None


# The rows ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One field. name: the model field's (and the API's, the pages', the box table's); kind: a `Kind`;
    choices: the reference list when the model field has none; unit: the field holding the unit (a weight's);
    target: for a field of ids that is not a foreign key (a many-to-many), its model; eori: an operator printed
    with its EORI number; printed: the label printed before the value when it is not the model's (`""` for
    none; a tick-box: its whole line when ticked); signed: the box's signature prints it, not its lines; sps_note:
    carried in SPS XML as an `IncludedSPSNote` (no SPS element holds it; only portable values, no ids); item: for a
    list of rows (box 13, boxes 14/15), what an export's cell gives of each ("cn_code.code", "number"); capped: the
    edit page stops typing at the column's length (`maxlength`: a container's number) rather than refusing it;
    sps_element: the element of a line's ram:IncludedSPSTradeLineItem holding it (a text; a weight, with its unit's
    unitCode); sps_system: a choice carried as one more ram:ApplicableSPSClassification of its line, (SystemID,
    SystemName), its value the ClassCode (`outputs/sps.py`, read back by `inputs/sps_import.py`)."""

    name: str
    kind: Kind
    model: type[models.Model] = Certificate
    choices: Any = None
    unit: str = ""
    eori: bool = False
    printed: str | Promise | None = None
    signed: bool = False
    sps_note: bool = False
    item: str = ""
    capped: bool = False
    sps_element: str = ""
    sps_system: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.choices is None and getattr(self.model_field, "choices", None):
            object.__setattr__(self, "choices", _ChoicesOf(self.model_field))

    @cached_property
    def model_field(self) -> Any:
        return self.model._meta.get_field(self.name)

    @property
    def label(self) -> str:
        """The model field's verbose name, in the active language ("customs warehousing")."""
        return str(getattr(self.model_field, "verbose_name", self.name))

    @property
    def max_length(self) -> int | None:
        return getattr(self.model_field, "max_length", None)

    @property
    def default(self) -> Any:
        default = getattr(self.model_field, "default", models.NOT_PROVIDED)
        return None if default is models.NOT_PROVIDED or callable(default) else default

    @property
    def target(self) -> type[models.Model]:
        """The model a field of ids names (an operator, an authority, a point of entry)."""
        related: type[models.Model] = self.model_field.related_model
        return related

    @property
    def widget(self) -> str:
        """The edit page's widget (`_box_widget.html`): a reference is typed as its model is ("operator",
        "point", "authority")."""
        if isinstance(self.kind, Reference):
            return {Operator: "operator", PointOfEntry: "point", Authority: "authority"}[self.target]
        return self.kind.widget

    def printed_label(self, labelled: bool) -> str:
        if self.printed is not None:
            return str(self.printed)
        return capfirst(str(self.label)) if labelled else ""  # a line of its own: "Contrôles d’identité : …"

    def parse(self, raw: Any, label: str | None = None) -> Any:
        """The model's value of a typed one; Refused with the message to show at its box. label: how a message
        names the field when its box holds several of it ("line 2"); by default its own label."""
        return self.kind.parse(raw, self, self.label if label is None else label)

    def data(self, obj: Any) -> Any:
        """The stored value in the shape pages and the API send (`certificates.boxes.BoxData`)."""
        return self.kind.data(obj, self)

    def text(self, obj: Any) -> str:
        """The value alone as printed ("9,071.8 kg", "Organic"), in the active language; "" when not given."""
        return self.kind.text(getattr(obj, self.name), obj, self)

    def lines(self, obj: Any) -> list[str]:
        """The value as printed on the COI page and the PDF, in the active language (none when not given)."""
        return [] if self.signed else self.kind.lines(obj, self)

    def cell(self, obj: Any) -> Any:
        """The value in an export's cell (`Kind.cell`): text, a number, a day, or the site's time without zone."""
        return self.kind.cell(obj, self)

    def box_on(self, coi_form: CoiForm) -> str | None:
        """The key of the box holding the field on that form (its box table), None when the form has none."""
        return coi_form.box_of_field.get(self.name)


class _ChoicesOf:
    """A model field's choices, read as a TextChoices class is (`.values`, `(value).label`)."""

    def __init__(self, model_field: Any) -> None:
        self._field = model_field

    @property
    def values(self) -> list[str]:
        return [str(v) for v, _label in self._field.choices]

    @property
    def choices(self) -> list[tuple[str, Any]]:
        return list(self._field.choices)

    def __call__(self, value: str) -> Any:
        for v, label in self._field.choices:
            if str(v) == str(value):
                return _Labelled(label)
        raise ValueError(value)


@dataclass(frozen=True)
class _Labelled:
    label: Any


TEXT, FLAG, YES_NO, CHOICE, UNIT = Text(), Flag(), YesNo(), Choice(), Unit()
WEIGHT, COUNT, DATE, MOMENT = Weight(), Count(), Date(), Moment()
COUNTRY, COUNTRIES, REFERENCE, REFERENCES, BODY, NESTED = (
    Country(), Countries(), Reference(), References(), Body(), Nested(),
)  # fmt: skip

IDENTIFICATION = gettext_lazy("Identification")
TRANSPORT_DOCUMENT = gettext_lazy("International transport document")

# Every field of a COI (both forms, and the 2021/2307 extract, which is a COI with a base), in the boxes' order.
COI_FIELDS: tuple[Row, ...] = (
    Row("national_reference", TEXT),
    Row("control_body_code", BODY),
    Row("procedure", CHOICE, choices=Procedure, printed=""),
    Row("exporter", REFERENCE),
    Row("origin_countries", COUNTRIES),
    Row("export_country", COUNTRY),
    Row("release_member_state", COUNTRY),
    Row("validating_authority", REFERENCE, printed=gettext_lazy("Competent authority")),
    Row("point_of_entry", REFERENCE),
    Row("destination_country", COUNTRY),
    Row("importer", REFERENCE, eori=True),
    Row("rfl", REFERENCE, eori=True),
    Row("first_consignee", REFERENCE),
    Row("release_in_batches", FLAG, printed=gettext_lazy("For release for free circulation in batches")),
    Row("commodities", NESTED, item="cn_code.code"),
    Row("containers", NESTED, item="number"),
    Row("gross_weight", WEIGHT, unit="gross_weight_unit"),
    Row("gross_weight_unit", UNIT, choices=WeightUnit),
    Row("transport_mode", CHOICE, choices=TransportMode, printed=""),
    Row("transport_identification", TEXT, printed=IDENTIFICATION),
    Row("transport_document", TEXT, printed=TRANSPORT_DOCUMENT, sps_note=True),
    Row("departure_date", DATE),
    # Reg. (EU) 2021/2306 only.
    Row("traders", REFERENCES),
    Row("point_of_entry_kind", CHOICE, printed="", sps_note=True),
    Row("prior_notification_at", MOMENT, sps_note=True),
    Row("transfer_requested", FLAG, sps_note=True),
    Row("requested_control_point", REFERENCE),
    Row("customs_warehousing", FLAG, sps_note=True),
    Row("inward_processing", FLAG, sps_note=True),
    Row("customs_operator", REFERENCE, eori=True),
    Row("customs_operator_control_body", BODY, sps_note=True),
    Row("customs_information", TEXT, printed=gettext_lazy("Additional information"), sps_note=True),
    Row(
        "customs_declaration_reference",
        TEXT,
        printed=gettext_lazy("Customs declaration reference number"),
        sps_note=True,
    ),  # fmt: skip
    Row("documentary_check", CHOICE),
    Row("selected_for_checks", YES_NO),
    Row("transfer_to_control_point", YES_NO),
    Row("control_point", REFERENCE),
    Row("transfer_transport_mode", CHOICE, choices=TransportMode),
    Row("transfer_transport_identification", TEXT, printed=IDENTIFICATION),
    Row("transfer_transport_document", TEXT, printed=TRANSPORT_DOCUMENT),
    Row("identity_check", CHOICE),
    Row("physical_check", CHOICE),
    Row("laboratory_test", YES_NO),
    Row("laboratory_result", CHOICE),
    Row("lots_not_satisfactory", TEXT, printed=gettext_lazy("Lots not satisfactory")),
    Row("consignee_in_accordance", YES_NO, signed=True),
)

# A line of box 13 (of an extract's box 11); its CN code is its commodity's.
LINE_FIELDS: tuple[Row, ...] = (
    Row("trade_name", TEXT, CommodityLine, sps_element="Description"),
    Row("lot_number", TEXT, CommodityLine, sps_element="ProductionBatchID"),
    Row("packages", COUNT, CommodityLine),
    Row("packaging_type", CHOICE, CommodityLine, choices=PackagingType),
    Row("net_weight", WEIGHT, CommodityLine, unit="net_weight_unit", sps_element="NetWeightMeasure"),
    Row("net_weight_unit", UNIT, CommodityLine, choices=WeightUnit, printed=gettext_lazy("Unit of the net weight")),
    Row("producer", REFERENCE, CommodityLine),
    # Reg. (EU) 2021/2306 only (`CoiForm.line_fields`).
    Row(
        "organic_status", CHOICE, CommodityLine,
        sps_system=("ORGANIC_STATUS", "Organic or in-conversion (Reg. (EU) 2021/2306, box 13)"),
    ),
    Row(
        "category", CHOICE, CommodityLine,
        sps_system=("ORGANIC_CATEGORY", "Category of Annex II to Reg. (EU) 2021/1378"),
    ),
)  # fmt: skip

# Boxes 14 and 15: a container and its seals.
CONTAINER_FIELDS: tuple[Row, ...] = (
    Row("number", TEXT, Container, capped=True),
    Row("seals", TEXT, Container),
)

FIELDS: dict[str, Row] = {row.name: row for row in COI_FIELDS}
LINE: dict[str, Row] = {row.name: row for row in LINE_FIELDS}
# The line fields only some forms have (`CoiForm.line_fields`: 2021/2306's organic status and category).
OF_A_FORM: frozenset[str] = frozenset().union(*(f.line_fields for f in FORMS.values()))


def typed_fields(coi_form: CoiForm) -> tuple[Row, ...]:
    """The rows of the fields people type on that form (its box table's typed boxes), in the table's order."""
    return tuple(row for row in COI_FIELDS if row.name in coi_form.typed_box_of_field)


def boxed_rows() -> tuple[Row, ...]:
    """The rows of the fields a box of some form holds (typed, derived or signed), in the table's order: the
    exports' columns (`outputs/exports.py`)."""
    return tuple(row for row in COI_FIELDS if any(row.box_on(f) for f in FORMS.values()))


def typed_rows() -> tuple[Row, ...]:
    """The rows of the fields people type on some form (not derived, not set by a signature or the system)."""
    typed = set().union(*(f.typed_box_of_field for f in FORMS.values()))
    return tuple(row for row in COI_FIELDS if row.name in typed)


def only_on(code: str) -> tuple[Row, ...]:
    """The rows of the fields only the form of that code has in its typed boxes ("2021/2306": boxes 6, 10's
    kind, 19-23, 26-29)."""
    others = set().union(*(f.typed_box_of_field for c, f in FORMS.items() if c != code))
    return tuple(row for row in typed_fields(FORMS[code]) if row.name not in others)


def every_form_line_fields() -> tuple[Row, ...]:
    """The rows of a line every form has (the guides' seven), in the table's order."""
    return tuple(row for row in LINE_FIELDS if row.name not in OF_A_FORM)


def line_fields(coi_form: CoiForm) -> tuple[Row, ...]:
    """The rows of a line of box 13 on that form: the guides' seven, and those `CoiForm.line_fields` adds."""
    return tuple(row for row in LINE_FIELDS if row.name not in OF_A_FORM or row.name in coi_form.line_fields)
