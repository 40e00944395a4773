"""A COI's boxes as people read them, in the order and with the titles of its form's table: what the COI page
and the PDF of the 2021/2306 form show, box by box (`rows(coi)`), in the active language.

Each row: the box (number, title), its text lines, its signature when the box is signed, and for box 13 the
lines of the products. Fields are formatted by kind, never per form: parties by name and address (EORI for
the importer and the operator responsible), countries by name, choices by label, yes/no, dates and times.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.coi_forms import Box, form_of
from certificates.coi_forms.choices import EntryKind, OrganicStatus, ProductCategory, Satisfactory
from certificates.outputs.signed_boxes import signatures_of
from certificates.workflow_records import ExtractQuantity
from core import clock
from core.typography import colon, quantity
from directory.models import ActivityKind
from reference.countries import country_name
from reference.lists import PackagingType, TransportMode
from reference.procedures import Procedure

PARTIES = ("exporter", "importer", "first_consignee", "rfl", "customs_operator")
WITH_EORI = ("importer", "rfl", "customs_operator")
CHOICES: dict[str, Any] = {
    "point_of_entry_kind": EntryKind,
    "transport_mode": TransportMode,
    "transfer_transport_mode": TransportMode,
    "documentary_check": Satisfactory,
    "identity_check": Satisfactory,
    "physical_check": Satisfactory,
    "laboratory_result": Satisfactory,
    "procedure": Procedure,
}
YES_NO = (
    "transfer_requested",
    "customs_warehousing",
    "inward_processing",
    "selected_for_checks",
    "transfer_to_control_point",
    "laboratory_test",
)
TICKS = ("customs_warehousing", "inward_processing", "transfer_requested")  # ticked or not: shown when ticked
SKIPPED = ("gross_weight_unit", "decision", "consignee_in_accordance")


# The columns a box of lines may print (`Box.columns`), with their headings.
COLUMNS: dict[str, Any] = {
    "status": gettext_lazy("Organic or in-conversion"),
    "cn": gettext_lazy("CN code"),
    "trade_name": gettext_lazy("Trade name"),
    "category": gettext_lazy("Category"),
    "packages": gettext_lazy("Number of packages"),
    "lot": gettext_lazy("Lot number"),
    "net_weight": gettext_lazy("Net weight"),
    "base_net_weight": gettext_lazy("Net weight of the original consignment"),
}
NUMERIC = ("packages", "net_weight", "base_net_weight")


def _cell(product: dict[str, Any], name: str) -> str:
    if name == "packages":  # the number and the kind of packages in one cell
        return f"{'' if product['packages'] is None else product['packages']} {product['packaging']}".strip()
    return str(product.get(name, ""))


@dataclass
class Row:
    box: Box
    lines: list[str] = field(default_factory=list)
    signature: Any = None
    products: list[dict[str, Any]] | None = None
    notes: list[str] = field(default_factory=list)  # the rules' warnings at the box (box 17's departure date)

    @property
    def headings(self) -> list[str]:
        """The headings of the box's columns (box 13 of the COI, box 11 of the extract)."""
        return [str(COLUMNS[name]) for name in self.box.columns]

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """Per line, its cells in the box's columns: (text, numeric)."""
        return [[(_cell(p, name), name in NUMERIC) for name in self.box.columns] for p in self.products or []]

    @property
    def empty(self) -> bool:
        return not self.lines and self.signature is None and not self.products


def label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def party(operator: Any, eori: bool = False) -> str:
    if operator is None:
        return ""
    text = f"{operator.name}, {operator.one_line_address}"
    if eori:
        number = operator.identifiers.filter(type="eori").values_list("value", flat=True).first()
        if number:
            text += f" (EORI {number})"
    return text


