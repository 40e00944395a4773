"""A weight typed on a page is read as a person writes a number (issue 24, fault 6): "1e3", "1_000", "+5",
"NaN", ".5" are refused at the field, in the reader's language, with what was typed kept and nothing saved, on
the Art. 8 page (manual quantity management), the COI's edit page (box 13's net weights, the gross weight) and the
extract's page; in both APIs' decimal fields and counts (/api/v1 lines and extracts, the customs exchange's
declarations, amendments and manual records: 422 at the field in the caller's language) and an SPS XML import;
"9 071,8" and "3000.5" are still read. One reading: `core.typography.read_quantity`."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import ApiToken
from certificates.models import Certificate
from certificates.outputs import sps
from certificates.statuses import COIStatus
from certificates.tests.test_pages import form_post
from certificates.tests.test_workflow_pages import _draft_extract
from certificates.tests.union_part import as_shown
from customs.models import Movement

from .conftest import EORI, Exchange, mrn
from .test_manual_records_contingency import set_language
from .test_write_offs import CASHEW

ODD = ["1e3", "1E3", "1_000", "+5", ".5", "5.", "1.000.5", "Infinity", "٣"]


@pytest.mark.parametrize("typed", ODD)
def test_it_refuses_an_odd_number_on_each_page_where_a_weight_is_typed(client, released, flow, typed):
    page = Client()
    page.force_login(flow.w.inao_agent)
    url = f"/customs/coi/{released.pk}/"
    line = released.commodities.first().lines.first().pk
    for language, message in (("fr", "Indiquez un poids net en kg"), ("en", "Give a net weight in kg")):
        set_language(flow.w.inao_agent, language)
        r = page.post(url, {"line": line, "direction": "write_off", "net_weight": typed, "reason": "Recount"})
        shown = html.unescape(r.content.decode())
        assert r.status_code == 422 and message in shown
        assert f'value="{typed}"' in shown and "Recount" in shown  # kept as typed
    assert not Movement.objects.exists()

    base, _line, r = _draft_extract(client, flow, str(flow.w.foods.pk), "1", typed)
    shown = html.unescape(r.content.decode())
    assert r.status_code == 422 and f"{typed} is not a number." in shown and f'value="{typed}"' in shown
    assert not base.extracts.exists()


@pytest.mark.usefixtures("guides_form")  # form_post fills the guides' form (box 12 among its boxes)
@pytest.mark.parametrize("typed", ODD)
def test_it_refuses_an_odd_weight_at_its_box_on_the_edit_page(client, world, typed):
    client.force_login(world.importer)
    for language, message in (
        ("en", f"line 1: {typed} is not a weight."),
        ("fr", f"ligne 1 : {typed} n’est pas un poids."),
    ):
        set_language(world.importer, language)
        r = client.post("/certificates/new/form/", form_post(world, **{"c-0-l-0-net_weight": typed}, action="save"))
        shown = html.unescape(r.content.decode())
        box_13 = shown[shown.index('id="box-13"') :]
        assert r.status_code == 422 and message in box_13[: box_13.index("<fieldset")]  # at box 13, above its lines
        assert f'name="c-0-l-0-net_weight" value="{typed}"' in shown and 'value="LOT-B"' in shown  # kept as typed
    r = client.post("/certificates/new/form/", form_post(world, gross_weight=typed, action="save"))
    shown = html.unescape(r.content.decode())
    assert r.status_code == 422 and f"{typed} n’est pas un poids" in shown and f'value="{typed}"' in shown
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("field", "typed", "box"),
    [("gross_weight", "1.65e4", "16"), ("c-0-l-0-net_weight", "9e3", "13"), ("c-0-l-0-packages", "4e2", "13")],
)
def test_it_refuses_an_odd_number_on_a_saved_draft_s_edit_page_even_when_it_means_what_is_stored(
    world, field, typed, box
):
    """The edit page of a saved draft: "1.65e4" for a stored gross weight of 16,500 kg (Python reads them alike, the
    page does not) is refused at its box, kept as typed, and nothing stored changes."""
    coi = world.draft()
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(world.importer)
    form = {**as_shown(page, coi), field: typed, "action": "save"}
    r = page.post(f"/certificates/{coi.pk}/edit/", form)
    shown = html.unescape(r.content.decode())
    at_box = shown[shown.index(f'id="box-{box}"') :]
    assert r.status_code == 422 and f"{typed} is not" in at_box[: at_box.index("</section>")], shown[:300]
    assert f'name="{field}" value="{typed}"' in shown
    stored = Certificate.objects.get(pk=coi.pk)
    lines = [(line.lot_number, line.packages, line.net_weight) for line in stored.commodities.get().lines.all()]
    assert stored.gross_weight == Decimal("16500") and lines == [
        ("LOT-A", 400, Decimal("9000")),
        ("LOT-B", 300, Decimal("6.8")),
    ]


def test_it_still_reads_a_weight_grouped_as_the_page_shows_it(released, flow):
    page = Client()
    page.force_login(flow.w.inao_agent)
    line = released.commodities.first().lines.first().pk
    for typed in ("1\u202f000,5", "1 000.5", "2"):
        r = page.post(f"/customs/coi/{released.pk}/",
                      {"line": line, "direction": "write_off", "net_weight": typed, "reason": "Recount"})  # fmt: skip
        assert r.status_code == 302, typed
    assert sorted(str(m.net_weight) for m in Movement.objects.all()) == ["1000.500", "1000.500", "2.000"]


def _refusals(r):
    assert r.status_code == 422, r.content
    return {str(e["loc"][-1]): e["msg"] for e in r.json()["errors"]}


@pytest.mark.usefixtures("guides_form")
def test_it_refuses_an_odd_weight_in_the_main_api_at_its_field_in_the_caller_s_language(client, world):
    """/api/v1: a line's net weight "1e3" (a text; the JSON number 1e3 is a number) is refused 422 at the field,
    in the token's person's language (their account's, whatever the site's default), nothing made; a grouped
    "9 000,5" is still read."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.importer, 'test')[1]}"}
    data = world.complete_data()
    for language, message in (("en", "Give a number."), ("fr", "Indiquez un nombre.")):
        set_language(world.importer, language)
        for typed in ("1e3", "+5", "1_000", "NaN"):
            data["commodities"][0]["lines"][0]["net_weight"] = typed
            body = {k: data[k] for k in ("commodities", "exporter")}
            r = client.post("/api/v1/certificates", body, content_type="application/json", **headers)
            assert _refusals(r) == {"net_weight": message}, (language, typed)
    assert not Certificate.objects.exists()
    data["commodities"][0]["lines"][0]["net_weight"] = "9 000,5"
    r = client.post("/api/v1/certificates", {k: data[k] for k in ("commodities", "exporter")},
                    content_type="application/json", **headers)  # fmt: skip
    assert r.status_code == 201, r.content
    assert Certificate.objects.get().commodities.get().lines.first().net_weight == Decimal("9000.5")


