"""UN/CEFACT SPS certificate XML: export, structure, import with problems at their elements, round trip.

What a round trip cannot carry, because a new draft cannot: the document's ID (the COI number, or
`DRAFT-<id>`), its StatusCode, its IssueDateTime and the signatures (SignatorySPSAuthentication). The test
removes exactly these before comparing.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from certificates.models import Certificate
from certificates.outputs import sps
from certificates.outputs.sps_structure import problems as structure_problems
from certificates.statuses import COIStatus
from directory.models import IdentifierType, OperatorIdentifier

API = "/api/v1/certificates"
NOT_CARRIED = ("ID", "StatusCode", "IssueDateTime", "SignatorySPSAuthentication")


def comparable(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    document = root.find(sps.rsm("SPSExchangedDocument"))
    for name in NOT_CARRIED:
        for element in document.findall(sps.ram(name)):
            document.remove(element)
    return etree.tostring(root, method="c14n")


def post_xml(client: Any, xml: bytes) -> Any:
    return client.post(f"{API}/import", data=xml, content_type="application/xml")


def test_it_exports_a_coi_as_an_sps_certificate(world: Any, client: Any) -> None:
    coi = world.submitted()
    client.force_login(world.importer)
    response = client.get(f"{API}/{coi.pk}/sps.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    ns = {"rsm": sps.RSM, "ram": sps.RAM, "udt": sps.UDT}
    assert root.xpath("/rsm:SPSCertificate/rsm:SPSExchangedDocument/ram:ID/text()", namespaces=ns) == [coi.number]
    consignment = root.find(sps.rsm("SPSConsignment"))
    assert consignment.xpath("ram:ConsignorSPSParty/ram:Name/text()", namespaces=ns) == ["Atlas Organic"]
    assert consignment.xpath("ram:ConsigneeSPSParty/ram:Name/text()", namespaces=ns) == ["ACME Bio Imports FR"]
    assert consignment.xpath("ram:UtilizedSPSTransportEquipment/ram:AffixedSPSSeal/ram:ID/text()", namespaces=ns) == [
        "SEAL-001"
    ]
    lines = consignment.xpath("ram:IncludedSPSConsignmentItem/ram:IncludedSPSTradeLineItem", namespaces=ns)
    assert [line.findtext(sps.ram("ProductionBatchID")) for line in lines] == ["LOT-A", "LOT-B"]
    assert lines[1].find(sps.ram("NetWeightMeasure")).get("unitCode") == "TNE"
    assert lines[0].xpath("ram:ApplicableSPSClassification/ram:ClassCode/text()", namespaces=ns) == ["08013200"]


def test_its_output_holds_the_element_structure(world: Any) -> None:
    OperatorIdentifier.objects.create(operator=world.acme, type=IdentifierType.EORI, value="FR123456789000")
    coi = world.submitted(rfl=world.transit.pk)
    Certificate.objects.filter(pk=coi.pk).update(status=COIStatus.ISSUING_BODY_SIGNED)
    assert structure_problems(sps.build(coi.pk)) == []
    assert structure_problems(sps.build(world.draft().pk)) == []


def test_the_structure_check_finds_a_missing_or_misplaced_element(world: Any) -> None:
    root = etree.fromstring(sps.build(world.submitted().pk))
    consignment = root.find(sps.rsm("SPSConsignment"))
    consignment.remove(consignment.find(sps.ram("ConsignorSPSParty")))
    consignment.insert(0, consignment.find(sps.ram("GrossWeightMeasure")))
    found = structure_problems(etree.tostring(root))
    assert any("ConsignorSPSParty: missing" in p for p in found)
    assert any("out of order" in p for p in found)


def test_a_round_trip_gives_the_same_document(world: Any, client: Any) -> None:
    OperatorIdentifier.objects.create(operator=world.atlas, type=IdentifierType.EORI, value="MA000111222")
    coi = world.submitted(national_reference="REF-42", rfl=world.transit.pk)
    first = sps.build(coi.pk)
    client.force_login(world.importer)
    response = post_xml(client, first)
    assert response.status_code == 201, response.json()
    assert response.json()["problems"] == []
    draft = Certificate.objects.get(pk=response.json()["id"])
    assert draft.status == COIStatus.DRAFT and draft.number is None
    assert comparable(sps.build(draft.pk)) == comparable(first)


def test_an_import_reports_each_problem_at_its_element(world: Any, client: Any) -> None:
    xml = sps.build(world.submitted().pk)
    xml = xml.replace(b'unitCode="TNE">6.8<', b'unitCode="TNE">six<').replace(b"ACME Bio Foods FR", b"Nobody Ltd")
    client.force_login(world.importer)
    response = post_xml(client, xml)
    assert response.status_code == 201
    paths = {p["path"]: p for p in response.json()["problems"]}
    weight = (
        "/rsm:SPSCertificate/rsm:SPSConsignment/ram:IncludedSPSConsignmentItem"
        "/ram:IncludedSPSTradeLineItem[2]/ram:NetWeightMeasure"
    )
    assert weight in paths and paths[weight]["box"] == "13"
    assert "/rsm:SPSCertificate/rsm:SPSConsignment/ram:DeliverySPSParty" in paths


def test_an_import_without_an_exporter_creates_nothing(world: Any, client: Any) -> None:
    root = etree.fromstring(sps.build(world.submitted().pk))
    consignment = root.find(sps.rsm("SPSConsignment"))
    consignment.remove(consignment.find(sps.ram("ConsignorSPSParty")))
    client.force_login(world.importer)
    before = Certificate.objects.count()
    response = post_xml(client, etree.tostring(root))
    assert response.status_code == 422
    assert any(p["box"] == "4" for p in response.json()["problems"])
    assert Certificate.objects.count() == before


def test_an_import_refuses_what_is_not_an_sps_certificate(world: Any, client: Any) -> None:
    client.force_login(world.importer)
    assert post_xml(client, b"<not-xml").status_code == 422
    response = post_xml(
        client, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    )
    assert response.status_code == 422
    assert "root:" not in str(response.json())


def test_the_sps_xml_is_for_the_cois_parties_only(world: Any, client: Any) -> None:
    coi = world.submitted()
    client.force_login(world.outsider_importer)
    assert client.get(f"{API}/{coi.pk}/sps.xml").status_code == 404
