"""Issue 22, points 2 and 3, for the steps the other Union part tests leave out: box 23's verification and the
extract's (2021/2307) boxes 12 and 13 check the parties certified on that day (the importer and the first
consignee; an extract: the consignee of its batch), through the API and the pages; boxes 23 and 30 wait while a
replacement of the COI is open; and once the extract's box 12 (then 13) is signed, its boxes are closed to the
importer and the consignee. PostgreSQL too (`DATABASE_URL`)."""

from __future__ import annotations

import pytest

from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import after_signature, extracts, release
from directory.models import ActivityKind

from .factories import PointOfEntryFactory
from .union_part import expire, issued, page_step, patch_boxes, post_step, shown, stored
from .workflow_world import make_flow_2021_2306

pytestmark = pytest.mark.django_db
NOT_CERTIFIED = "is not certified"


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def submitted_extract(flow) -> Certificate:
    """A COI part released (box 30); an extract of its lot LOT-A for ACME Bio Foods, submitted for box 12."""
    base = issued(flow)
    Certificate.objects.filter(pk=base.pk).update(first_consignee=None)
    agent = flow.person(flow.w.inao_agent)  # the steps before the one tested, without two-factor codes
    release.sign_box_25(agent, base.pk, documentary="satisfactory", selected="no", place="Le Havre")
    release.decide_box_30(agent, base.pk, decision="basis_for_extract", place="Le Havre", reason="Two consignees")
    extract = flow.extract(Certificate.objects.get(pk=base.pk), packages=10, weight="200")
    extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    return stored(extract)


def released_extract(flow) -> Certificate:
    extract = submitted_extract(flow)
    agent = flow.person(flow.w.inao_agent)
    release.decide_box_30(agent, extract.pk, decision="released_organic", place="Le Havre")
    return stored(extract)


# Box 23's verification: the parties on its day ----------------------------------------------------------------


def test_it_refuses_box_23_through_the_api_when_the_importer_is_no_longer_certified_that_day(flow):
    coi = issued(flow)
    expire(flow.w.acme, ActivityKind.IMPORTER)
    r = post_step(coi, "verify-23", {}, flow.w.inao_agent)
    assert r.status_code == 422 and NOT_CERTIFIED in r.json()["boxes"]["12"][0]
    assert not stored(coi).signatures.filter(box="23").exists()


def test_it_refuses_box_23_through_the_api_when_the_first_consignee_is_no_longer_certified_that_day(flow):
    coi = issued(flow)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = post_step(coi, "verify-23", {}, flow.w.border_agent)
    assert r.status_code == 422 and NOT_CERTIFIED in r.json()["boxes"]["24"][0]
    assert not stored(coi).signatures.filter(box="23").exists()


def test_it_verifies_box_23_through_the_api_when_the_parties_are_certified_that_day(flow):
    coi = issued(flow)
    r = post_step(coi, "verify-23", {}, flow.w.inao_agent)
    assert r.status_code == 200 and stored(coi).signatures.filter(box="23").exists()


def test_it_refuses_box_23_on_the_page_when_the_importer_is_no_longer_certified_that_day(flow):
    coi = issued(flow)
    expire(flow.w.acme, ActivityKind.IMPORTER)
    r = page_step(coi, "verify-23", {}, flow.w.inao_agent)
    assert r.status_code == 422 and NOT_CERTIFIED in shown(r) and "ACME Bio Imports FR" in shown(r)
    assert not stored(coi).signatures.filter(box="23").exists()


def test_it_verifies_box_23_on_the_page_when_the_parties_are_certified_that_day(flow):
    coi = issued(flow)
    r = page_step(coi, "verify-23", {}, flow.w.inao_agent)
    assert r.status_code == 302 and stored(coi).signatures.filter(box="23").exists()


# Boxes 23 and 30 while a replacement is open --------------------------------------------------------------


def test_it_refuses_box_23_while_a_replacement_is_open_through_the_api_and_the_page(flow):
    coi = issued(flow)
    new = after_signature.replace(flow.person(flow.w.control_body), coi.pk)
    r = post_step(coi, "verify-23", {}, flow.w.inao_agent)
    assert r.status_code == 422 and f"being replaced by COI {new.number}" in r.json()["boxes"]["23"][0]
    r = page_step(coi, "verify-23", {}, flow.w.border_agent)
    assert r.status_code == 422 and f"being replaced by COI {new.number}" in shown(r)
    assert not stored(coi).signatures.filter(box="23").exists()


