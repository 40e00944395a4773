"""The COI as a UN/CEFACT SPS certificate (SPSCertificate:17, with the ram: and udt: sub-namespaces).

How the boxes map (paths relative to rsm:SPSCertificate; rsm:SPSExchangedDocument is "doc",
rsm:SPSConsignment is "consignment"):

- box 3: doc/ram:ID (`DRAFT-<id>` before submission); the national reference is doc/ram:IncludedSPSNote
  with the subject NATIONAL_REFERENCE.
- status: doc/ram:StatusCode, OpenCOI's status code (listAgencyID="OpenCOI"); doc/ram:TypeCode is "COI".
- box 1: doc/ram:IssuerSPSParty, its ram:ID the control body code. Box 2: note PROCEDURE (on the guides'
  form informative: it is derived, never read back; on 2021/2306 read back, the issuing body's tick).
- boxes 18, 20, 21: doc/ram:SignatorySPSAuthentication, ram:TypeCode the box number.
- box 4: consignment/ram:ConsignorSPSParty; box 11: ram:ConsigneeSPSParty; box 12: ram:DeliverySPSParty
  (or the note RELEASE_IN_BATCHES); RFL: ram:CustomsTransitAgentSPSParty.
- box 8: consignment/ram:ExportSPSCountry; box 9: ram:ImportSPSCountry, the authority in
  ram:ExaminationSPSEvent/ram:OccurrenceSPSLocation and the point of entry in ram:UnloadingBaseportSPSLocation;
  box 10 is derived from box 12 (the country of ram:DeliverySPSParty's address).
- box 17: consignment/ram:MainCarriageSPSTransportMovement (ram:ModeCode: UN/ECE Recommendation 19).
- boxes 14, 15: consignment/ram:UtilizedSPSTransportEquipment, ram:ID and ram:AffixedSPSSeal.
- box 16: consignment/ram:GrossWeightMeasure (unitCode KGM or TNE, UN/ECE Recommendation 20).
- box 13: one ram:IncludedSPSConsignmentItem per CN code, one ram:IncludedSPSTradeLineItem per line with
  ram:Description (trade name), ram:ProductionBatchID (lot), ram:NetWeightMeasure,
  ram:ApplicableSPSClassification (SystemID CN), ram:PhysicalSPSPackage (UN/ECE Recommendation 21 type and
  quantity), ram:OriginSPSCountry (box 7: every country of the COI, which does not say which lot comes from
  where) and ram:ProducerSPSParty (boxes 5 and 6; its control body follows from the producer).
  The elements of the trade name, the lot and the net weight are their line rows' (`Row.sps_element`).
  On the 2021/2306 form box 13 also says per line "organic" or "in-conversion", and its category (Annex II to
  2021/1378): each as one more ram:ApplicableSPSClassification of the line, after the CN one, with the SystemID
  ORGANIC_STATUS (ClassCode "organic" / "in_conversion") or ORGANIC_CATEGORY (ClassCode "a" to "g"), as their
  line rows say (`Row.sps_system`: a choice added to the line table with one is carried so, and read back). The
  classification is the SPS element for a class of the product and may repeat (the ePhyto guide uses several
  systems on one line); its element name keeps the order of the schema. Reading: placed here because the RABIE
  schema that would say more is missing (../shared/reference/sps/SOURCE.md).

Box 6 of 2021/2306 (traders who neither store nor handle the products) has no SPS party: the consignment's
parties each occur once. Each trader is one doc/ram:IncludedSPSNote with the subject `COI_2021_2306:traders` and
the content "name (country)", followed by " EORI number" when it has one (`trader_note`, read back by
`parse_trader_note`). Reading: placed here because the RABIE schema that would say more is missing.

Operators are identified by their EORI number (ram:ID schemeID="EORI") when they have one, otherwise by name
and country: ids of one deployment mean nothing to another.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils import translation
from lxml import etree

from certificates.boxes import as_data
from certificates.coi_forms import FORMS, form_of
from certificates.fields import COI_FIELDS, LINE_FIELDS, Row
from certificates.models import Certificate
from certificates.outputs.signed_boxes import signatures_of
from certificates.queries import detail_queryset
from core.text import printable
from directory.models import IdentifierType, Operator
from reference.lists import TransportMode, WeightUnit

RSM = "urn:un:unece:uncefact:data:standard:SPSCertificate:17"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT}
DOCUMENT_NAME = "Certificate of inspection for the import of organic products into the European Union"
TYPE_CODE = "COI"
CN_SYSTEM = "CN"
# Box 13, per line: the fields with an element of their own (`Row.sps_element`: trade name, lot, net weight), in the
# table's order, which is the schema's; on 2021/2306 the classifications (`Row.sps_system`): SystemID -> (the line's
# field, its choices' labels, the system's name).
LINE_ELEMENTS: tuple[Row, ...] = tuple(row for row in LINE_FIELDS if row.sps_element)
LINE_CLASSIFICATIONS: dict[str, tuple[str, Any, str]] = {
    row.sps_system[0]: (row.name, row.choices, row.sps_system[1]) for row in LINE_FIELDS if row.sps_system
}
# UN/ECE Recommendation 19 (modes of transport) and 20 (units of measure).
MODE_CODES: dict[str, str] = {
    TransportMode.VESSEL: "1",
    TransportMode.RAILWAY: "2",
    TransportMode.ROAD: "3",
    TransportMode.AIRPLANE: "4",
    TransportMode.OTHER: "0",
}
UNIT_CODES: dict[str, str] = {WeightUnit.KG: "KGM", WeightUnit.TONNE: "TNE"}
NOTE_NATIONAL_REFERENCE = "NATIONAL_REFERENCE"
NOTE_PROCEDURE = "PROCEDURE"
NOTE_BATCHES = "RELEASE_IN_BATCHES"
NOTE_FORM = "COI_FORM"  # "1235/2008" or "2021/2306" (certificates/coi_forms/)
# The subjects' prefixes of the notes of each form that has some (`CoiForm.sps_note_prefix`: "COI_2021_2306:").
NOTE_PREFIXES = tuple(f.sps_note_prefix for f in FORMS.values() if f.sps_note_prefix)
# The 2021/2306 fields carried as notes: those the field table marks (`Row.sps_note`; portable: no database ids).
NOTE_FIELDS = tuple(row.name for row in COI_FIELDS if row.sps_note)
PARTIES = ("exporter", "importer", "first_consignee", "rfl")
TRADERS = "traders"  # box 6 of 2021/2306: one note per trader (`trader_note`)
TRADER_NOTE = re.compile(r"^(?P<name>.+) \((?P<country>[A-Za-z]{2})\)(?: EORI (?P<eori>\S+))?$")


def ram(name: str) -> str:
    return f"{{{RAM}}}{name}"


def rsm(name: str) -> str:
    return f"{{{RSM}}}{name}"


def _sub(parent: etree._Element, name: str, text: Any = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, ram(name), attrs)
    if text is not None:
        element.text = printable(str(text))  # a character stored before core.text's rule cannot break XML
    return element


def _datetime(parent: etree._Element, name: str, moment: Any) -> None:
    holder = _sub(parent, name)
    etree.SubElement(holder, f"{{{UDT}}}DateTimeString").text = moment.isoformat(timespec="seconds")


def _decimal(value: Decimal) -> str:
    return f"{value.normalize():f}"


def build(coi_id: int) -> bytes:
    """The SPS XML document of a COI, UTF-8 with its declaration."""
    coi = (
        detail_queryset()
        .prefetch_related(
            *(f"{party}__identifiers" for party in (*PARTIES, TRADERS)), "commodities__lines__producer__identifiers"
        )
        .get(pk=coi_id)
    )
    root = etree.Element(rsm("SPSCertificate"), nsmap=NSMAP)
    _exchanged_document(etree.SubElement(root, rsm("SPSExchangedDocument")), coi)
    _consignment(etree.SubElement(root, rsm("SPSConsignment")), coi)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


def _exchanged_document(doc: etree._Element, coi: Certificate) -> None:
    _sub(doc, "Name", DOCUMENT_NAME)
    _sub(doc, "ID", coi.number or f"DRAFT-{coi.pk}")
    _sub(doc, "TypeCode", TYPE_CODE, listAgencyID="OpenCOI")
    _sub(doc, "StatusCode", coi.status, listAgencyID="OpenCOI")
    _datetime(doc, "IssueDateTime", coi.submitted_at or coi.created_at)
    if coi.control_body_code:
        issuer = _sub(doc, "IssuerSPSParty")
        _sub(issuer, "ID", coi.control_body_code.code)
        _sub(issuer, "Name", coi.control_body_code.control_body.name)
        _sub(_sub(issuer, "SpecifiedSPSAddress"), "CountryID", coi.control_body_code.control_body.country)
    for subject, content in (
        (NOTE_NATIONAL_REFERENCE, coi.national_reference),
        (NOTE_PROCEDURE, coi.procedure),
        (NOTE_BATCHES, "true" if coi.release_in_batches else ""),
        (NOTE_FORM, coi.form),
        *_form_notes(coi),
    ):
        if content:
            note = _sub(doc, "IncludedSPSNote")
            _sub(note, "Subject", subject)
            _sub(note, "Content", content)
    for box, signature in sorted(signatures_of(coi).items()):
        auth = _sub(doc, "SignatorySPSAuthentication")
        _sub(auth, "TypeCode", box)
        if signature.signed_at:
            _datetime(auth, "ActualDateTime", signature.signed_at)
        if signature.place:
            _sub(_sub(auth, "IssueSPSLocation"), "Name", signature.place)
        provider = _sub(auth, "ProviderSPSParty")
        _sub(provider, "Name", signature.organisation)
        _sub(_sub(provider, "SpecifiedSPSPerson"), "Name", signature.person)
        if signature.text or signature.decision:
            clause = _sub(auth, "IncludedSPSClause")
            _sub(clause, "ID", "1")
            _sub(clause, "Content", signature.decision or signature.text)


def _form_notes(coi: Certificate) -> list[tuple[str, str]]:
    """The fields SPS has no element for (`Row.sps_note`), as (subject, content) notes with the prefix of the COI's
    form (`CoiForm.sps_note_prefix`: the boxes of 2021/2306); none on a form without one."""
    coi_form = form_of(coi)
    prefix = coi_form.sps_note_prefix
    if not prefix:
        return []
    data = as_data(coi)
    notes: list[tuple[str, str]] = []
    if TRADERS in coi_form.box_of_field:
        notes.extend((prefix + TRADERS, trader_note(trader)) for trader in coi.traders.all())
    for name in NOTE_FIELDS:
        value = data.get(name)
        if value in (None, "", False):
            continue
        isoformat = getattr(value, "isoformat", None)
        text = isoformat() if isoformat is not None else ("true" if value is True else str(value))
        notes.append((prefix + name, text))
    return notes


def _eori(operator: Operator) -> str | None:
    return next((i.value for i in operator.identifiers.all() if i.type == IdentifierType.EORI), None)


def trader_note(operator: Operator) -> str:
    """A trader of box 6 as its note's content: "name (country)", then " EORI number" when it has one."""
    eori = _eori(operator)
    return f"{operator.name} ({operator.country})" + (f" EORI {eori}" if eori else "")


