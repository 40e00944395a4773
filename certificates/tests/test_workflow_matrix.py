"""The whole table, walked: every status x role x action, for the party holding the role on the COI and for an
outsider of the same kind (another importer, another control body, another authority), on the server (the
domain functions), through the API and through the pages. Each attempt runs in a savepoint rolled back, so
every action starts from the same COI. The people (the world) are built once for the module; each test makes its
own COIs, undone after it.

Expected outcomes are read from the table's rows directly (`matrix.actions_for(coi, role)`): done when the
role's row has the action; otherwise 404 when the person may not see the COI (an outsider; a draft of
another organisation), 409 when the role's row has that action in another status, 403 otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from accounts.models import ApiToken
from certificates import queries, services
from certificates.access import Person
from certificates.boxes import as_data
from certificates.matrix import ACTION_BOXES, ALL_BOXES, Action, actions_for, editable_boxes
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import after_signature, extracts, steps
from core.errors import DomainError
from directory.models import ActivityKind

from .conftest import world as _world_fixture
from .factories import ActivityFactory
from .workflow_world import CHECKS, ROLES, code, make_flow

pytestmark = pytest.mark.django_db
build_world = getattr(_world_fixture, "__wrapped__", _world_fixture)  # the `world` fixture, as a plain function
CREATORS = ("importer", "exporter", "control_body")
EDITS = {
    Action.EDIT_ALL: "3",  # only "edit every box" opens box 3 (box 17 may also be completed later: issue 11)
    Action.EDIT_BOX_9: "9",
    Action.EDIT_BOX_12: "12",
    Action.ADD_RFL: "rfl",
    Action.EDIT_BOX_13_PARTS: "13",
    Action.EDIT_BOXES_14_15: "14",
    Action.EDIT_BOX_16: "16",
}
STEPS = [a for a in Action if a not in EDITS and a != Action.CREATE]
# The marker each step's form carries on the COI page.
MARKERS = {
    Action.SIGN_18: 'id="form-sign-18"',
    Action.SIGN_20: 'id="form-decide"',
    Action.SIGN_21: 'id="form-sign-21"',
    Action.REPLACE: 'id="form-replace"',
    Action.FLAG_OFIS: 'id="form-flag"',
    Action.DELETE: 'id="form-delete"',
    Action.INITIATE_EXTRACT: 'id="button-extract"',
    Action.SPLIT: 'id="button-split"',
    Action.SUBMIT_EXTRACT: 'id="form-submit-extract"',
}


@pytest.fixture(scope="module")
def flow(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The certificates' world and its signers, once for the module (undone after it); the tests' COIs are theirs."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(None)
        made = make_flow(world)
        # Box 12's probe names ACME Bio Imports as first consignee: certified as one, as every change is checked.
        ActivityFactory(operator=world.acme, kind=ActivityKind.OPERATOR, control_body_code=world.ecocert_fr)
        yield made
        transaction.set_rollback(True)


# The server's rule runs on both database engines; walking it again through the API and the pages checks the
# views' plumbing, which does not depend on the engine, so those two walks run in the SQLite pass only.
CHANNELS = ["domain", pytest.param("api", marks=pytest.mark.once), pytest.param("page", marks=pytest.mark.once)]


class _Rollback(Exception):
    pass


def rolled_back(fn: Any) -> Any:
    """Run `fn` in a savepoint that is always undone; return what it returned."""
    cache.clear()  # TOTP codes are single-use: each attempt may use the current one
    try:
        with transaction.atomic():
            raise _Rollback(fn())
    except _Rollback as done:
        return done.args[0]


# What each action changes or sends ------------------------------------------------------------------------


def edit_data(flow: Any, coi: Certificate, action: Action) -> dict[str, Any]:
    data = as_data(queries.detail_queryset().get(pk=coi.pk))
    if action == Action.EDIT_ALL:
        return {"national_reference": "Changed reference"}
    if action == Action.EDIT_BOX_9:
        return {"validating_authority": flow.outsider_authority.memberships.first().authority_id}
    if action == Action.EDIT_BOX_12:
        return {"first_consignee": flow.w.acme.pk}
    if action == Action.ADD_RFL:
        return {"rfl": flow.w.other_bio.pk}
    if action == Action.EDIT_BOX_13_PARTS:
        commodities = data["commodities"]
        commodities[0]["lines"][0]["trade_name"] = "Renamed cashew"
        return {"commodities": commodities}
    if action == Action.EDIT_BOXES_14_15:
        return {"containers": [{"number": "CSQU3054383", "seals": "SEAL-XYZ"}]}
    return {"gross_weight": "16600"}


def changed(coi: Certificate, action: Action) -> bool:
    coi = queries.detail_queryset().get(pk=coi.pk)
    data = as_data(coi)
    return {
        Action.EDIT_ALL: lambda: data["national_reference"] == "Changed reference",
        Action.EDIT_BOX_9: lambda: coi.validating_authority.name == "DDPP du Rhône",
        Action.EDIT_BOX_12: lambda: coi.first_consignee_id == coi.importer_id,
        Action.ADD_RFL: lambda: coi.rfl and coi.rfl.name == "Other Bio Import",
        Action.EDIT_BOX_13_PARTS: lambda: data["commodities"][0]["lines"][0]["trade_name"] == "Renamed cashew",
        Action.EDIT_BOXES_14_15: lambda: any(c["seals"] == "SEAL-XYZ" for c in data["containers"]),
        Action.EDIT_BOX_16: lambda: data["gross_weight"] == Decimal("16600"),
    }[action]()


def step_payload(flow: Any, coi: Certificate, action: Action) -> tuple[str, dict[str, Any]]:
    """(API path and page step, fields) of one step."""
    line = coi.commodities.first().lines.first()
    decision = COIStatus.CONSIGNMENT_VERIFIED if coi.first_consignee_id else COIStatus.BASIS_FOR_EXTRACT
    return {
        Action.SIGN_18: ("sign-18", {"box": "18", "place": "Agadir", "code": code(), **CHECKS}),
        Action.SIGN_20: ("decide", {"decision": decision, "place": "Paris", "code": code()}),
        Action.SIGN_21: ("sign-21", {"box": "21", "place": "Lyon", "code": code()}),
        Action.REPLACE: ("replace", {"note": "Wrong lot"}),
        Action.FLAG_OFIS: ("flag", {"description": "Residues"}),
        Action.DELETE: ("delete", {"reason": "Entered twice"}),
        Action.INITIATE_EXTRACT: ("extract", {"consignee": flow.w.foods.pk, "line": line.pk}),
        Action.SPLIT: ("split", {"consignee": flow.w.foods.pk, "line": line.pk, "place": "Le Havre", "code": code()}),
        Action.SUBMIT_EXTRACT: ("submit-extract", {}),
    }[action]


def domain_step(person: Person, coi: Certificate, action: Action, fields: dict[str, Any]) -> None:
    pk, quantities = coi.pk, {fields.get("line"): (1, "1")}
    {
        Action.SIGN_18: lambda: steps.sign_box_18(person, pk, place="Agadir", checks=CHECKS),
        Action.SIGN_20: lambda: steps.decide(person, pk, decision=fields["decision"], place="Paris"),
        Action.SIGN_21: lambda: steps.sign_box_21(person, pk, place="Lyon"),
        Action.REPLACE: lambda: after_signature.replace(person, pk),
        Action.FLAG_OFIS: lambda: after_signature.flag_irregularity(person, pk, description="Residues"),
        Action.DELETE: lambda: after_signature.delete(person, pk, reason="Entered twice"),
        Action.INITIATE_EXTRACT: lambda: extracts.initiate_extract(
            person, pk, consignee=fields["consignee"], quantities=quantities
        ),
        Action.SPLIT: lambda: extracts.split(
            person, pk, parts=[{"consignee": fields["consignee"], "quantities": quantities}], place="Le Havre"
        ),
        Action.SUBMIT_EXTRACT: lambda: extracts.submit_extract(person, pk),
    }[action]()


def api_body(fields: dict[str, Any], path: str) -> dict[str, Any]:
    quantities = [{"line": fields.get("line"), "packages": 1, "net_weight": "1"}]
    if path == "sign-18":
        return {"box": "18", "place": "Agadir", "code": fields["code"], "checks": CHECKS}
    if path == "extract":
        return {"consignee": fields["consignee"], "quantities": quantities}
    if path == "split":
        return {
            "parts": [{"consignee": fields["consignee"], "quantities": quantities}],
            "place": "Le Havre",
            "code": fields["code"],
        }
    return fields


API_PATHS = {"sign-18": "sign", "sign-21": "sign"}


def page_form(coi: Certificate, data: dict[str, Any]) -> dict[str, Any]:
    """The edit page's form with every box as stored, and `data` applied."""
    boxes = {**as_data(queries.detail_queryset().get(pk=coi.pk)), **data}
    form: dict[str, Any] = {}
    for field, value in boxes.items():
        if field == "commodities":
            for c, commodity in enumerate(value):
                form[f"c-{c}-cn"] = commodity["cn_code"]
                for n, line in enumerate(commodity["lines"]):
                    form.update({f"c-{c}-l-{n}-{k}": "" if v is None else str(v) for k, v in line.items()})
        elif field == "containers":
            for k, container in enumerate(value):
                form.update({f"k-{k}-number": container["number"], f"k-{k}-seals": container["seals"]})
        elif field == "release_in_batches":
            if value:
                form[field] = "on"
        elif field == "origin_countries":
            form[field] = list(value)
        else:
            form[field] = "" if value is None else str(value)
    return form