def test_it_refuses_box_30_while_a_replacement_is_open_through_the_api_and_the_page(flow):
    coi = issued(flow)
    release.sign_box_25(flow.person(flow.w.inao_agent), coi.pk, documentary="satisfactory", selected="no", place="x")
    # A replacement stored before box 25 could refuse it (`ReplacedOnlyBeforeUnionChecks`): one kept from then.
    signature = coi.signatures.get(box="25")
    coi.signatures.filter(pk=signature.pk).update(box="99")  # no box of the form
    new = after_signature.replace(flow.person(flow.w.control_body), coi.pk)
    coi.signatures.filter(pk=signature.pk).update(box="25")
    r = post_step(coi, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 422 and f"being replaced by COI {new.number}" in r.json()["boxes"]["30"][0]
    r = page_step(coi, "decide-30", {"decision": "released_organic"}, flow.w.border_agent)
    assert r.status_code == 422 and f"being replaced by COI {new.number}" in shown(r)
    assert stored(coi).status == COIStatus.ISSUING_BODY_SIGNED


# The extract's box 12 and 13: its consignee on their day ----------------------------------------------------


def test_it_refuses_the_extract_s_box_12_through_the_api_when_its_consignee_is_no_longer_certified_that_day(flow):
    extract = submitted_extract(flow)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = post_step(extract, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 422 and NOT_CERTIFIED in r.json()["boxes"]["10"][0], r.json()
    assert stored(extract).status == COIStatus.DESCRIPTION_COMPLETED
    r = post_step(extract, "decide-30", {"decision": "cannot_be_released", "reason": "No consignee"}, flow.w.inao_agent)
    assert r.status_code == 200 and r.json()["status"] == "cannot_be_released"  # no effect: no party checked


def test_it_endorses_the_extract_s_box_12_through_the_api_when_its_consignee_is_certified_that_day(flow):
    extract = submitted_extract(flow)
    r = post_step(extract, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 200 and r.json()["status"] == "released_organic"


def test_it_refuses_the_extract_s_box_12_on_the_page_when_its_consignee_is_no_longer_certified_that_day(flow):
    extract = submitted_extract(flow)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = page_step(extract, "decide-30", {"decision": "released_organic"}, flow.w.border_agent)
    assert r.status_code == 422 and NOT_CERTIFIED in shown(r) and "ACME Bio Foods FR" in shown(r)
    assert stored(extract).status == COIStatus.DESCRIPTION_COMPLETED


def test_it_endorses_the_extract_s_box_12_on_the_page_when_its_consignee_is_certified_that_day(flow):
    extract = submitted_extract(flow)
    r = page_step(extract, "decide-30", {"decision": "released_organic"}, flow.w.border_agent)
    assert r.status_code == 302 and stored(extract).status == COIStatus.RELEASED_ORGANIC


def test_it_refuses_the_extract_s_box_13_through_the_api_when_its_consignee_is_no_longer_certified_that_day(flow):
    extract = released_extract(flow)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = post_step(extract, "sign-31", {"in_accordance": True, "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 422 and NOT_CERTIFIED in r.json()["boxes"]["10"][0], r.json()
    assert stored(extract).status == COIStatus.RELEASED_ORGANIC


def test_it_signs_the_extract_s_box_13_through_the_api_when_its_consignee_is_certified_that_day(flow):
    extract = released_extract(flow)
    r = post_step(extract, "sign-31", {"in_accordance": True, "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 200 and r.json()["status"] == "first_consignee_signed"


def test_it_refuses_the_extract_s_box_13_on_the_page_when_its_consignee_is_no_longer_certified_that_day(flow):
    extract = released_extract(flow)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = page_step(extract, "sign-31", {"in_accordance": "yes", "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 422 and NOT_CERTIFIED in shown(r)
    assert stored(extract).status == COIStatus.RELEASED_ORGANIC


def test_it_signs_the_extract_s_box_13_on_the_page_when_its_consignee_is_certified_that_day(flow):
    extract = released_extract(flow)
    r = page_step(extract, "sign-31", {"in_accordance": "yes", "place": "Lyon"}, flow.w.consignee)
    assert r.status_code == 302 and stored(extract).status == COIStatus.FIRST_CONSIGNEE_SIGNED


# The extract's boxes after its box 12, then its box 13 ------------------------------------------------------


def test_it_lets_the_importer_change_a_draft_extract_s_box_8(flow):
    """Box 8 (the extract's own point of release) is the importer's while the extract is a draft; once submitted,
    the extract's table closes it (test_workflow_matrix.py's extract rows)."""
    base = Certificate.objects.get(pk=submitted_extract(flow).base_id)  # a base part released, an extract taken
    extract = flow.extract(base, packages=5, weight="100")  # a second extract, a draft
    point = PointOfEntryFactory(code="FRMRS", name="Marseille", authority=flow.w.le_havre.authority)
    r = patch_boxes(extract, {"point_of_entry": point.pk}, flow.w.importer)
    assert r.status_code == 200 and stored(extract).point_of_entry_id == point.pk


@pytest.mark.parametrize("signed", ["12", "13"])
@pytest.mark.parametrize("who", ["importer", "consignee"])
def test_it_refuses_the_extract_s_boxes_after_its_box_12_or_13_through_the_api(flow, signed, who):
    extract = released_extract(flow)
    if signed == "13":
        release.sign_box_31(flow.person(flow.w.consignee), extract.pk, in_accordance=True, place="Lyon")
    point = PointOfEntryFactory(code="FRMRS", name="Marseille", authority=flow.w.le_havre.authority)
    for body, box in (({"point_of_entry": point.pk}, "8"), ({"first_consignee": flow.w.acme.pk}, "10")):
        r = patch_boxes(extract, body, getattr(flow.w, who))
        # named by the extract's own boxes (its box 8 is the COI's box 10, its box 10 the COI's box 24)
        assert r.status_code == 403 and r.json()["detail"] == f"You may not change box {box} of this COI in its status."
    after = stored(extract)
    assert (after.point_of_entry_id, after.first_consignee_id) == (flow.w.le_havre.pk, flow.w.foods.pk)
