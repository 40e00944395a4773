"""Issue 22, point 4: an extract of 2021/2307 signs its boxes 12 and 13 (recorded as the COI's 30 and 31); its
page, its history (page and API), its notices and the step's message call them boxes 12 and 13, never "Case 30"
or "Case 31". And the API's list rows say which form each COI follows."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken
from certificates.coi_forms import FormCode
from certificates.statuses import COIStatus
from certificates.workflow import extracts
from certificates.workflow import release as steps
from core.models import Notice

from .workflow_world import code, make_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    world.form = FormCode.R2021_2306
    return make_flow(world)


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def signed_extract(flow):
    type(flow.w.importer).objects.update(language="en")
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = flow.extract(base, packages=10, weight="200")
    extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    client = Client()
    client.force_login(flow.w.inao_agent)
    r = client.post(
        f"/certificates/{extract.pk}/workflow/decide-30/",
        {"decision": "released_organic", "place": "Le Havre", "code": code()},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Box 12 of the extract signed." in r.content.decode()
    steps.sign_box_31(flow.person(flow.w.consignee), extract.pk, in_accordance=True, place="Lyon")
    extract.refresh_from_db()
    return extract


@pytest.mark.parametrize(
    ("language", "box_12", "box_13", "wrong"),
    [
        ("en", "Box 12 of the extract", "Box 13 of the extract", ("Box 30", "Box 31")),
        ("fr", "Case 12 de l", "Case 13 de l", ("Case 30", "Case 31")),
    ],
)
def test_it_calls_the_extract_s_boxes_12_and_13_by_their_numbers_on_its_page(flow, language, box_12, box_13, wrong):
    extract = signed_extract(flow)
    flow.w.consignee.language = language
    flow.w.consignee.save(update_fields=["language"])
    client = Client()
    client.force_login(flow.w.consignee)
    page = client.get(f"/certificates/{extract.pk}/").content.decode()
    signatures = page[page.index('id="signatures"') :]
    assert box_12 in signatures and box_13 in signatures
    assert [w for w in wrong if w in signatures] == []  # the signatures and the history


def test_it_calls_the_extract_s_boxes_12_and_13_by_their_numbers_in_its_history_and_notices(client, flow):
    extract = signed_extract(flow)
    r = client.get(f"/api/v1/certificates/{extract.pk}/history", **auth(flow.w.importer), HTTP_ACCEPT_LANGUAGE="en")
    labels = [e["step_label"] for e in r.json()]
    assert "Box 12 of the extract signed: decision" in labels
    assert "Box 13 of the extract signed by the consignee of the batch" in labels
    assert not [label for label in labels if "Box 30" in label or "Box 31" in label]
    texts = " ".join(Notice.objects.filter(user=flow.w.importer).values_list("text", flat=True))
    assert f"Extract {extract.number}: to be released as organic (box 12)" in texts
    assert f"Extract {extract.number}: the consignee declared the batch in accordance (box 13)" in texts
    assert f"COI {extract.number}" not in texts


def test_it_keeps_calling_the_coi_s_boxes_30_and_31_by_their_numbers(client, flow):
    coi = flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    labels = [
        e["step_label"] for e in client.get(f"/api/v1/certificates/{coi.pk}/history", **auth(flow.w.importer)).json()
    ]
    assert "Box 30 signed: decision" in labels and "Box 31 signed by the first consignee" in labels


def test_it_says_which_form_each_coi_of_the_api_list_follows(client, flow):
    new = flow.coi(COIStatus.DRAFT)
    flow.w.form = FormCode.R1235_2008
    old = flow.coi(COIStatus.DRAFT)
    rows = {row["id"]: row for row in client.get("/api/v1/certificates", **auth(flow.w.importer)).json()["results"]}
    assert (rows[new.pk]["form"], rows[old.pk]["form"]) == ("2021/2306", "1235/2008")
