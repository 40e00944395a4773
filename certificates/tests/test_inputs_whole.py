"""Issue 12, points 2 to 4: what a person or a script gives a COI is stored whole or refused at its box,
and then nothing of the request is stored: on the page, through the API and by an SPS XML import.

- an unknown or retired CN code (point 2);
- a value longer than its column (point 3): never cut;
- a refused character (point 4, `core.text`): control characters, lone surrogates, bidirectional overrides;
  and a value stored before the rule no longer breaks the outputs of the COI's other parties.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ApiToken
from certificates.models import Certificate, CommodityLine
from certificates.outputs import sps
from certificates.tests.factories import cn_code

# Written for the guides' form (1235/2008): COIs made here through the pages or the API take it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("guides_form")]
URL = "/api/v1/certificates"
RETIRED = "08013100"


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


def _retired(world: Any) -> None:
    """A code of the shipped CN that a later nomenclature no longer has (the loader keeps it, retired)."""
    code = cn_code(RETIRED)
    code.in_force = False
    code.save()


def _with_commodity(world: Any, code: str) -> dict[str, Any]:
    data = world.complete_data()
    data["commodities"].append({"cn_code": code, "lines": [{"trade_name": "More", "lot_number": "LOT-C"}]})
    return data


def _lines(coi: Certificate) -> list[tuple[str, str, str]]:
    return [
        (line.commodity.cn_code.code, line.trade_name, line.lot_number)
        for line in CommodityLine.objects.filter(commodity__certificate=coi).select_related("commodity__cn_code")
    ]


# Point 2: CN codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["99999999", RETIRED])
def test_it_refuses_a_new_coi_naming_an_unknown_or_retired_cn_code(client: Any, world: Any, code: str) -> None:
    _retired(world)
    response = client.post(URL, _with_commodity(world, code), content_type="application/json", **auth(world.importer))
    assert response.status_code == 422
    assert any(code in message for message in response.json()["boxes"]["13"])
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("code", ["99999999", RETIRED])
def test_it_refuses_a_change_naming_an_unknown_or_retired_cn_code(client: Any, world: Any, code: str) -> None:
    _retired(world)
    coi = world.draft()
    before = _lines(coi)
    body = {**_with_commodity(world, code), "national_reference": "CHANGED"}
    response = client.patch(f"{URL}/{coi.pk}", body, content_type="application/json", **auth(world.importer))
    assert response.status_code == 422
    assert any(code in message for message in response.json()["boxes"]["13"])
    coi.refresh_from_db()
    assert coi.national_reference == "" and _lines(coi) == before


def test_it_refuses_the_edit_form_naming_an_unknown_cn_code_and_keeps_what_was_typed(client: Any, world: Any) -> None:
    coi = world.draft()
    before = _lines(coi)
    client.force_login(world.importer)
    post = {
        "exporter": world.atlas.pk, "importer": world.acme.pk, "national_reference": "TYPED-REF",
        "c-0-cn": "08013200", "c-0-l-0-trade_name": "Organic cashew W320", "c-0-l-0-lot_number": "LOT-A",
        "c-1-cn": "99999999", "c-1-l-0-trade_name": "Mystery", "c-1-l-0-lot_number": "LOT-Z",
    }  # fmt: skip
    response = client.post(f"/certificates/{coi.pk}/edit/", post)
    assert response.status_code == 422
    page = response.content.decode()
    assert "99999999 is not a CN code that may be chosen." in page
    assert "TYPED-REF" in page and "LOT-Z" in page
    coi.refresh_from_db()
    assert coi.national_reference == "" and _lines(coi) == before


def test_it_refuses_an_sps_import_naming_an_unknown_cn_code(client: Any, world: Any) -> None:
    xml = sps.build(world.submitted().pk).replace(b">08013200<", b">99999999<")
    client.force_login(world.importer)
    before = Certificate.objects.count()
    response = client.post(f"{URL}/import", data=xml, content_type="application/xml")
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any("ClassCode" in p["path"] and "99999999" in p["message"] for p in problems)
    assert Certificate.objects.count() == before


# Point 3: too long ---------------------------------------------------------------------------------------


def test_it_refuses_a_trade_name_or_lot_number_over_its_column_through_the_api(client: Any, world: Any) -> None:
    for field in ("trade_name", "lot_number"):
        data = world.complete_data()
        data["commodities"][0]["lines"][0][field] = "X" * 5000
        response = client.post(URL, data, content_type="application/json", **auth(world.importer))
        assert response.status_code == 422
        assert field in json.dumps(response.json()["errors"])
    assert not Certificate.objects.exists()


def test_it_refuses_a_trade_name_over_its_column_on_the_page_never_cut(client: Any, world: Any) -> None:
    coi = world.draft()
    before = _lines(coi)
    client.force_login(world.importer)
    post = {
        "exporter": world.atlas.pk, "c-0-cn": "08013200",
        "c-0-l-0-trade_name": "W" * 201, "c-0-l-0-lot_number": "L" * 101,
    }  # fmt: skip
    response = client.post(f"/certificates/{coi.pk}/edit/", post)
    assert response.status_code == 422
    page = response.content.decode()
    assert "At most 200 characters (201 given)." in page and "At most 100 characters (101 given)." in page
    assert "W" * 201 in page
    assert _lines(coi) == before


def test_it_refuses_an_sps_import_with_a_trade_name_over_its_column(client: Any, world: Any) -> None:
    xml = sps.build(world.submitted().pk).replace(b">Organic cashew W320<", b">" + b"N" * 5000 + b"<")
    client.force_login(world.importer)
    before = Certificate.objects.count()
    response = client.post(f"{URL}/import", data=xml, content_type="application/xml")
    assert response.status_code == 422
    assert any("At most 200 characters (5000 given)." in p["message"] for p in response.json()["problems"])
    assert Certificate.objects.count() == before


def test_it_refuses_a_document_field_over_its_column(client: Any, world: Any) -> None:
    coi = world.draft()
    client.force_login(world.importer)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/certificates/{coi.pk}/documents/", {"type": "other", "reference": "R" * 101, "file": upload}
    )
    assert response.status_code == 422 and not coi.documents.exists()
    assert "At most 100 characters (101 given)." in response.content.decode()


# Point 4: characters -------------------------------------------------------------------------------------

BAD = ["\x0b", "\x00", "\x1b[31m", "\u202e", "\u2066", "\x85"]


@pytest.mark.parametrize("bad", BAD)
def test_it_refuses_a_refused_character_through_the_api(client: Any, world: Any, bad: str) -> None:
    headers = auth(world.importer)
    data = world.complete_data()
    data["national_reference"] = f"REF{bad}1"
    response = client.post(URL, data, content_type="application/json", **headers)
    assert response.status_code == 422
    assert "national_reference" in json.dumps(response.json()["errors"])
    data = world.complete_data()
    data["commodities"][0]["lines"][0]["trade_name"] = f"Cashew{bad}"
    assert client.post(URL, data, content_type="application/json", **headers).status_code == 422
    assert not Certificate.objects.exists()


def test_it_refuses_a_lone_surrogate_through_the_api(client: Any, world: Any) -> None:
    body = json.dumps({**world.complete_data(), "national_reference": "A\ud800B"}, ensure_ascii=True)
    response = client.post(URL, body, content_type="application/json", **auth(world.importer))
    assert response.status_code == 422
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("bad", BAD)
def test_it_refuses_a_refused_character_on_the_page(client: Any, world: Any, bad: str) -> None:
    coi = world.draft(national_reference="KEPT")
    client.force_login(world.importer)
    post = {"exporter": world.atlas.pk, "national_reference": f"REF{bad}1", "transport_identification": "MSC"}
    response = client.post(f"/certificates/{coi.pk}/edit/", post)
    assert response.status_code == 422
    assert "remove it." in response.content.decode()
    coi.refresh_from_db()
    assert coi.national_reference == "KEPT"


def test_it_refuses_a_bidirectional_override_in_an_sps_import(client: Any, world: Any) -> None:
    xml = sps.build(world.submitted().pk).replace(b">LOT-A<", ">LOT\u202eA-<".encode())
    client.force_login(world.importer)
    before = Certificate.objects.count()
    response = client.post(f"{URL}/import", data=xml, content_type="application/xml")
    assert response.status_code == 422
    assert any("U+202E" in p["message"] for p in response.json()["problems"])
    assert Certificate.objects.count() == before


def test_it_keeps_line_breaks_where_a_text_area_allows_them(client: Any, world: Any) -> None:
    headers = auth(world.outsider_importer)
    body = {"authority_id": world.inao.pk, "message": "Hello,\r\nI import cashews.\tThanks."}
    response = client.post("/api/v1/memberships", body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response.json()[0]["message"] == body["message"]
    body = {"authority_id": world.inao.pk, "message": "Hello\x0bagain", "contact_phone": "+33\n1"}
    response = client.post("/api/v1/memberships", body, content_type="application/json", **headers)
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["errors"]} == {"message", "contact_phone"}


def test_outputs_of_a_value_stored_before_the_rule_answer_and_the_author_corrects_it(client: Any, world: Any) -> None:
    coi = world.submitted()
    Certificate.objects.filter(pk=coi.pk).update(national_reference="REF\x0b\u202e1")  # as stored before the rule
    CommodityLine.objects.filter(commodity__certificate=coi).update(trade_name="Cashew\x01")
    client.force_login(world.importer)
    for url in (f"{URL}/export.xlsx", f"{URL}/export.csv", f"{URL}/{coi.pk}/sps.xml", f"/certificates/{coi.pk}/pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content) if response.streaming else response.content
    assert b"REF\xef\xbf\xbd\xef\xbf\xbd1" in client.get(f"{URL}/{coi.pk}/sps.xml").content  # U+FFFD shows the place
    draft = world.draft()
    Certificate.objects.filter(pk=draft.pk).update(national_reference="REF\x0b1")
    response = client.patch(
        f"{URL}/{draft.pk}", {"national_reference": "REF-1"}, content_type="application/json", **auth(world.importer)
    )
    assert response.status_code == 200
    response = client.patch(
        f"{URL}/{draft.pk}", {"gross_weight": "17000"}, content_type="application/json", **auth(world.importer)
    )
    assert response.status_code == 200
