"""A structural check of the SPS certificates OpenCOI writes: the subset of the SPSCertificate:17 schema the
mapping in `sps.py` uses, as element names, order and cardinality. `problems(xml)` lists each element that is
missing, repeated beyond its maximum, unknown, or out of order, by its path; empty means the document holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from certificates.outputs.sps import LINE_CLASSIFICATIONS, RAM, RSM, UDT

UNBOUNDED = 10**9


@dataclass(frozen=True)
class El:
    name: str  # "rsm:X", "ram:X" or "udt:X"
    min: int = 0
    max: int = 1
    children: tuple[El, ...] = field(default=())

    @property
    def tag(self) -> str:
        prefix, local = self.name.split(":")
        return f"{{{ {'rsm': RSM, 'ram': RAM, 'udt': UDT}[prefix] }}}{local}"


def _dt(name: str, min: int = 0) -> El:
    return El(name, min, 1, (El("udt:DateTimeString", 1),))


ADDRESS = El(
    "ram:SpecifiedSPSAddress", 0, 1,
    (El("ram:PostcodeCode"), El("ram:LineOne"), El("ram:CityName"), El("ram:CountryID", 1)),
)  # fmt: skip


def _party(name: str, min: int = 0) -> El:
    return El(name, min, 1, (El("ram:ID"), El("ram:Name", 1), ADDRESS))


def _country(name: str) -> El:
    return El(name, 0, 1, (El("ram:ID", 1), El("ram:Name")))


TRADE_LINE = El(
    "ram:IncludedSPSTradeLineItem", 1, UNBOUNDED,
    (
        El("ram:SequenceNumeric", 1),
        El("ram:Description"),
        El("ram:ProductionBatchID"),
        El("ram:NetWeightMeasure"),
        # The CN code, then on 2021/2306 the line's organic status and category (sps.LINE_CLASSIFICATIONS).
        El("ram:ApplicableSPSClassification", 1, 1 + len(LINE_CLASSIFICATIONS), (
            El("ram:SystemID", 1), El("ram:SystemName"), El("ram:ClassCode", 1), El("ram:ClassName"),
        )),
        El("ram:PhysicalSPSPackage", 0, 1, (El("ram:LevelCode", 1), El("ram:TypeCode"), El("ram:ItemQuantity"))),
        El("ram:OriginSPSCountry", 0, UNBOUNDED, (El("ram:ID", 1), El("ram:Name"))),
        _party("ram:ProducerSPSParty"),
    ),
)  # fmt: skip

SPS_CERTIFICATE = El(
    "rsm:SPSCertificate", 1, 1,
    (
        El("rsm:SPSExchangedDocument", 1, 1, (
            El("ram:Name"),
            El("ram:ID", 1),
            El("ram:TypeCode", 1),
            El("ram:StatusCode", 1),
            _dt("ram:IssueDateTime", 1),
            El("ram:IssuerSPSParty", 0, 1, (El("ram:ID", 1), El("ram:Name", 1), ADDRESS)),
            El("ram:IncludedSPSNote", 0, UNBOUNDED, (El("ram:Subject", 1), El("ram:Content", 1))),
            El("ram:SignatorySPSAuthentication", 0, UNBOUNDED, (
                El("ram:TypeCode", 1),
                _dt("ram:ActualDateTime"),
                El("ram:IssueSPSLocation", 0, 1, (El("ram:Name", 1),)),
                El("ram:ProviderSPSParty", 1, 1, (
                    El("ram:Name", 1), El("ram:SpecifiedSPSPerson", 0, 1, (El("ram:Name", 1),)),
                )),
                El("ram:IncludedSPSClause", 0, UNBOUNDED, (El("ram:ID", 1), El("ram:Content", 1))),
            )),
        )),
        El("rsm:SPSConsignment", 1, 1, (
            _party("ram:ConsignorSPSParty", 1),
            _party("ram:ConsigneeSPSParty"),
            _party("ram:DeliverySPSParty"),
            _party("ram:CustomsTransitAgentSPSParty"),
            _country("ram:ExportSPSCountry"),
            _country("ram:ImportSPSCountry"),
            El("ram:UnloadingBaseportSPSLocation", 0, 1, (El("ram:ID", 1), El("ram:Name"))),
            El("ram:ExaminationSPSEvent", 0, 1, (
                El("ram:OccurrenceSPSLocation", 1, 1, (El("ram:Name", 1), El("ram:CountryID"))),
            )),
            El("ram:MainCarriageSPSTransportMovement", 0, 1, (
                El("ram:ModeCode"), El("ram:UsedSPSTransportMeans", 0, 1, (El("ram:Name", 1),)),
            )),
            El("ram:UtilizedSPSTransportEquipment", 0, UNBOUNDED, (
                El("ram:ID", 1), El("ram:AffixedSPSSeal", 0, UNBOUNDED, (El("ram:ID", 1),)),
            )),
            El("ram:GrossWeightMeasure"),
            El("ram:IncludedSPSConsignmentItem", 0, UNBOUNDED, (TRADE_LINE,)),
        )),
    ),
)  # fmt: skip

# Attributes some elements must carry.
REQUIRED_ATTRIBUTES = {
    f"{{{RAM}}}NetWeightMeasure": ("unitCode",),
    f"{{{RAM}}}GrossWeightMeasure": ("unitCode",),
}


def problems(xml: bytes) -> list[str]:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    if root.tag != SPS_CERTIFICATE.tag:
        return [f"/{root.tag}: the root must be {SPS_CERTIFICATE.name}"]
    found: list[str] = []
    _check(root, SPS_CERTIFICATE, f"/{SPS_CERTIFICATE.name}", found)
    return found


def _check(element: etree._Element, spec: El, path: str, found: list[str]) -> None:
    for attribute in REQUIRED_ATTRIBUTES.get(spec.tag, ()):
        if not element.get(attribute):
            found.append(f"{path}: the attribute {attribute} is missing")
    children = [c for c in element if isinstance(c.tag, str)]
    if not spec.children:
        if children:
            found.append(f"{path}: holds elements where a value is expected")
        elif not (element.text or "").strip():
            found.append(f"{path}: is empty")
        return
    order = {child.tag: n for n, child in enumerate(spec.children)}
    last = -1
    for child in children:
        if child.tag not in order:
            found.append(f"{path}/{etree.QName(child).localname}: not an element of {spec.name}")
        elif order[child.tag] < last:
            found.append(f"{path}/{etree.QName(child).localname}: out of order")
        else:
            last = order[child.tag]
    for child_spec in spec.children:
        matches = [c for c in children if c.tag == child_spec.tag]
        if len(matches) < child_spec.min:
            found.append(f"{path}/{child_spec.name}: missing")
        if len(matches) > child_spec.max:
            found.append(f"{path}/{child_spec.name}: at most {child_spec.max}")
        for n, match in enumerate(matches, start=1):
            _check(match, child_spec, f"{path}/{child_spec.name}" + (f"[{n}]" if len(matches) > 1 else ""), found)
