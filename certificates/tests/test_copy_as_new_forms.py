"""Issue 22, point 4: "Copy as new" of a COI of either form makes a draft of that form, through the API and the
page. A 2021/2306 COI's copy failed with 422 ("release_in_batches: no such box on the form of this COI"): the
copy sent the guides' fields. The copy carries the boxes filled before issue, never the Union part of the
consignment copied (prior notification, checks, decision)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken
from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.statuses import COIStatus

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[FormCode.R2021_2306, FormCode.R1235_2008])
def flow(world, request):
    world.form = request.param
    return make_flow(world)


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_copies_a_released_coi_as_a_new_draft_of_its_form_through_the_api(client, flow):
    source = flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    r = client.post(f"/api/v1/certificates/{source.pk}/copy", **auth(flow.w.importer))
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["form"], body["status"], body["number"]) == (flow.w.form, "draft", None)
    assert body["boxes"]["exporter"] == flow.w.atlas.pk and body["boxes"]["importer"] == flow.w.acme.pk
    assert len(body["boxes"]["commodities"][0]["lines"]) == 2
    copy = Certificate.objects.get(pk=body["id"])
    assert copy.copied_from_id == source.pk
    if flow.w.form == FormCode.R2021_2306:  # nothing of the consignment's Union part
        assert copy.prior_notification_at is None and not copy.customs_warehousing
        assert copy.documentary_check == "" and copy.rfl_id is None


def test_it_copies_a_coi_as_a_new_draft_of_its_form_from_its_page(flow):
    source = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client = Client()
    client.force_login(flow.w.importer)
    r = client.post(f"/certificates/{source.pk}/copy/")
    copy = Certificate.objects.exclude(pk=source.pk).get(copied_from=source)
    assert r.status_code == 302 and r.url == f"/certificates/{copy.pk}/edit/"
    assert copy.form == flow.w.form and copy.is_draft