def field_lines(coi: Any, name: str, box: Box) -> list[str]:
    """The text of one field of a box (empty list when not given)."""
    labels = {
        "point_of_entry_kind": "",
        "transport_identification": _("Identification"),
        "transport_document": _("International transport document"),
        "transfer_transport_identification": _("Identification"),
        "transfer_transport_document": _("International transport document"),
        "customs_declaration_reference": _("Customs declaration reference number"),
        "customs_information": _("Additional information"),
        "validating_authority": _("Competent authority"),
    }
    value = getattr(coi, name, None) if name not in ("producers", "producer_control_bodies", "traders") else None
    if name == "base_number":
        return [coi.base.number] if coi.base_id and coi.base.number else []
    if name == "splitting_control_body":
        body = splitting_control_body(coi)
        return [f"{body.control_body.name} ({body.code})"] if body else []
    if name == "national_reference":
        return [t for t in (coi.number or "", coi.national_reference) if t]
    if name == "producers":  # name (country), then the address
        return [
            ", ".join(
                t for t in (f"{p.name} ({country_name(p.country)})", p.address, f"{p.postcode} {p.city}".strip()) if t
            )
            for p, _b in coi.producers()
        ]
    if name == "producer_control_bodies":
        return [f"{b.control_body.name} ({b.code})" for _p, b in coi.producers() if b]
    if name == "traders":
        return [party(o) for o in coi.traders.all()]
    if name == "control_body_code" or name == "customs_operator_control_body":  # code, name (head office's country)
        return [f"{value.code} {value.control_body.name} ({country_name(value.control_body.country)})"] if value else []
    if name in PARTIES:
        return [party(value, name in WITH_EORI)] if value else []
    if name == "origin_countries":
        return [", ".join(country_name(c) for c in coi.origins)] if coi.origins else []
    if name in ("export_country", "destination_country", "release_member_state"):
        return [country_name(value)] if value else []
    if name in ("point_of_entry", "requested_control_point", "control_point"):
        return [f"{value.name} ({value.code})"] if value else []
    if name == "gross_weight":
        return [f"{quantity(value)}\u00a0{coi.gross_weight_unit}"] if value is not None else []
    if name == "prior_notification_at":
        return _prior_notification(coi, value)
    if name == "containers":
        if box.number == "15":
            return [f"{c.number}{colon()} {c.seals}" for c in coi.containers.all() if c.seals]
        return [c.number for c in coi.containers.all()]
    if name == "release_in_batches":
        return [_("For release for free circulation in batches")] if value else []
    if name in YES_NO:
        if value is None or (
            value is False and name in ("customs_warehousing", "inward_processing", "transfer_requested")
        ):
            return []
        return [f"{coi._meta.get_field(name).verbose_name}{colon()} {_('yes') if value else _('no')}"]
    if name in CHOICES:
        if not value:
            return []
        text = label(CHOICES[name], value)
        prefix = (
            ""
            if name in ("procedure", "point_of_entry_kind", "transport_mode")
            else f"{coi._meta.get_field(name).verbose_name}{colon()} "
        )
        return [prefix + text]
    if name == "validating_authority":
        return [f"{labels[name]}{colon()} {value.name}"] if value else []
    if name in SKIPPED or name == "commodities":
        return []
    if value in (None, ""):
        return []
    if isinstance(value, datetime.datetime):
        value = clock.zoned(value)
    elif isinstance(value, datetime.date):  # box 17's date of departure: as the reader writes a day
        value = clock.day(value)
    title = labels.get(name)
    return [f"{title}{colon()} {value}" if title else str(value)]


def splitting_control_body(extract: Any) -> Any:
    """Box 4 of the extract: the control body certifying the operator who split the consignment (the extract's
    creator, the importer or the operator responsible) as an importer; None when it has no such certification."""
    operator = extract.creator_operator
    if operator is None:
        return None
    activity = (
        operator.activities.filter(kind=ActivityKind.IMPORTER)
        .select_related("control_body_code__control_body")
        .order_by("pk")
        .first()
    )
    return activity.control_body_code if activity else None


def products(coi: Any) -> list[dict[str, Any]]:
    """The lines of box 13 (an extract's box 11, with the net weight of the lot of the underlying COI)."""
    base_weights: dict[int, str] = {}
    if getattr(coi, "base_id", None):
        for taken in ExtractQuantity.objects.filter(extract=coi).select_related("base_line"):
            if taken.line_id:
                base_weights[taken.line_id] = taken.base_line.net_weight_display
    return [
        {
            "status": label(OrganicStatus, line.organic_status) if line.organic_status else "",
            "cn": commodity.cn_code.code,
            "cn_text": f"{commodity.cn_code.formatted} {commodity.cn_code.path}",  # the page: code and full path
            "trade_name": line.trade_name,
            "category": label(ProductCategory, line.category).split(")")[0] + ")" if line.category else "",
            "packages": line.packages,
            "packaging": label(PackagingType, line.packaging_type) if line.packaging_type else "",
            "lot": line.lot_number,
            "net_weight": line.net_weight_display,
            "base_net_weight": base_weights.get(line.pk, ""),
            "producer": " ".join(
                p
                for p in (
                    line.producer.name if line.producer else "",
                    f"({line.producer_control_body_code.code})" if line.producer_control_body_code else "",
                )
                if p
            ),
        }
        for commodity in coi.commodities.all()
        for line in commodity.lines.all()
    ]


def rows(coi: Any, signatures: dict[str, Any] | None = None) -> list[Row]:
    """Every box of the COI's form (of the extract's model for an extract of 2021/2306), in order, with its
    content (the product picker's box aside; the guides' "responsible for the load" has no number and is shown
    by its title)."""
    signatures = signatures_of(coi) if signatures is None else signatures
    out: list[Row] = []
    for box in form_of(coi).boxes_for(coi):
        if box.key == "products":
            continue
        if box.key == "23v":  # box 23's verification is printed inside box 23
            out[-1].signature = signatures.get("23")
            continue
        row = Row(box)
        for name in box.fields:
            row.lines += field_lines(coi, name, box)
        if box.columns or box.key == "13":  # the guides' box 13 keeps its own layout
            row.products = products(coi)
        if box.signed:
            row.signature = signatures.get(box.signature_box)
        out.append(row)
    return out


def _prior_notification(coi: Any, arrival: Any) -> list[str]:
    """Box 20: the estimated arrival, when the notice was first given and when it was last changed."""
    if not arrival:
        return []
    out = [clock.zoned(arrival)]
    if coi.prior_notified_at:
        first = _("First given")
        out.append(f"{first}{colon()} {clock.zoned(coi.prior_notified_at)}")
    changed = coi.prior_notification_changed_at
    if changed and changed != coi.prior_notified_at:
        last = _("Last changed")
        out.append(f"{last}{colon()} {clock.zoned(changed)}")
    return out
