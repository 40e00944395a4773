"""Issue 22, point 2, box by box: what box 25's documentary check covers on the 2021/2306 form (boxes 10, 13-17,
19-22) is refused after it through the API and the edit page, each at its box, and open before it; and what it
does not cover (box 24, until box 30) stays open after it, also when the edit page posts the covered boxes again
as it shows them: a box the page posts as stored is no change (box 20, given to the second, shown to the minute).
PostgreSQL too (`DATABASE_URL`)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from certificates.models import Certificate
from certificates.workflow import release
from core.models import Notice
from directory.models import ActivityKind

from .factories import ActivityFactory, OperatorFactory, PointOfEntryFactory
from .union_part import URL, as_shown, issued, page, patch_boxes, shown, sign_25, stored
from .workflow_world import api_auth, make_flow_2021_2306

pytestmark = pytest.mark.django_db
SIGNED_25 = "Box 25 is signed"
ARRIVED = "The consignment has arrived (box 25 is signed): box 10 can no longer change."
CHECKED = "The competent authority has checked this COI (box 25)"


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def another_consignee(flow):
    other = OperatorFactory(name="Bio Frais Lyon", country="FR", city="Lyon")
    ActivityFactory(operator=other, kind=ActivityKind.OPERATOR, control_body_code=flow.w.ecocert_fr)
    return other


def other_point(flow):
    return PointOfEntryFactory(code="FRMRS", name="Marseille", authority=flow.w.le_havre.authority)


# Boxes 14, 15 and 22 ---------------------------------------------------------------------------------------


def test_it_refuses_box_22_through_the_api_once_box_25_is_signed(flow):
    coi = issued(flow)
    point = other_point(flow)
    assert patch_boxes(coi, {"requested_control_point": point.pk}, flow.w.importer).status_code == 200  # open before
    sign_25(flow, coi)
    r = patch_boxes(coi, {"requested_control_point": None}, flow.w.importer)
    assert r.status_code == 422 and f"{SIGNED_25}: box 22, which it covers" in r.json()["boxes"]["22"][0]
    assert stored(coi).requested_control_point_id == point.pk


@pytest.mark.parametrize("who", ["importer", "control_body"])
@pytest.mark.parametrize(
    "containers",
    [[{"number": "MSKU1234565", "seals": "SEAL-001"}], [{"number": "CSQU3054383", "seals": "SEAL-XYZ"}]],
    ids=["box 14", "box 15"],
)
def test_it_refuses_boxes_14_and_15_through_the_api_once_issued_and_after_box_25(flow, who, containers):
    """Boxes 14 and 15 close with box 18 already (the status's table, for every role); box 25, which covers them
    too, keeps them closed. The refusal names boxes 14 and 15, where the containers and their seals are typed: a
    seal changed alone is refused at box 15 too, not at box 14 only."""
    coi = issued(flow)
    for signed_25 in (False, True):
        if signed_25:
            sign_25(flow, coi)
        r = patch_boxes(coi, {"containers": containers}, getattr(flow.w, who))
        assert r.status_code == 403, signed_25
        assert r.json()["detail"] == "You may not change box 14, 15 of this COI in its status.", signed_25
        assert [(c.number, c.seals) for c in stored(coi).containers.all()] == [("CSQU3054383", "SEAL-001")]


# Box 10 (the importer's until arrival) and boxes 13, 16, 17 (the issuing body's for 10 days) ------------------


def test_it_refuses_box_10_through_the_api_once_box_25_is_signed(flow):
    coi = issued(flow)
    assert patch_boxes(coi, {"point_of_entry_kind": "release_point"}, flow.w.importer).status_code == 200
    sign_25(flow, coi)
    r = patch_boxes(coi, {"point_of_entry_kind": "bcp"}, flow.w.importer)
    assert r.status_code == 422 and r.json()["boxes"]["10"] == [ARRIVED]
    assert stored(coi).point_of_entry_kind == "release_point"


def _box_13_16_17(coi, box: str) -> dict[str, Any]:
    if box == "13":
        line = stored(coi).commodities.first().lines.first()
        lines = [{"trade_name": "Organic cashew W320", "lot_number": "LOT-A", "packages": 401, "packaging_type": "CT",
                  "net_weight": "9000", "net_weight_unit": "kg", "producer": line.producer_id}]  # fmt: skip
        return {"commodities": [{"cn_code": "08013200", "lines": lines}]}
    return {"16": {"gross_weight": "16600"}, "17": {"transport_document": "BL-78"}}[box]


@pytest.mark.parametrize("box", ["13", "16", "17"])
def test_it_refuses_boxes_13_16_17_through_the_api_once_box_25_is_signed(flow, box):
    coi = issued(flow)
    before = patch_boxes(coi, _box_13_16_17(coi, box), flow.w.control_body)
    assert before.status_code == 200, before.content  # within 10 days of issue, before box 25
    sign_25(flow, coi)
    after = {"13": {"commodities": []}, "16": {"gross_weight": "16700"}, "17": {"transport_document": "BL-79"}}
    body = after[box] if box != "13" else _box_13_16_17(coi, "13")
    if box == "13":
        body["commodities"][0]["lines"][0]["packages"] = 402
    r = patch_boxes(coi, body, flow.w.control_body)
    assert r.status_code == 422 and CHECKED in r.json()["boxes"]["13"][0]
    assert CHECKED in r.json()["boxes"][box][0]  # and at the box changed
    coi = stored(coi)
    assert (coi.commodities.first().lines.first().packages, coi.gross_weight, coi.transport_document)[
        ["13", "16", "17"].index(box)
    ] == {"13": 401, "16": 16600, "17": "BL-78"}[box]


def test_it_refuses_box_10_on_the_edit_page_once_box_25_is_signed(flow):
    coi = issued(flow)
    sign_25(flow, coi)
    before = stored(coi).point_of_entry_kind
    client = page(flow.w.importer)
    form = {**as_shown(client, coi), "point_of_entry_kind": "release_point"}
    r = client.post(f"/certificates/{coi.pk}/edit/", form)
    assert r.status_code == 422 and ARRIVED in shown(r)
    assert '<option value="release_point" selected>' in shown(r)  # what was typed, kept
    assert stored(coi).point_of_entry_kind == before != "release_point"


@pytest.mark.parametrize(
    ("field", "typed"), [("c-0-l-0-packages", "401"), ("gross_weight", "16600"), ("transport_document", "BL-78")]
)
def test_it_refuses_boxes_13_16_17_on_the_edit_page_once_box_25_is_signed(flow, field, typed):
    coi = issued(flow)
    client = page(flow.w.control_body)
    r = client.post(f"/certificates/{coi.pk}/edit/", {**as_shown(client, coi), field: typed})
    assert r.status_code == 302  # within 10 days of issue, before box 25
    sign_25(flow, coi)
    again = str(int(typed) + 1) if typed.isdigit() else "BL-79"
    r = client.post(f"/certificates/{coi.pk}/edit/", {**as_shown(client, coi), field: again})
    assert r.status_code == 422 and CHECKED in shown(r)
    assert again in shown(r)  # what was typed is kept
    coi = stored(coi)
    kept = {"c-0-l-0-packages": coi.commodities.first().lines.first().packages, "gross_weight": coi.gross_weight}
    kept["transport_document"] = coi.transport_document
    assert str(kept[field]).removesuffix(".000") == typed


# What box 25 does not cover stays open, whatever the page posts again as it shows it ------------------------


def test_it_lets_the_importer_change_box_24_on_the_edit_page_after_box_25(flow):
    coi = issued(flow)
    sign_25(flow, coi)
    client = page(flow.w.importer)
    consignee = another_consignee(flow)
    form = {**as_shown(client, coi), "first_consignee": str(consignee.pk)}
    r = client.post(f"/certificates/{coi.pk}/edit/", form)
    assert r.status_code == 302, re.findall(r"Box \d+ is signed[^<]*|The consignment has arrived[^<]*", shown(r))
    after = stored(coi)
    assert after.first_consignee_id == consignee.pk
    assert after.prior_notification_at == coi.prior_notification_at  # box 20, given to the second, as it was


def test_it_lets_box_23_change_on_the_edit_page_when_the_arrival_announced_is_near(flow):
    coi = issued(flow)
    near = timezone.now() + datetime.timedelta(hours=2)  # given days ago; the goods are now 2 hours away
    Certificate.objects.filter(pk=coi.pk).update(prior_notification_at=near)
    client = page(flow.w.importer)
    form = {**as_shown(client, coi), "customs_declaration_reference": "26FR0000000000002"}
    r = client.post(f"/certificates/{coi.pk}/edit/", form)
    assert r.status_code == 302, shown(r)
    after = stored(coi)
    assert after.customs_declaration_reference == "26FR0000000000002" and after.prior_notification_at == near


# Box 10, which the importer may still change until arrival, reopens box 23's verification --------------------


def verified_23(flow) -> Certificate:
    coi = issued(flow)
    release.verify_box_23(flow.person(flow.w.inao_agent), coi.pk, place="Le Havre")
    return stored(coi)


def test_it_shows_the_box_10_change_beside_the_withdrawal_of_box_23_in_the_history(flow):
    coi = verified_23(flow)
    assert patch_boxes(coi, {"point_of_entry_kind": "release_point"}, flow.w.importer).status_code == 200
    history = Client().get(f"{URL}/{coi.pk}/history", **api_auth(flow.w.inao_agent)).json()
    edit = next(i for i, e in enumerate(history) if any(c["box"] == "10" for c in e["changes"]))
    change = next(c for c in history[edit]["changes"] if c["box"] == "10")
    assert change["field"] and change["new"] and change["new"] != change["old"]
    withdrawn = next(i for i, e in enumerate(history) if "verification of box 23 is withdrawn" in e["note"])
    assert abs(withdrawn - edit) == 1  # side by side: the edit, then what it withdrew
    assert history[edit]["actor"] == history[withdrawn]["actor"]


def test_it_tells_the_authorities_when_box_10_changed_on_the_edit_page_withdraws_box_23(flow):
    coi = verified_23(flow)
    client = page(flow.w.importer)
    r = client.post(f"/certificates/{coi.pk}/edit/", {**as_shown(client, coi), "point_of_entry_kind": "release_point"})
    assert r.status_code == 302 and not stored(coi).signatures.filter(box="23").exists()
    for authority in (flow.w.inao_agent, flow.w.border_agent):
        told = " ".join(Notice.objects.filter(user=authority).values_list("text", flat=True))
        assert f"COI {coi.number}: box 10 changed, the verification of box 23 is withdrawn" in told
    history = Client().get(f"{URL}/{coi.pk}/history", **api_auth(flow.w.importer)).json()
    assert any(c["box"] == "10" for e in history for c in e["changes"])


def test_it_lets_box_24_change_on_the_edit_page_after_box_23_s_verification_and_keeps_it(flow):
    coi = verified_23(flow)
    client = page(flow.w.importer)
    consignee = another_consignee(flow)
    r = client.post(f"/certificates/{coi.pk}/edit/", {**as_shown(client, coi), "first_consignee": str(consignee.pk)})
    assert r.status_code == 302, shown(r)  # boxes 10 and 23 posted as shown: no change
    assert stored(coi).first_consignee_id == consignee.pk
    assert stored(coi).signatures.filter(box="23").exists()  # box 10 did not change: nothing withdrawn


# Art. 5(3): boxes 13, 16 and 17 stay the issuing body's for 10 days after issue --------------------------------

OVER_10_DAYS = "Over 10 days since the COI was issued: boxes 13, 16 and 17 can no longer change."


def issued_11_days_ago(flow) -> Certificate:
    coi = issued(flow)
    coi.signatures.filter(box="18").update(signed_at=timezone.now() - datetime.timedelta(days=11))
    return coi


def test_it_refuses_box_16_through_the_api_over_10_days_after_issue(flow):
    coi = issued_11_days_ago(flow)
    r = patch_boxes(coi, {"gross_weight": "16600"}, flow.w.control_body)
    assert r.status_code == 422 and r.json()["boxes"]["13"] == [OVER_10_DAYS]
    assert r.json()["boxes"]["16"] == [OVER_10_DAYS]  # at the box changed, the gross weight's
    assert stored(coi).gross_weight == 16500


def test_it_refuses_box_17_on_the_edit_page_over_10_days_after_issue_and_keeps_what_was_typed(flow):
    coi = issued_11_days_ago(flow)
    before = stored(coi).transport_document
    client = page(flow.w.control_body)
    r = client.post(f"/certificates/{coi.pk}/edit/", {**as_shown(client, coi), "transport_document": "BL-80"})
    assert r.status_code == 422 and "BL-80" in shown(r)
    html = shown(r)
    box_17 = html[html.index('id="box-17"') :]
    assert OVER_10_DAYS in box_17[: box_17.index("</section>")]  # at box 17, where it was typed
    assert stored(coi).transport_document == before != "BL-80"