def test_it_refuses_an_odd_extract_weight_in_the_main_api_in_french(client, flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    line = base.commodities.first().lines.first()
    set_language(flow.w.importer, "fr")
    client.force_login(flow.w.importer)
    for typed in ("1e3", "+5", "1_000", "NaN"):
        body = {"consignee": flow.w.foods.pk, "quantities": [{"line": line.pk, "packages": 1, "net_weight": typed}]}
        r = client.post(f"/api/v1/certificates/{base.pk}/extract", body, content_type="application/json")
        assert _refusals(r) == {"net_weight": "Indiquez un nombre."}, typed
    for typed in ("1_000", "+5", "1e3"):  # a count of packages too, which pydantic's integers would read
        body = {"consignee": flow.w.foods.pk, "quantities": [{"line": line.pk, "packages": typed, "net_weight": "1"}]}
        r = client.post(f"/api/v1/certificates/{base.pk}/extract", body, content_type="application/json")
        assert _refusals(r) == {"packages": "Indiquez un nombre entier."}, typed
    assert not base.extracts.exists()


@pytest.mark.usefixtures("guides_form")
def test_it_refuses_an_odd_weight_in_an_sps_import(client, world):
    """An SPS XML import keeps its draft with the problem at box 13 (as for any box it cannot read); the weight
    "1e3" is not read as 1000 kg."""
    xml = sps.build(world.submitted().pk)
    client.force_login(world.importer)
    for typed in ("1e3", "+5", "1_000", "NaN"):
        odd = re.sub(rb"(NetWeightMeasure[^>]*>)[^<]*<", rb"\g<1>" + typed.encode() + b"<", xml, count=1)
        r = client.post("/api/v1/certificates/import", data=odd, content_type="application/xml")
        assert [(p["box"], p["message"]) for p in r.json()["problems"]] == [("13", f"{typed} is not a weight.")]
        line = Certificate.objects.get(pk=r.json()["id"]).commodities.get().lines.get(lot_number="LOT-A")
        assert line.net_weight is None, typed


def test_it_refuses_an_odd_weight_in_the_customs_api(token, released):
    """The customs exchange: a declaration item's "+5", a manual write-off's "1e3", an amendment's "1_000" are
    refused 422 at the field (French for a French caller); nothing written off."""
    for language, message in (("en", "Give a number."), ("fr", "Indiquez un nombre.")):
        ex = Exchange(token, language)
        for typed in ("+5", "1e3", "1_000", "NaN"):
            assert _refusals(ex.declare(mrn(1), (released.number, CASHEW, typed))) == {"net_weight": message}
    ex = Exchange(token)
    line = released.commodities.first().lines.first().pk
    manual = {"line": line, "direction": "write_off", "net_weight": "1e3", "reason": "Recount"}
    assert _refusals(ex.post(f"/documents/{released.number}/manual", manual)).get("net_weight") == "Give a number."
    assert ex.declare(mrn(2), (released.number, CASHEW, "10")).status_code == 201
    item = {"item_number": 1, "document": released.number, "cn_code": CASHEW, "net_weight": "1_000"}
    r = ex.post(f"/declarations/{mrn(2)}/amendment", {"importer_eori": EORI, "items": [item]})
    assert _refusals(r) == {"net_weight": "Give a number."}
    assert [str(m.net_weight) for m in Movement.objects.all()] == ["10.000"]
