"""Issue 22, points 1 to 3, through the API, for the rules whose API cases test_form_2021_2306_checks_stay.py and
test_box_29_checks.py do not hold (their pages: test_union_part_pages.py): a refusal at its box and an acceptance
per rule, named after the case. PostgreSQL too (`DATABASE_URL`)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from certificates.workflow import after_signature
from directory.models import ActivityKind

from .union_part import expire, issued, patch_boxes, post_step, sign_25
from .workflow_world import make_flow_2021_2306

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def test_it_refuses_release_through_the_api_after_a_failed_documentary_check(flow):
    coi = issued(flow)
    sign_25(flow, coi, documentary="not_satisfactory")
    for decision in ("released_organic", "released_in_conversion", "basis_for_extract"):
        r = post_step(coi, "decide-30", {"decision": decision, "reason": "x"}, flow.w.inao_agent)
        assert r.status_code == 422 and r.json()["code"] == "box_30"
        assert "documentary check is not satisfactory" in r.json()["detail"]


def test_it_refuses_the_consignment_through_the_api_after_a_failed_documentary_check(flow):
    coi = issued(flow)
    sign_25(flow, coi, documentary="not_satisfactory")
    r = post_step(coi, "decide-30", {"decision": "cannot_be_released", "reason": "Wrong lots"}, flow.w.inao_agent)
    assert r.status_code == 200 and r.json()["status"] == "cannot_be_released"


def test_it_lets_box_23_change_through_the_api_before_its_verification(flow):
    coi = issued(flow)
    r = patch_boxes(coi, {"customs_declaration_reference": "26FR0000000000002"}, flow.w.importer)
    assert r.status_code == 200 and r.json()["boxes"]["customs_declaration_reference"] == "26FR0000000000002"


def test_it_signs_box_25_through_the_api_when_the_parties_are_certified_that_day(flow):
    coi = issued(flow)
    r = post_step(coi, "sign-25", {"documentary": "satisfactory", "selected": False}, flow.w.inao_agent)
    assert r.status_code == 200 and coi.signatures.filter(box="25").exists()


def test_it_refuses_box_30_through_the_api_when_the_first_consignee_is_no_longer_certified_that_day(flow):
    coi = issued(flow)
    sign_25(flow, coi)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = post_step(coi, "decide-30", {"decision": "released_organic"}, flow.w.inao_agent)
    assert r.status_code == 422 and "is not certified" in r.json()["boxes"]["24"][0]


def test_it_refuses_the_consignment_through_the_api_whatever_the_first_consignee_s_certification(flow):
    coi = issued(flow)
    sign_25(flow, coi)
    expire(flow.w.foods, ActivityKind.OPERATOR)
    r = post_step(coi, "decide-30", {"decision": "cannot_be_released", "reason": "No consignee"}, flow.w.inao_agent)
    assert r.status_code == 200 and r.json()["status"] == "cannot_be_released"


def test_it_refuses_box_25_through_the_api_while_a_replacement_is_open(flow):
    coi = issued(flow)
    after_signature.replace(flow.person(flow.w.control_body), coi.pk)
    r = post_step(coi, "sign-25", {"documentary": "satisfactory", "selected": False}, flow.w.inao_agent)
    assert r.status_code in (409, 422) and "replacement" in r.content.decode().lower()
    assert not coi.signatures.filter(box="25").exists()


def test_it_refuses_box_25_through_the_api_before_the_prior_notification(flow):
    coi = flow.sign_18(flow.w.submitted("importer"))
    r = post_step(coi, "sign-25", {"documentary": "satisfactory", "selected": False}, flow.w.inao_agent)
    assert r.status_code == 422 and "Box 20 (prior notification) is not given" in r.json()["boxes"]["20"][0]


def test_it_signs_box_25_through_the_api_after_the_prior_notification(flow):
    coi = flow.sign_18(flow.w.submitted("importer"))
    arrival = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    assert patch_boxes(coi, {"prior_notification_at": arrival}, flow.w.importer).status_code == 200
    r = post_step(coi, "sign-25", {"documentary": "satisfactory", "selected": False}, flow.w.inao_agent)
    assert r.status_code == 200
