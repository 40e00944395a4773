"""One step registry (issue 21, point 2): a step is declared once (`certificates/workflow/steps.STEPS`), and its
page, its URL, its offer, its panel form and its API route with its OpenAPI description follow. A throwaway
step declared here (its function and one `WorkflowStep`) is offered, drawn, posted on its page and through the
API; the declared steps agree with the forms' tables."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import include, path
from ninja import NinjaAPI, Router

import opencoi.urls as site
from accounts.models import ApiToken
from api.auth import AUTH
from api.steps import add_routes
from certificates import urls as certificate_urls
from certificates.access import Person
from certificates.coi_forms import FORMS
from certificates.matrix import Action, table
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.step_views import step_urls
from certificates.workflow.guards import acting_role, locked
from certificates.workflow.history import record
from certificates.workflow.offer import steps_for
from certificates.workflow.steps import BOTH_FORMS, STEPS, Input, WorkflowStep
from certificates.workflow_records import HistoryEntry, Step
from core.errors import Invalid

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db


# The new step: its function ...
def keep_remark(person: Person, pk: int, *, remark: str) -> Certificate:
    """The issuing body keeps a remark in the history (the table's "replace the COI" right, for the example)."""
    with transaction.atomic():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.REPLACE)
        if not remark.strip():
            raise Invalid("Give the remark.", code="remark")
        record(person, coi, Step.EDIT, role=role, old_status=coi.status, note=remark.strip())
    return coi


# ... and its declaration.
REMARK = WorkflowStep(
    "remark", Action.REPLACE, keep_remark, BOTH_FORMS, "Remark kept.", "Keep a remark", "Keeps a remark.",
    inputs=(Input("remark", required=True, max_length=200, label="Remark"),),
)  # fmt: skip

# The site as it would be with the step in `STEPS`: its page beside the others, its route in an API of its own.
throwaway_router = Router()
add_routes(throwaway_router, [REMARK])
throwaway_api = NinjaAPI(urls_namespace="throwaway-steps", auth=AUTH)
throwaway_api.add_router("/certificates", throwaway_router)
urlpatterns = [
    path("certificates/", include(([*certificate_urls.urlpatterns, *step_urls([REMARK])], "certificates"))),
    path("throwaway-api/", throwaway_api.urls),
    *[p for p in site.urlpatterns if getattr(p, "app_name", None) != "certificates"],
]


@pytest.fixture
def flow(world: Any) -> Any:
    return make_flow(world)


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(STEPS, REMARK.slug, REMARK)


@override_settings(ROOT_URLCONF=__name__)
def test_it_offers_draws_and_takes_a_newly_declared_step_on_the_page(client: Any, flow: Any, declared: None) -> None:
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    assert "remark" in steps_for(flow.person(flow.w.control_body), coi)
    assert "remark" not in steps_for(flow.person(flow.w.importer), coi)
    client.force_login(flow.w.control_body)
    html = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert f'action="/certificates/{coi.pk}/workflow/remark/" id="form-remark"' in html
    assert 'name="remark"' in html and "Keep a remark" not in html  # the button says the table's action
    refused = client.post(f"/certificates/{coi.pk}/workflow/remark/", {"remark": " "})
    assert refused.status_code == 422 and "Give the remark." in refused.content.decode()
    r = client.post(f"/certificates/{coi.pk}/workflow/remark/", {"remark": "Seal checked"})
    assert r.status_code == 302 and r["Location"] == f"/certificates/{coi.pk}/"
    assert HistoryEntry.objects.filter(certificate=coi, note="Seal checked").exists()
    client.force_login(flow.w.importer)
    assert client.post(f"/certificates/{coi.pk}/workflow/remark/", {"remark": "Mine"}).status_code == 403


@override_settings(ROOT_URLCONF=__name__)
def test_it_routes_and_describes_a_newly_declared_step_in_the_api(client: Any, flow: Any, declared: None) -> None:
    schema = throwaway_api.get_openapi_schema()
    operation = schema["paths"]["/throwaway-api/certificates/{coi_id}/remark"]["post"]
    assert operation["summary"] == "Keep a remark" and operation["description"] == "Keeps a remark."
    body = schema["components"]["schemas"]["RemarkStepIn"]
    assert body["required"] == ["remark"] and body["properties"]["remark"]["maxLength"] == 200
    assert body["additionalProperties"] is False
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    _token, secret = ApiToken.issue(flow.w.control_body, "test")
    r = client.post(
        f"/throwaway-api/certificates/{coi.pk}/remark", {"remark": "Seal checked"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json()["id"] == coi.pk and "remark" in r.json()["my_steps"]
    assert HistoryEntry.objects.filter(certificate=coi, note="Seal checked").exists()


def test_it_declares_each_step_on_the_forms_whose_tables_give_its_action() -> None:
    for code, coi_form in FORMS.items():
        given: set[Action] = set()
        for csv in (coi_form.matrix_csv, coi_form.extract_matrix_csv):
            given |= set().union(*table(csv).values())
        declared_here = {s.slug for s in STEPS.values() if code in s.forms}
        assert declared_here == {s.slug for s in STEPS.values() if s.action in given}, code


def test_it_serves_every_declared_step_at_its_documented_page_and_api_path(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for step in STEPS.values():
        assert f"/api/v1/certificates/{{coi_id}}/{step.path}" in paths, step.slug
    assert {s.path for s in STEPS.values()} >= {"sign", "checks", "decide", "sign-25", "decide-30", "sign-31"}
    assert "box" in str(paths["/api/v1/certificates/{coi_id}/sign"])