# One attempt, through one channel ----------------------------------------------------------------------


@dataclass
class Way:
    """How one person reaches the COI through a channel, prepared once per person and COI (every attempt is
    rolled back, so what it reads stays true): their API token, or their logged-in browser and the COI page
    as it showed to them."""

    user: Any
    secret: str = ""
    client: Client | None = None
    page: str = ""
    can_see: bool = False


def way_in(channel: str, user: Any, coi: Certificate) -> Way:
    if channel == "api":
        return Way(user, secret=ApiToken.issue(user, "test")[1])
    if channel == "page":
        client = Client()
        client.force_login(user)
        shown = client.get(f"/certificates/{coi.pk}/")
        return Way(user, client=client, page=shown.content.decode(), can_see=shown.status_code == 200)
    return Way(user)


def attempt(flow: Any, channel: str, way: Way, coi: Certificate, action: Action) -> str:
    """'done', or the refusal's status code as a string."""
    if action in EDITS:
        data = edit_data(flow, coi, action)
        return rolled_back(lambda: _edit(channel, way, coi, action, data))
    path, fields = step_payload(flow, coi, action)
    return rolled_back(lambda: _step(channel, way, coi, action, path, fields))


def _edit(channel: str, way: Way, coi: Certificate, action: Action, data: dict[str, Any]) -> str:
    if channel == "domain":
        try:
            services.update_boxes(Person.of(way.user), coi.pk, data)
        except DomainError as exc:
            return str(exc.status)
        return "done"
    if channel == "api":
        body = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()}
        r = Client().patch(
            f"/api/v1/certificates/{coi.pk}",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {way.secret}",
        )
        return "done" if r.status_code == 200 else str(r.status_code)
    assert way.client is not None
    r = way.client.post(f"/certificates/{coi.pk}/edit/", page_form(coi, data))
    if not way.can_see:
        return "404"
    # The edit page answers 404 to whom may change no box; otherwise it keeps only the boxes one may change.
    return "done" if r.status_code in (200, 302) and changed(coi, action) else "403"


