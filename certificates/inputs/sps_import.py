"""Reading an SPS certificate (see `sps.py` for the mapping) into the boxes of a new draft.

The document's values become the same `BoxData` a person types in the form, and the draft is created by
`certificates.services.create_draft`: the same reading and the same rules. Each problem names the element
it comes from (an XPath with the document's prefixes, e.g.
`/rsm:SPSCertificate/rsm:SPSConsignment/ram:IncludedSPSConsignmentItem[1]/ram:IncludedSPSTradeLineItem[2]/ram:NetWeightMeasure`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from lxml import etree

from certificates import rules
from certificates.access import Person
from certificates.boxes import BoxData, normalise_cn
from certificates.coi_forms import FORMS, CoiForm, FormCode, form_of
from certificates.fields import LINE as LINE_ROWS
from certificates.models import Certificate
from certificates.outputs.sps import (
    CN_SYSTEM,
    LINE_CLASSIFICATIONS,
    LINE_ELEMENTS,
    MODE_CODES,
    NOTE_BATCHES,
    NOTE_FIELDS,
    NOTE_FORM,
    NOTE_NATIONAL_REFERENCE,
    NOTE_PREFIXES,
    NOTE_PROCEDURE,
    RAM,
    RSM,
    TRADERS,
    UNIT_CODES,
    parse_trader_note,
    ram,
    rsm,
)
from certificates.services import BoxErrors, create_draft
from core.typography import read_quantity
from directory.models import Authority, ControlBodyCode, IdentifierType, Membership, Operator, PointOfEntry
from reference.models import CnCode

PREFIXES = {RSM: "rsm", RAM: "ram"}
ROOT = "/rsm:SPSCertificate"
DOC = f"{ROOT}/rsm:SPSExchangedDocument"
CONSIGNMENT = f"{ROOT}/rsm:SPSConsignment"
LINE = f"{CONSIGNMENT}/ram:IncludedSPSConsignmentItem/ram:IncludedSPSTradeLineItem"
NOTE = f"{DOC}/ram:IncludedSPSNote"
MOVEMENT = f"{CONSIGNMENT}/ram:MainCarriageSPSTransportMovement"
# Where each field lives in the document (sps.py's mapping), for the problems the rules find at a box: a box of
# the document's form points at the element of the first field it holds (`Box.also_holds`, then its fields) that
# is here; the two forms number their boxes differently (the importer is box 11 of the guides' form, 12 of
# 2021/2306), so a box's number alone does not say where it is.
FIELD_PATHS = {
    "control_body_code": f"{DOC}/ram:IssuerSPSParty",
    "procedure": f"{DOC}/ram:IssuerSPSParty",
    "national_reference": NOTE,
    "exporter": f"{CONSIGNMENT}/ram:ConsignorSPSParty",
    "producers": f"{LINE}/ram:ProducerSPSParty",
    "producer_control_bodies": f"{LINE}/ram:ProducerSPSParty",
    "traders": NOTE,
    "origin_countries": f"{LINE}/ram:OriginSPSCountry",
    "export_country": f"{CONSIGNMENT}/ram:ExportSPSCountry",
    "release_member_state": f"{CONSIGNMENT}/ram:ImportSPSCountry",
    "validating_authority": f"{CONSIGNMENT}/ram:ExaminationSPSEvent",
    "point_of_entry": f"{CONSIGNMENT}/ram:UnloadingBaseportSPSLocation",
    "destination_country": f"{CONSIGNMENT}/ram:DeliverySPSParty",
    "importer": f"{CONSIGNMENT}/ram:ConsigneeSPSParty",
    "rfl": f"{CONSIGNMENT}/ram:CustomsTransitAgentSPSParty",
    "first_consignee": f"{CONSIGNMENT}/ram:DeliverySPSParty",
    "release_in_batches": NOTE,
    "commodities": f"{CONSIGNMENT}/ram:IncludedSPSConsignmentItem",
    "containers": f"{CONSIGNMENT}/ram:UtilizedSPSTransportEquipment",
    "seals": f"{CONSIGNMENT}/ram:UtilizedSPSTransportEquipment/ram:AffixedSPSSeal",
    "gross_weight": f"{CONSIGNMENT}/ram:GrossWeightMeasure",
    "gross_weight_unit": f"{CONSIGNMENT}/ram:GrossWeightMeasure",
    **dict.fromkeys(("transport_mode", "transport_identification"), MOVEMENT),
    **dict.fromkeys(NOTE_FIELDS, NOTE),
}
UNITS = {code: unit for unit, code in UNIT_CODES.items()}
# The most items one document may hold: consignment items, trade line items (the lots of box 13) and
# transport equipment (box 14) together. Above it the document is refused before anything is read, so an
# import's time grows with its size and stays bounded (a real COI holds a few dozen lots at most).
MAX_ITEMS = 500
ITEM_NAMES = ("IncludedSPSConsignmentItem", "IncludedSPSTradeLineItem", "UtilizedSPSTransportEquipment")
MODES = {code: mode for mode, code in MODE_CODES.items()}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    box: str = ""


def path_of(element: etree._Element) -> str:
    steps = []
    while element is not None:
        qname = etree.QName(element)
        step = f"{PREFIXES.get(qname.namespace or '', 'ns')}:{qname.localname}"
        parent = element.getparent()
        if parent is not None:
            same = [e for e in parent if e.tag == element.tag]
            if len(same) > 1:
                step += f"[{same.index(element) + 1}]"
        steps.append(step)
        element = parent
    return "/" + "/".join(reversed(steps))


def _text(element: etree._Element | None, *names: str) -> str:
    for name in names:
        if element is None:
            return ""
        element = element.find(ram(name))
    return (element.text or "").strip() if element is not None else ""


class SpsReader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.refused = False  # a problem that refuses the whole document (nothing is stored)
        self.form = ""  # the document's COI_FORM note, read before the consignment
        self.coi_form = form_of(None)  # its form (the guides' when none is named; an unknown one is refused)

    def problem(self, element: etree._Element | str, message: str, box: str = "") -> None:
        path = element if isinstance(element, str) else path_of(element)
        self.problems.append(Problem(path, str(message), box))

    def read(self, xml: bytes) -> BoxData | None:
        """The boxes the document gives; None when it is not an SPS certificate at all."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            root = etree.fromstring(xml, parser)
        except etree.XMLSyntaxError as error:
            self.problem("/", _("This is not well-formed XML: %(error)s") % {"error": error})
            return None
        if root.tag != rsm("SPSCertificate"):
            self.problem(path_of(root), _("The document's root must be rsm:SPSCertificate (%(ns)s).") % {"ns": RSM})
            return None
        doc, consignment = root.find(rsm("SPSExchangedDocument")), root.find(rsm("SPSConsignment"))
        for element, name in ((doc, "SPSExchangedDocument"), (consignment, "SPSConsignment")):
            if element is None:
                self.problem(f"{ROOT}/rsm:{name}", _("This element is missing."))
        if doc is None or consignment is None:
            return None
        items = sum(1 for _e in consignment.iter(*(ram(name) for name in ITEM_NAMES)))
        if items > MAX_ITEMS:
            self.problem(
                CONSIGNMENT,
                _("The document holds %(count)s items; at most %(max)s are accepted in one COI.")
                % {"count": items, "max": MAX_ITEMS},
                "13",
            )
            return None
        return {**self.document(doc), **self.consignment(consignment)}

    def document(self, doc: etree._Element) -> BoxData:
        data: BoxData = {}
        issuer = doc.find(ram("IssuerSPSParty"))
        code = _text(issuer, "ID").upper()
        if code:
            if ControlBodyCode.objects.filter(code=code).exists():
                data["control_body_code"] = code
            else:
                self.problem(issuer.find(ram("ID")), _("No such control body code: %(code)s.") % {"code": code}, "1")
        notes = {_text(n, "Subject"): (n, _text(n, "Content")) for n in doc.findall(ram("IncludedSPSNote"))}
        if NOTE_NATIONAL_REFERENCE in notes:
            data["national_reference"] = notes[NOTE_NATIONAL_REFERENCE][1]
        form = notes.get(NOTE_FORM, (None, ""))[1]
        self.form = form
        self.coi_form = FORMS.get(form) or form_of(None)
        if form:
            data["form"] = form
        if "release_in_batches" in self.coi_form.box_of_field:  # the guides' box 12 tick
            data["release_in_batches"] = notes.get(NOTE_BATCHES, (None, ""))[1].lower() == "true"
        elif rules.ProcedureOfBox2.typed_on(self.coi_form) and notes.get(NOTE_PROCEDURE, (None, ""))[1]:
            data["procedure"] = notes[NOTE_PROCEDURE][1]
        for subject, (_note, content) in notes.items():
            for prefix in NOTE_PREFIXES:  # a note of a form's box, whatever the document's form (refused if foreign)
                if subject.startswith(prefix) and subject[len(prefix) :] in NOTE_FIELDS:
                    data[subject[len(prefix) :]] = content
        # Box 6 of 2021/2306, one note per trader (sps.trader_note), numbered as the form whose prefix it bears.
        boxes = {f.sps_note_prefix + TRADERS: f.number_of(TRADERS) for f in FORMS.values() if f.sps_note_prefix}
        traders = [n for n in doc.findall(ram("IncludedSPSNote")) if _text(n, "Subject") in boxes]
        if traders:
            found = (self.trader(note, boxes[_text(note, "Subject")]) for note in traders)
            data["traders"] = [pk for pk in found if pk is not None]
        return data

    def trader(self, note: etree._Element, box: str) -> int | None:
        """The operator a trader note of box 6 names (sps.trader_note), found as a party is; None, with the problem
        at the note's content, when it is not of that shape or names no single operator."""
        where = note.find(ram("Content"))
        content = _text(note, "Content")
        parsed = parse_trader_note(content)
        if parsed is None:
            self.problem(
                where if where is not None else note,
                _("%(content)s does not name a trader: give its name and country code, as in “Name (FR)” or "
                  "“Name (FR) EORI FR123456789”.") % {"content": content or "?"},
                box,
            )  # fmt: skip
            return None
        name, country, eori = parsed
        return self.found_operator(where if where is not None else note, name, country, eori, box)

    def consignment(self, consignment: etree._Element) -> BoxData:
        data: BoxData = {}
        for field, name in (
            ("exporter", "ConsignorSPSParty"),
            ("importer", "ConsigneeSPSParty"),
            ("first_consignee", "DeliverySPSParty"),
            ("rfl", "CustomsTransitAgentSPSParty"),
        ):
            data[field] = self.operator(consignment.find(ram(name)), self.box(field))
        data["export_country"] = _text(consignment, "ExportSPSCountry", "ID").upper()
        data["release_member_state"] = _text(consignment, "ImportSPSCountry", "ID").upper()
        data["point_of_entry"] = self.point_of_entry(consignment.find(ram("UnloadingBaseportSPSLocation")))
        location = consignment.find(f"{ram('ExaminationSPSEvent')}/{ram('OccurrenceSPSLocation')}")
        data["validating_authority"] = self.authority(location)
        data.update(self.transport(consignment.find(ram("MainCarriageSPSTransportMovement"))))
        data["containers"] = [
            {
                "number": _text(e, "ID"),
                "seals": ", ".join(_text(s, "ID") for s in e.findall(ram("AffixedSPSSeal"))),
            }
            for e in consignment.findall(ram("UtilizedSPSTransportEquipment"))
        ]
        gross = consignment.find(ram("GrossWeightMeasure"))
        if gross is not None:
            data["gross_weight"], data["gross_weight_unit"] = self.measure(gross, "16")
        origins: list[str] = []
        data["commodities"] = [
            self.commodity(item, origins) for item in consignment.findall(ram("IncludedSPSConsignmentItem"))
        ]
        data["commodities"] = [c for c in data["commodities"] if c]
        data["origin_countries"] = list(dict.fromkeys(origins))
        return data

    def box(self, field: str) -> str:
        """The number of the box of the document's form holding that field (its key when the box has none)."""
        return self.coi_form.number_of(field) or self.coi_form.box_of(field) or field

    def operator(self, party: etree._Element | None, box: str) -> int | None:
        if party is None:
            return None
        identifier = party.find(ram("ID"))
        name = _text(party, "Name")
        country = _text(party, "SpecifiedSPSAddress", "CountryID").upper()
        eori = ""
        if identifier is not None and identifier.get("schemeID", "").upper() == "EORI" and identifier.text:
            eori = identifier.text.strip()
        return self.found_operator(party, name, country, eori, box)

    def found_operator(self, where: etree._Element, name: str, country: str, eori: str, box: str) -> int | None:
        """The one operator with that EORI number, else with that name (any case) and country; None, with the
        problem at `where` and `box`, when there is none or more than one."""
        found: list[Operator] = []
        if eori:
            found = list(
                Operator.objects.filter(identifiers__type=IdentifierType.EORI, identifiers__value=eori).distinct()[:2]
            )
        if not found:
            found = list(Operator.objects.filter(name__iexact=name, country=country)[:2])
        if len(found) != 1:
            message = (
                _("No operator %(name)s (%(country)s) is known here.")
                if not found
                else _("Several operators are named %(name)s (%(country)s): give the EORI number.")
            )
            self.problem(where, message % {"name": name or "?", "country": country or "?"}, box)
            return None
        return found[0].pk

    def point_of_entry(self, place: etree._Element | None) -> int | None:
        if place is None:
            return None
        code = _text(place, "ID")
        found = PointOfEntry.objects.filter(code=code).first()
        if found is None:
            message = _("No point of entry %(code)s is known here.") % {"code": code or "?"}
            self.problem(place, message, self.box("point_of_entry"))
            return None
        return found.pk

    def authority(self, location: etree._Element | None) -> int | None:
        if location is None:
            return None
        name, country = _text(location, "Name"), _text(location, "CountryID").upper()
        found = list(Authority.objects.filter(Q(name__iexact=name), country=country)[:2])
        if len(found) != 1:
            message = _("No single authority %(name)s (%(country)s) is known here.")
            self.problem(
                location, message % {"name": name or "?", "country": country or "?"}, self.box("validating_authority")
            )
            return None
        return found[0].pk

    def transport(self, movement: etree._Element | None) -> BoxData:
        if movement is None:
            return {}
        code = _text(movement, "ModeCode")
        if code and code not in MODES:
            self.problem(
                movement.find(ram("ModeCode")), _("Unknown mode of transport %(code)s.") % {"code": code}, "17"
            )
            code = ""
        return {
            "transport_mode": str(MODES[code]) if code else "",
            "transport_identification": _text(movement, "UsedSPSTransportMeans", "Name"),
        }

    def measure(self, element: etree._Element, box: str) -> tuple[Decimal | None, str]:
        unit = UNITS.get(element.get("unitCode", ""))
        if unit is None:
            self.problem(element, _("The unit must be KGM or TNE."), box)
        value = read_quantity(element.text or "")  # one reading of a quantity: "1e3", "+5", "1_000", "NaN" refused
        if value is None:
            self.problem(element, _("%(raw)s is not a weight.") % {"raw": element.text}, box)
        return value, str(unit or "kg")

    def commodity(self, item: etree._Element, origins: list[str]) -> dict[str, Any] | None:
        trades = item.findall(ram("IncludedSPSTradeLineItem"))
        codes = {normalise_cn(_cn_classification(t)) for t in trades}
        if len(codes) != 1:
            self.problem(item, _("Each consignment item holds the lines of one CN code."), "13")
            self.refused = True
            return None
        code = codes.pop()
        cn = CnCode.objects.filter(code=code).first()
        if cn is None or not cn.selectable or not cn.in_force:
            where = trades[0].find(f"{ram('ApplicableSPSClassification')}/{ram('ClassCode')}")
            self.problem(where if where is not None else item, _("%(code)s is not a CN code that may be chosen.")
                         % {"code": code or "?"}, "13")  # fmt: skip
            self.refused = True  # the line is not dropped: the whole document is refused
            return None
        return {"cn_code": code, "lines": [self.line(t, origins) for t in trades]}

    def line(self, trade: etree._Element, origins: list[str]) -> dict[str, Any]:
        origins.extend(_text(o, "ID").upper() for o in trade.findall(ram("OriginSPSCountry")))
        line: dict[str, Any] = {row.name: _text(trade, row.sps_element) for row in LINE_ELEMENTS if not row.unit}
        line["packaging_type"] = _text(trade, "PhysicalSPSPackage", "TypeCode")
        line["producer"] = self.operator(trade.find(ram("ProducerSPSParty")), "13")
        quantity = _text(trade, "PhysicalSPSPackage", "ItemQuantity")
        if quantity:
            if quantity.isdigit():
                line["packages"] = int(quantity)
            else:
                where = trade.find(f"{ram('PhysicalSPSPackage')}/{ram('ItemQuantity')}")
                self.problem(where, _("%(raw)s is not a number of packages.") % {"raw": quantity}, "13")
        for row in LINE_ELEMENTS:
            measure = trade.find(ram(row.sps_element)) if row.unit else None
            if measure is not None:  # a weight and its unit
                line[row.name], line[row.unit] = self.measure(measure, "13")
        if self.coi_form.line_fields:  # box 13 of 2021/2306: organic status and category per line
            line.update(self.line_classifications(trade))
        return line

    def line_classifications(self, trade: etree._Element) -> dict[str, str]:
        """Box 13 of 2021/2306, per line: organic or in-conversion, and the category (sps.LINE_CLASSIFICATIONS);
        a value outside the choices refuses the document, at its element and box 13."""
        found: dict[str, str] = {}
        for classification in trade.findall(ram("ApplicableSPSClassification")):
            system = _text(classification, "SystemID")
            if system not in LINE_CLASSIFICATIONS:
                continue
            field, choices, _name = LINE_CLASSIFICATIONS[system]
            code = _text(classification, "ClassCode")
            if code not in choices.values:
                where = classification.find(ram("ClassCode"))
                self.problem(where if where is not None else classification, _refusal(field, code), "13")
                self.refused = True
                continue
            found[field] = code
        return found