def parse_trader_note(content: str) -> tuple[str, str, str] | None:
    """(name, country, EORI or "") of a trader note (`trader_note`); None when the content is not of that shape."""
    found = TRADER_NOTE.match(content.strip())
    if found is None:
        return None
    return found["name"].strip(), found["country"].upper(), found["eori"] or ""


def _party(parent: etree._Element, name: str, operator: Operator | None) -> None:
    if operator is None:
        return
    party = _sub(parent, name)
    eori = _eori(operator)
    if eori:
        _sub(party, "ID", eori, schemeID="EORI")
    _sub(party, "Name", operator.name)
    address = _sub(party, "SpecifiedSPSAddress")
    if operator.postcode:
        _sub(address, "PostcodeCode", operator.postcode)
    if operator.address:
        _sub(address, "LineOne", operator.address)
    if operator.city:
        _sub(address, "CityName", operator.city)
    _sub(address, "CountryID", operator.country)


def _consignment(consignment: etree._Element, coi: Certificate) -> None:
    _party(consignment, "ConsignorSPSParty", coi.exporter)
    _party(consignment, "ConsigneeSPSParty", coi.importer)
    _party(consignment, "DeliverySPSParty", coi.first_consignee)
    _party(consignment, "CustomsTransitAgentSPSParty", coi.rfl)
    if coi.export_country:
        _sub(_sub(consignment, "ExportSPSCountry"), "ID", coi.export_country)
    if coi.release_member_state:
        _sub(_sub(consignment, "ImportSPSCountry"), "ID", coi.release_member_state)
    if coi.point_of_entry:
        place = _sub(consignment, "UnloadingBaseportSPSLocation")
        _sub(place, "ID", coi.point_of_entry.code)
        _sub(place, "Name", coi.point_of_entry.name)
    if coi.validating_authority:
        location = _sub(_sub(consignment, "ExaminationSPSEvent"), "OccurrenceSPSLocation")
        _sub(location, "Name", coi.validating_authority.name)
        _sub(location, "CountryID", coi.validating_authority.country)
    if coi.transport_mode or coi.transport_identification:
        movement = _sub(consignment, "MainCarriageSPSTransportMovement")
        if coi.transport_mode:
            _sub(movement, "ModeCode", MODE_CODES.get(coi.transport_mode, "0"))
        if coi.transport_identification:
            _sub(_sub(movement, "UsedSPSTransportMeans"), "Name", coi.transport_identification)
    for container in coi.containers.all():
        equipment = _sub(consignment, "UtilizedSPSTransportEquipment")
        _sub(equipment, "ID", container.number)
        for seal in seal_numbers(container.seals):
            _sub(_sub(equipment, "AffixedSPSSeal"), "ID", seal)
    if coi.gross_weight is not None:
        _sub(consignment, "GrossWeightMeasure", _decimal(coi.gross_weight), unitCode=UNIT_CODES[coi.gross_weight_unit])
    _items(consignment, coi)


