"""Issue 22, point 2, for the replace step: once the authority has verified box 23 or recorded box 25's
documentary check, the issuing body can no longer replace a 2021/2306 COI (Reg. (EU) 2021/2306 Art. 6(1)); the
refusal names the signed box, through the API and the COI's page; before them the replacement is made.
PostgreSQL too (`DATABASE_URL`)."""

from __future__ import annotations

import pytest
from django.test import Client

from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import release

from .union_part import URL, shown
from .workflow_world import api_auth, fresh_code, make_flow_2021_2306

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def api_replace(coi, user):
    body = {"note": "Typo in box 8"}
    return Client().post(f"{URL}/{coi.pk}/replace", body, content_type="application/json", **api_auth(user))


def page_replace(coi, user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.post(f"/certificates/{coi.pk}/workflow/replace/", {"note": "Typo", "code": fresh_code(user)})


def verified_23(flow) -> Certificate:
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    release.verify_box_23(flow.person(flow.w.inao_agent), coi.pk, place="Le Havre")
    return coi


def checked_25(flow) -> Certificate:
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    agent = flow.person(flow.w.inao_agent)
    release.sign_box_25(agent, coi.pk, documentary="satisfactory", selected="no", place="Le Havre")
    return coi


def replacements(coi) -> int:
    return Certificate.objects.filter(replaces=coi).count()


def test_it_refuses_to_replace_after_box_23_through_the_api(flow):
    coi = verified_23(flow)
    r = api_replace(coi, flow.w.control_body)
    assert r.status_code == 409, r.content
    assert "Box 23 is signed by the authority" in r.json()["boxes"]["23"][0]
    assert replacements(coi) == 0


def test_it_refuses_to_replace_after_box_25_through_the_api(flow):
    coi = checked_25(flow)
    r = api_replace(coi, flow.w.control_body)
    assert r.status_code == 409, r.content
    assert "Box 25 is signed by the authority" in r.json()["boxes"]["25"][0]
    assert replacements(coi) == 0


def test_it_refuses_to_replace_after_box_23_on_the_page(flow):
    coi = verified_23(flow)
    r = page_replace(coi, flow.w.control_body)
    assert r.status_code in (409, 422) and "Box 23 is signed by the authority" in shown(r)
    assert replacements(coi) == 0


def test_it_refuses_to_replace_after_box_25_on_the_page(flow):
    coi = checked_25(flow)
    r = page_replace(coi, flow.w.control_body)
    assert r.status_code in (409, 422) and "Box 25 is signed by the authority" in shown(r)
    assert replacements(coi) == 0


def test_it_replaces_before_boxes_23_and_25_through_the_api(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    r = api_replace(coi, flow.w.control_body)
    assert r.status_code in (200, 201), r.content
    assert replacements(coi) == 1


def test_it_replaces_before_boxes_23_and_25_on_the_page(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    r = page_replace(coi, flow.w.control_body)
    assert r.status_code == 302, shown(r)[:500]
    assert replacements(coi) == 1