def _refusal(field: str, code: str) -> str:
    """Why a line's classification's code is refused: organic or in-conversion, a category of Annex II to 2021/1378
    said as such; any other choice of the line table carried so (`Row.sps_system`), named by its label."""
    if field == "organic_status":
        return _("%(value)s is neither organic nor in-conversion (box 13): give organic or in_conversion.") % {
            "value": code
        }
    if field == "category":
        return _("%(value)s is not a category of Annex II to Regulation (EU) 2021/1378 (box 13).") % {"value": code}
    return _("%(label)s: %(value)s is not among the choices.") % {
        "label": capfirst(LINE_ROWS[field].label),
        "value": code,
    }


def _cn_classification(trade: etree._Element) -> str:
    """The CN code of a line: its classification of the system CN (or without a system, as older files)."""
    classifications = trade.findall(ram("ApplicableSPSClassification"))
    for classification in classifications:
        if _text(classification, "SystemID") == CN_SYSTEM:
            return _text(classification, "ClassCode")
    for classification in classifications:
        if _text(classification, "SystemID") not in LINE_CLASSIFICATIONS:
            return _text(classification, "ClassCode")
    return ""


def import_draft(xml: bytes, person: Person, membership: Membership | None) -> tuple[Certificate | None, list[Problem]]:
    """A new draft from an SPS certificate, with every problem at its element; None when none could be made."""
    reader = SpsReader()
    data = reader.read(xml)
    if data is None or reader.refused:
        return None, reader.problems
    form = data.pop("form", None)
    if form is not None and form not in FormCode.values:
        reader.problem(f"{ROOT}/rsm:SPSExchangedDocument", _("Unknown form of the COI: %(form)s.") % {"form": form})
        return None, reader.problems
    try:
        coi, box_problems = create_draft(person, membership, data, form=form)
    except BoxErrors as error:
        return None, reader.problems + _at_boxes(error.problems, reader.coi_form)
    return coi, reader.problems + _at_boxes(box_problems, form_of(coi))


def box_path(box: str, coi_form: CoiForm) -> str:
    """The element of the document a box of that form is read from (`FIELD_PATHS`); the consignment when the box
    holds nothing read from the document."""
    found = coi_form.by_key.get(box)
    names = (*found.also_holds, *found.fields) if found is not None else ()
    return next((FIELD_PATHS[name] for name in names if name in FIELD_PATHS), CONSIGNMENT)


def _at_boxes(problems: rules.Problems, coi_form: CoiForm) -> list[Problem]:
    return [
        Problem(box_path(box, coi_form), message, box) for box, messages in problems.items() for message in messages
    ]