def seal_numbers(seals: str) -> list[str]:
    return [s for s in re.split(r"[,;\s]+", seals) if s]


def _items(consignment: etree._Element, coi: Certificate) -> None:
    sequence = 0
    for commodity in coi.commodities.all():
        item = _sub(consignment, "IncludedSPSConsignmentItem")
        for line in commodity.lines.all():
            sequence += 1
            trade = _sub(item, "IncludedSPSTradeLineItem")
            _sub(trade, "SequenceNumeric", sequence)
            for row in LINE_ELEMENTS:
                value = getattr(line, row.name)
                if value in (None, ""):
                    continue
                if row.unit:  # a weight, its unit as UN/ECE Recommendation 20 codes it
                    _sub(trade, row.sps_element, _decimal(value), unitCode=UNIT_CODES[getattr(line, row.unit)])
                else:
                    _sub(trade, row.sps_element, value)
            classification = _sub(trade, "ApplicableSPSClassification")
            _sub(classification, "SystemID", CN_SYSTEM)
            _sub(classification, "SystemName", "Combined Nomenclature")
            _sub(classification, "ClassCode", commodity.cn_code.code)
            name = commodity.cn_code.path_en or commodity.cn_code.description_en
            _sub(classification, "ClassName", name, languageID="en")
            for system, (field, choices, system_name) in LINE_CLASSIFICATIONS.items():
                value = getattr(line, field)
                if value:
                    classification = _sub(trade, "ApplicableSPSClassification")
                    _sub(classification, "SystemID", system)
                    _sub(classification, "SystemName", system_name)
                    _sub(classification, "ClassCode", value)
                    with translation.override("en"):
                        _sub(classification, "ClassName", str(choices(value).label), languageID="en")
            if line.packaging_type or line.packages is not None:
                package = _sub(trade, "PhysicalSPSPackage")
                _sub(package, "LevelCode", "1")
                if line.packaging_type:
                    _sub(package, "TypeCode", line.packaging_type)
                if line.packages is not None:
                    _sub(package, "ItemQuantity", line.packages)
            for country in coi.origins:
                _sub(_sub(trade, "OriginSPSCountry"), "ID", country)
            _party(trade, "ProducerSPSParty", line.producer)
