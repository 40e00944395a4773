"""The workflow's machine interface: one endpoint per step, the history, what remains of each lot."""

from __future__ import annotations

import pytest

from accounts.models import ApiToken, User
from certificates.statuses import COIStatus
from directory.models import ActivityKind

from .factories import ActivityFactory
from .workflow_world import CHECKS, code, make_flow

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"


@pytest.fixture
def flow(world):
    return make_flow(world)


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, path, body, user):
    return client.post(f"{URL}/{path}", body, content_type="application/json", **auth(user))


def test_it_signs_box_18_with_the_checks_and_a_code(client, flow):
    coi = flow.w.submitted()
    r = post(
        client,
        f"{coi.pk}/sign",
        {"box": "18", "place": "Agadir", "code": code(), "checks": CHECKS},
        flow.w.control_body,
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "issuing_body_signed" and "replace" in r.json()["my_steps"]


def test_it_answers_403_with_the_reason_404_to_outsiders_and_409_once_signed(client, flow):
    coi = flow.w.submitted()
    User.objects.filter(pk__in=[flow.w.importer.pk, flow.w.control_body.pk]).update(language="fr")
    body = {"box": "18", "place": "Paris", "code": code(), "checks": CHECKS}
    r = post(client, f"{coi.pk}/sign", body, flow.w.importer)
    assert r.status_code == 403 and "Importateur" in r.json()["detail"]  # in the person's language
    assert post(client, f"{coi.pk}/sign", body, flow.w.outsider_control_body).status_code == 404
    flow.sign_18(coi)
    r = post(client, f"{coi.pk}/sign", {**body, "code": code(1)}, flow.w.control_body)
    assert r.status_code == 409 and "n’est plus possible" in r.json()["detail"]


def test_it_refuses_a_wrong_code_with_422(client, flow):
    coi = flow.w.submitted()
    r = post(
        client,
        f"{coi.pk}/sign",
        {"box": "18", "place": "Agadir", "code": "000000", "checks": CHECKS},
        flow.w.control_body,
    )
    assert r.status_code == 422 and r.json()["code"] == "code"


def test_it_shows_the_problems_at_their_boxes_when_the_coi_is_incomplete(client, flow):
    coi = flow.w.submitted()
    from certificates.models import Certificate

    Certificate.objects.filter(pk=coi.pk).update(gross_weight=None)
    r = post(
        client,
        f"{coi.pk}/sign",
        {"box": "18", "place": "Agadir", "code": code(), "checks": CHECKS},
        flow.w.control_body,
    )
    assert r.status_code == 422 and "16" in r.json()["boxes"]


def test_it_decides_box_20_and_gives_the_history_with_old_and_new_values(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    # ACME also receives goods itself: a first consignee must be certified as one (issue 11, rule 3).
    ActivityFactory(operator=flow.w.acme, kind=ActivityKind.OPERATOR, control_body_code=flow.w.ecocert_fr)
    r = client.patch(
        f"{URL}/{coi.pk}", {"first_consignee": flow.w.acme.pk}, content_type="application/json", **auth(flow.w.importer)
    )
    assert r.status_code == 200, r.content
    r = post(
        client,
        f"{coi.pk}/decide",
        {"decision": "consignment_verified", "place": "Le Havre", "code": code()},
        flow.w.border_agent,
    )
    assert r.status_code == 200 and r.json()["status"] == "consignment_verified"
    history = client.get(f"{URL}/{coi.pk}/history", **auth(flow.w.importer)).json()
    assert [h["step"] for h in history] == ["submit", "checks", "sign_18", "edit", "sign_20"]
    edit = history[3]
    assert edit["changes"][0] == {
        "box": "12",
        "field": "first_consignee",
        "old": "ACME Bio Foods FR",
        "new": "ACME Bio Imports FR",
    }
    assert history[4]["organisation"] == "Douane du Havre" and history[4]["role"] == "entry_authority"
    assert client.get(f"{URL}/{coi.pk}/history", **auth(flow.w.outsider_importer)).status_code == 404


def test_extracts_split_and_depletion_through_the_api(client, flow):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    User.objects.filter(pk=flow.w.forwarder.pk).update(language="fr")
    lots = client.get(f"{URL}/{base.pk}/lots", **auth(flow.w.forwarder)).json()["lots"]
    lot_a = lots[0]["line"]
    quantities = [{"line": lot_a, "packages": 500, "net_weight": "100"}]
    r = post(client, f"{base.pk}/extract", {"consignee": flow.w.foods.pk, "quantities": quantities}, flow.w.forwarder)
    assert r.status_code == 422 and "il ne reste que 400 colis" in r.json()["detail"]
    quantities[0]["packages"] = 100
    r = post(client, f"{base.pk}/extract", {"consignee": flow.w.foods.pk, "quantities": quantities}, flow.w.forwarder)
    assert r.status_code == 201 and r.json()["base"] == base.pk and r.json()["my_steps"] == ["submit-extract"]
    extract = r.json()["id"]
    assert post(client, f"{extract}/submit-extract", {}, flow.w.forwarder).json()["status"] == "description_completed"
    r = post(
        client,
        f"{extract}/decide",
        {"decision": "consignment_verified", "place": "Paris", "code": code()},
        flow.w.inao_agent,
    )
    assert r.status_code == 200, r.content
    r = post(
        client,
        f"{base.pk}/split",
        {"parts": [{"consignee": flow.w.foods.pk, "quantities": quantities}], "place": "Le Havre", "code": code()},
        flow.w.border_agent,
    )
    assert r.status_code == 201 and r.json()[0]["status"] == "consignment_verified"
    assert post(client, f"{base.pk}/deplete", {"note": "All out"}, flow.w.border_agent).status_code == 200
    lots = client.get(f"{URL}/{base.pk}/lots", **auth(flow.w.importer)).json()
    assert lots["depleted"] and lots["lots"][0]["remaining_packages"] == 200
    assert (
        post(
            client, f"{base.pk}/extract", {"consignee": flow.w.foods.pk, "quantities": quantities}, flow.w.importer
        ).status_code
        == 409
    )


def test_replace_flag_and_delete_through_the_api(client, flow):
    signed = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    r = post(client, f"{signed.pk}/replace", {"note": "Wrong seal"}, flow.w.control_body)
    assert r.status_code == 201 and r.json()["replaces"] == signed.pk
    assert client.get(f"{URL}/{signed.pk}/steps", **auth(flow.w.control_body)).json()["replaced_by"] == r.json()["id"]
    verified = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    r = post(client, f"{verified.pk}/flag", {"description": "Residues"}, flow.w.importer)
    assert r.status_code == 409  # the importer flags only once the consignee has signed
    assert post(client, f"{verified.pk}/flag", {"description": "Residues"}, flow.w.border_agent).status_code == 200
    deleted = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    assert post(client, f"{deleted.pk}/delete", {"reason": ""}, flow.w.inao_agent).status_code == 422
    r = post(client, f"{deleted.pk}/delete", {"reason": "Twice"}, flow.w.inao_agent)
    assert r.status_code == 200 and r.json()["status"] == "deleted"
    assert client.get(f"{URL}/{deleted.pk}", **auth(flow.w.importer)).status_code == 200


def test_it_refuses_a_lot_sent_twice_in_an_extract_or_a_split_at_the_second(client, flow):
    """Two entries for one lot are refused (422 at the second), not read from the last with the first ignored."""
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    User.objects.filter(pk=flow.w.importer.pk).update(language="fr")
    lot_a = client.get(f"{URL}/{base.pk}/lots", **auth(flow.w.importer)).json()["lots"][0]["line"]
    twice = [{"line": lot_a, "packages": 10, "net_weight": "100"}, {"line": lot_a, "packages": 20, "net_weight": "200"}]
    r = post(client, f"{base.pk}/extract", {"consignee": flow.w.foods.pk, "quantities": twice}, flow.w.importer)
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "type": "value_error",
            "loc": ["body", "payload", "quantities", 1, "line"],
            "msg": "Ce lot est indiqué deux fois.",
        }
    ]
    parts = [{"consignee": flow.w.foods.pk, "quantities": twice}]
    r = post(client, f"{base.pk}/split", {"parts": parts, "place": "Le Havre", "code": code()}, flow.w.border_agent)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "payload", "parts", 0, "quantities", 1, "line"]]
    assert not base.extracts.exists()
