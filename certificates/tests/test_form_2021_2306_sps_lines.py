"""Box 13 of the 2021/2306 form in the SPS XML: each line's "organic" / "in-conversion" flag (and its category) as
a classification of the line, exported, read back by the import, and refused at box 13 when not among the
choices (certificates/outputs/sps.py, LINE_CLASSIFICATIONS)."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from certificates.coi_forms import FormCode
from certificates.models import Certificate, CommodityLine
from certificates.outputs import sps
from certificates.outputs.sps_structure import problems as structure_problems

pytestmark = pytest.mark.django_db
API = "/api/v1/certificates"
NS = {"rsm": sps.RSM, "ram": sps.RAM}


@pytest.fixture
def coi(world: Any) -> Certificate:
    world.form = FormCode.R2021_2306
    coi = world.submitted()
    lines = CommodityLine.objects.filter(commodity__certificate=coi)
    lines.filter(lot_number="LOT-A").update(organic_status="organic", category="a")
    lines.filter(lot_number="LOT-B").update(organic_status="in_conversion", category="d")
    return coi


def flags(coi: Certificate) -> dict[str, tuple[str, str]]:
    return {
        line.lot_number: (line.organic_status, line.category)
        for line in CommodityLine.objects.filter(commodity__certificate=coi)
    }


def test_it_keeps_each_line_s_organic_flag_from_export_to_import(world: Any, client: Any, coi: Certificate):
    xml = sps.build(coi.pk)
    assert structure_problems(xml) == []
    lines = etree.fromstring(xml).xpath("//ram:IncludedSPSTradeLineItem", namespaces=NS)
    status = "ram:ApplicableSPSClassification[ram:SystemID='ORGANIC_STATUS']/ram:ClassCode/text()"
    assert [line.xpath(status, namespaces=NS) for line in lines] == [["organic"], ["in_conversion"]]
    client.force_login(world.importer)
    response = client.post(f"{API}/import", data=xml, content_type="application/xml")
    assert response.status_code == 201, response.json()
    assert response.json()["problems"] == []
    new = Certificate.objects.get(pk=response.json()["id"])
    assert new.form == "2021/2306"
    assert flags(new) == flags(coi) == {"LOT-A": ("organic", "a"), "LOT-B": ("in_conversion", "d")}
    assert new.commodities.first().cn_code.code == "08013200"  # the CN classification still read as the CN code


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "bio is neither organic nor in-conversion (box 13): give organic or in_conversion."),
        ("fr", "bio n'est ni biologique ni en conversion (case 13) : indiquez organic ou in_conversion."),
    ],
)
def test_it_refuses_a_wrong_flag_at_box_13(world: Any, client: Any, coi: Certificate, language: str, message: str):
    xml = sps.build(coi.pk).replace(b"<ram:ClassCode>in_conversion<", b"<ram:ClassCode>bio<")
    world.importer.language = language
    world.importer.save(update_fields=["language"])
    client.force_login(world.importer)
    before = Certificate.objects.count()
    response = client.post(f"{API}/import", data=xml, content_type="application/xml")
    assert response.status_code == 422
    (problem,) = [p for p in response.json()["problems"] if p["box"] == "13"]
    assert problem["message"] == message
    assert problem["path"].endswith("/ram:IncludedSPSTradeLineItem[2]/ram:ApplicableSPSClassification[2]/ram:ClassCode")
    assert Certificate.objects.count() == before


def test_it_gives_the_guides_form_no_flag(world: Any):
    guides = world.submitted()
    assert b"ORGANIC_STATUS" not in sps.build(guides.pk)
