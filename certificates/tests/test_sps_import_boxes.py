"""The SPS import says each problem at the box of the document's own form and points at that box's element: the
two forms number their boxes differently (the exporter is box 4 of the guides' form and 5 of 2021/2306, the
importer 11 and 12, the point of entry 9 and 10), so a number alone does not say which element is meant
(certificates/inputs/sps_import.py, FIELD_PATHS; issue 23, point 3, in the XML)."""

from __future__ import annotations

from typing import Any

import pytest

from certificates.coi_forms import FormCode
from certificates.outputs import sps

pytestmark = pytest.mark.django_db
CONSIGNMENT = "/rsm:SPSCertificate/rsm:SPSConsignment"


def problems(client: Any, world: Any, form: str, replaced: bytes, by: bytes) -> list[dict[str, str]]:
    world.form = form
    xml = sps.build(world.draft().pk)
    assert replaced in xml
    client.force_login(world.importer)
    answer = client.post("/api/v1/certificates/import", data=xml.replace(replaced, by), content_type="application/xml")
    return [{k: p[k] for k in ("box", "path")} for p in answer.json()["problems"]]


@pytest.mark.parametrize(
    ("form", "replaced", "by", "box", "element"),
    [
        # Found by the rules once read: an operator without the activity its box asks.
        (FormCode.R2021_2306, b"ACME Bio Imports FR", b"Transit Havrais", "12", "ram:ConsigneeSPSParty"),
        (FormCode.R1235_2008, b"ACME Bio Imports FR", b"Transit Havrais", "11", "ram:ConsigneeSPSParty"),
        (FormCode.R2021_2306, b"Atlas Organic", b"Souss Cashew Farm", "5", "ram:ConsignorSPSParty"),
        (FormCode.R1235_2008, b"Atlas Organic", b"Souss Cashew Farm", "4", "ram:ConsignorSPSParty"),
        # Found while reading: nothing of that name or code is known here.
        (FormCode.R2021_2306, b"ACME Bio Imports FR", b"Nobody Imports", "12", "ram:ConsigneeSPSParty"),
        (FormCode.R1235_2008, b"ACME Bio Imports FR", b"Nobody Imports", "11", "ram:ConsigneeSPSParty"),
        (FormCode.R2021_2306, b"<ram:ID>FRLEH<", b"<ram:ID>FRXXX<", "10", "ram:UnloadingBaseportSPSLocation"),
        (FormCode.R1235_2008, b"<ram:ID>FRLEH<", b"<ram:ID>FRXXX<", "9", "ram:UnloadingBaseportSPSLocation"),
    ],
)
def test_it_says_each_problem_at_the_box_of_the_document_s_form_and_its_element(
    client: Any, world: Any, form: str, replaced: bytes, by: bytes, box: str, element: str
) -> None:
    assert {"box": box, "path": f"{CONSIGNMENT}/{element}"} in problems(client, world, form, replaced, by)
