"""The workflow on the COI page: what a person sees (history, relatives, what remains), and refusals."""

from __future__ import annotations

import pytest

from certificates.services import update_boxes
from certificates.statuses import COIStatus
from directory.models import ActivityKind

from .factories import ActivityFactory
from .workflow_world import make_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow(world)


def page_of(client, user, coi):
    client.force_login(user)
    return client.get(f"/certificates/{coi.pk}/").content.decode()


def test_it_shows_the_history_as_a_timeline_with_old_and_new_values(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    ActivityFactory(operator=flow.w.acme, kind=ActivityKind.OPERATOR, control_body_code=flow.w.ecocert_fr)
    update_boxes(flow.person(flow.w.importer), coi.pk, {"first_consignee": flow.w.acme.pk})
    html = page_of(client, flow.w.inao_agent, coi)
    assert 'data-testid="history-sign_18"' in html and "ECOCERT SA (MA-BIO-154)" in html
    assert "<td>ACME Bio Foods FR</td><td>ACME Bio Imports FR</td>" in html
    assert 'data-testid="signature-18"' in html and "Agadir" in html


def test_it_shows_the_extracts_and_what_remains_per_lot(client, flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = flow.extract(base, 150, "3000")
    html = page_of(client, flow.w.importer, base)
    assert 'data-testid="lots"' in html
    assert "<td>250</td><td>6,000\u00a0kg</td>" in html  # LOT-A: 400 packages, 9000 kg, 150 and 3000 taken
    assert f'href="/certificates/{extract.pk}/"' in html
    assert 'id="button-extract"' in html and 'name="packages_' in html
    html = page_of(client, flow.w.importer, extract)
    assert f'href="/certificates/{base.pk}/"' in html and 'id="form-submit-extract"' in html


def test_it_links_a_replacement_and_what_it_replaces(client, flow):
    old = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client.force_login(flow.w.control_body)
    r = client.post(f"/certificates/{old.pk}/workflow/replace/", {"note": "Wrong seal"})
    old.refresh_from_db()
    new = old.replaced_by
    assert r.status_code == 302 and r["Location"] == f"/certificates/{new.pk}/"
    html = client.get(f"/certificates/{old.pk}/").content.decode()
    assert f'href="/certificates/{new.pk}/"' in html and 'id="form-replace"' not in html  # one at a time
    html = client.get(f"/certificates/{new.pk}/").content.decode()
    assert f'href="/certificates/{old.pk}/"' in html and 'id="form-sign-18"' in html


def test_a_refused_step_shows_the_reason_with_its_status(client, flow):
    coi = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    client.force_login(flow.w.importer)
    r = client.post(f"/certificates/{coi.pk}/workflow/delete/", {"reason": "Mine"})
    assert r.status_code == 403
    assert 'data-testid="refusal"' in r.content.decode()
    client.force_login(flow.w.inao_agent)
    r = client.post(f"/certificates/{coi.pk}/workflow/delete/", {"reason": ""})
    assert r.status_code == 422
    r = client.post(f"/certificates/{coi.pk}/workflow/sign-18/", {"place": "Paris"})
    assert r.status_code == 403
    client.force_login(flow.w.outsider_importer)
    assert client.post(f"/certificates/{coi.pk}/workflow/flag/", {"description": "x"}).status_code == 404
    assert client.post(f"/certificates/{coi.pk}/workflow/unknown/", {}).status_code == 404


def test_a_second_signature_on_the_page_says_who_signed_first(client, flow):
    coi = flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    client.force_login(flow.w.consignee)
    r = client.post(f"/certificates/{coi.pk}/workflow/sign-21/", {"place": "Lyon", "code": "123456"})
    assert r.status_code == 409
    assert "Box 21 signed by the first consignee" in r.content.decode() or "case 21" in r.content.decode()
    assert coi.signatures.filter(box="21").count() == 1
    assert coi.signatures.count() == 3


def _draft_extract(client, flow, consignee, packages, weight):
    """The importer posts the extract form of a COI whose part can be released, for its first lot."""
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    line = base.commodities.first().lines.first()
    client.force_login(flow.w.importer)
    form = {"consignee": consignee, f"packages_{line.pk}": packages, f"weight_{line.pk}": weight}
    return base, line, client.post(f"/certificates/{base.pk}/workflow/extract/", form)


@pytest.mark.parametrize("typed", ["²", "1_0", "-1", "99999999999999999999999"])
def test_it_refuses_an_extract_whose_consignee_is_not_an_id_with_the_reason_not_a_500(client, flow, typed):
    base, _line, r = _draft_extract(client, flow, typed, "10", "100")
    assert r.status_code == 422
    html = r.content.decode()
    assert "Choose the consignee of the extract." in html.replace("&#x27;", "'")
    assert 'value="10"' in html and 'value="100"' in html  # the quantities typed are kept
    assert not base.extracts.exists()


def test_it_keeps_the_chosen_consignee_when_an_extract_is_refused_for_its_quantity(client, flow):
    base, _line, r = _draft_extract(client, flow, str(flow.w.foods.pk), "999999", "1")
    assert r.status_code == 422
    picker = r.content.decode().split('id="wf-consignee"')[1].split("</fieldset>")[0]
    assert f'name="consignee" value="{flow.w.foods.pk}" checked' in picker and flow.w.foods.name in picker
    assert 'value="999999"' in r.content.decode()  # the quantity typed is kept too
    assert not base.extracts.exists()


@pytest.mark.parametrize("weight", ["NaN", "sNaN", "-Infinity"])
def test_it_refuses_an_extract_whose_net_weight_is_not_a_number_as_the_api_does(client, flow, weight):
    base, _line, r = _draft_extract(client, flow, str(flow.w.foods.pk), "1", weight)
    assert r.status_code == 422  # not a 500
    assert f"{weight} is not a number." in r.content.decode().replace("&#x27;", "'")
    assert not base.extracts.exists()


def test_it_refuses_an_extract_s_net_weight_with_more_decimals_than_kept(client, flow):
    """0.0004 kg would be kept as 0 kg (3 decimals): an extract of a lot with no weight. Refused, page and API."""
    base, line, r = _draft_extract(client, flow, str(flow.w.foods.pk), "1", "0.0004")
    assert r.status_code == 422
    assert "0.0004 has more than 3 decimals." in r.content.decode()
    body = {"consignee": flow.w.foods.pk, "quantities": [{"line": line.pk, "packages": 1, "net_weight": "0.0004"}]}
    r = client.post(f"/api/v1/certificates/{base.pk}/extract", body, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"] == "0.0004 has more than 3 decimals."
    assert not base.extracts.exists()