def _step(channel: str, way: Way, coi: Certificate, action: Action, path: str, fields: dict[str, Any]) -> str:
    if channel == "domain":
        try:
            domain_step(Person.of(way.user), coi, action, fields)
        except DomainError as exc:
            return str(exc.status)
        return "done"
    if channel == "api":
        r = Client().post(
            f"/api/v1/certificates/{coi.pk}/{API_PATHS.get(path, path)}",
            api_body(fields, path),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {way.secret}",
        )
        return "done" if r.status_code in (200, 201) else str(r.status_code)
    assert way.client is not None
    form = dict(fields)
    if "line" in form:
        form.update({f"packages_{form['line']}": "1", f"weight_{form['line']}": "1"})
    r = way.client.post(f"/certificates/{coi.pk}/workflow/{path}/", form)
    return "done" if r.status_code == 302 else str(r.status_code)


# What the table says ------------------------------------------------------------------------------------


def expected(coi: Certificate, role: str, action: Action, *, visible: bool) -> str:
    if not visible:
        return "404"
    if action in EDITS:
        return "done" if EDITS[action] in editable_boxes(coi, {role}) else "403"
    if action in actions_for(coi, role):
        return "done"
    probe = type("Probe", (), {"base_id": coi.base_id})
    elsewhere = False
    for status in COIStatus.values:
        probe.status = status
        elsewhere = elsewhere or action in actions_for(probe, role)
    return "409" if elsewhere else "403"


