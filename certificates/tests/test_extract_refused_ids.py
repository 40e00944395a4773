"""Issue 22, point 4: an extract drafted through the API with an authority, a point of entry or a member state
that does not exist is refused at the extract's box (422; box 8 of the 2021/2307 extract, box 9 of the guides'
form), nothing drafted, as a box edit refuses them; it answered 500 (IntegrityError) before."""

from __future__ import annotations

import pytest

from accounts.models import ApiToken
from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.statuses import COIStatus

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"
MISSING = 987654321


@pytest.fixture(params=[FormCode.R2021_2306, FormCode.R1235_2008])
def flow(world, request):
    world.form = request.param
    return make_flow(world)


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_extract(client, flow, base, **boxes):
    line = base.commodities.first().lines.first()
    body = {"consignee": flow.w.foods.pk, "quantities": [{"line": line.pk, "packages": 10, "net_weight": "200"}]}
    return client.post(
        f"{URL}/{base.pk}/extract", {**body, **boxes}, content_type="application/json", **auth(flow.w.importer)
    )


def box_of(flow):
    return "8" if flow.w.form == FormCode.R2021_2306 else "9"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("validating_authority", MISSING, "No such authority."),
        ("point_of_entry", MISSING, "No such point of entry."),
        ("release_member_state", "ZZ", "Unknown country: ZZ."),
    ],
)
def test_it_refuses_an_extract_naming_what_does_not_exist_at_its_box(client, flow, field, value, message):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    r = post_extract(client, flow, base, **{field: value})
    assert r.status_code == 422, r.content
    assert message in r.json()["boxes"][box_of(flow)]
    assert not Certificate.objects.filter(base=base).exists()


def test_it_drafts_an_extract_with_its_own_existing_point_of_release(client, flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    r = post_extract(
        client, flow, base, validating_authority=flow.w.inao.pk, point_of_entry=flow.w.le_havre.pk,
        release_member_state="fr",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    extract = Certificate.objects.get(pk=r.json()["id"])
    assert (extract.validating_authority, extract.point_of_entry, extract.release_member_state) == (
        flow.w.inao,
        flow.w.le_havre,
        "FR",
    )