def walk(flow: Any, channel: str, cois: dict[str, Certificate]) -> list[str]:
    """Every role x action x (party, outsider) on the COIs (one per creator role for a draft)."""
    mismatches = []
    for role in ROLES:
        coi = cois.get(role, cois["importer"])
        for who, user in (("party", flow.party(role)), ("outsider", flow.outsider(role))):
            visible = who == "party" and (coi.status != COIStatus.DRAFT or role == coi.creator_role)
            visible = visible and (role != "first_consignee" or bool(coi.first_consignee_id))  # batches: box 12 empty
            way = way_in(channel, user, coi)
            if channel == "page" and visible:
                mismatches += _offered(way, coi, role)
            for action in [*EDITS, *STEPS]:
                want = expected(coi, role, action, visible=visible)
                got = attempt(flow, channel, way, coi, action)
                if got != want:
                    mismatches.append(f"{coi.status} {role} ({who}) {action}: expected {want}, got {got}")
    return mismatches


def _offered(way: Way, coi: Certificate, role: str) -> list[str]:
    """The COI page offers a step's form exactly when the table allows it (comfort; the server decides)."""
    return [
        f"{coi.status} {role}: the page {'offers' if marker in way.page else 'hides'} {action}"
        for action, marker in MARKERS.items()
        if (marker in way.page) != (action in actions_for(coi, role))
    ]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("status", COIStatus.values)
def test_the_table_holds_for_every_role_and_action(flow, status, channel):
    if status == COIStatus.DRAFT:
        cois = {creator: flow.coi(status, creator=creator) for creator in CREATORS}
    else:
        cois = {"importer": flow.coi(status)}
    assert walk(flow, channel, cois) == []


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("status", [COIStatus.DRAFT, COIStatus.DESCRIPTION_COMPLETED])
def test_the_extract_rows_hold_for_every_role_and_action(flow, status, channel):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = flow.extract(base)
    if status == COIStatus.DESCRIPTION_COMPLETED:
        extract = extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    assert walk(flow, channel, {"importer": extract}) == []


def test_every_role_may_create_exactly_as_the_draft_rows_say(flow):
    for role in ROLES:
        may = Action.CREATE in actions_for(COIStatus.DRAFT, role)
        assert may == (role in CREATORS), role
    for creator in CREATORS:
        assert flow.coi(COIStatus.DRAFT, creator=creator).creator_role == creator


def test_the_boxes_of_the_table_are_the_model_s_boxes():
    assert set().union(*ACTION_BOXES.values()) <= set(ALL_BOXES)
