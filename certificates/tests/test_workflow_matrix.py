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

import contextlib
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from accounts.models import ApiToken
from certificates import edit_page as form_page
from certificates import queries, services
from certificates.access import Person
from certificates.boxes import as_data
from certificates.coi_forms import FormCode, form_of, get_form
from certificates.matrix import ACTION_BOXES, ALL_BOXES, Action, actions_for, editable_boxes, table
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import after_signature, extracts, release
from certificates.workflow import certification as steps
from core.errors import DomainError
from directory.models import ActivityKind

from .conftest import build_world
from .factories import ActivityFactory
from .workflow_world import CHECKS, ROLES, code, make_flow

pytestmark = pytest.mark.django_db
CREATORS = ("importer", "exporter", "control_body")
EDITS = {
    Action.EDIT_ALL: "3",  # only "edit every box" opens box 3 (box 17 may also be completed later: issue 11)
    Action.EDIT_BOX_9: "9",
    Action.EDIT_BOX_12: "12",
    Action.ADD_RFL: "rfl",
    Action.EDIT_BOX_13_PARTS: "13",
    Action.EDIT_BOXES_14_15: "14",
    Action.EDIT_BOX_16: "16",
    Action.EDIT_BOX_10: "10",
    Action.EDIT_BOX_17: "17",
    Action.EDIT_BOX_19: "19",
    Action.EDIT_BOXES_20_23: "20",
    Action.EDIT_BOX_24: "24",
    Action.EDIT_BOXES_26_29: "29",
}
STEPS = [a for a in Action if a not in EDITS and a != Action.CREATE]


def form_actions(coi: Certificate) -> set[Action]:
    """Every action the tables of the COI's form name somewhere (the walk tries each, in every status)."""
    coi_form = form_of(coi)
    return set().union(*table(coi_form.matrix_csv).values(), *table(coi_form.extract_matrix_csv).values())


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
    Action.DEPLETE: 'id="form-deplete"',
    Action.VERIFY_23: 'id="form-verify-23"',
    Action.SIGN_25: 'id="form-sign-25"',
    Action.SIGN_30: 'id="form-decide-30"',
    Action.SIGN_31: 'id="form-sign-31"',
}


@pytest.fixture(scope="module")
def flow(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """The certificates' world and its signers, once for the module (undone after it); the tests' COIs are theirs."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        made = make_flow(world)
        # Box 12's probe names ACME Bio Imports as first consignee: certified as one, as every change is checked.
        ActivityFactory(operator=world.acme, kind=ActivityKind.OPERATOR, control_body_code=world.ecocert_fr)
        yield made
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def guides_form_unless_said(flow: Any) -> Iterator[None]:
    """The module's world is shared: a test that sets the form of the COIs it makes sets it for itself only."""
    form = flow.w.form
    yield
    flow.w.form = form


# The server's rule runs on both database engines; walking it again through the API and the pages checks the
# views' plumbing, which does not depend on the engine, so those two walks run in the SQLite pass only.
CHANNELS = ["domain", pytest.param("api", marks=pytest.mark.once), pytest.param("page", marks=pytest.mark.once)]


class _Rollback(Exception):
    pass


def rolled_back(fn: Any) -> Any:
    """Run `fn` in a savepoint that is always undone; return what it returned."""
    # No cache to empty: a two-factor code's use is a row (accounts.UsedCode), undone with the attempt, and the
    # COI page's cached parts are keyed by the COI's version, so the attempts after a refusal read them again.
    try:
        with transaction.atomic():
            raise _Rollback(fn())
    except _Rollback as done:
        return done.args[0]


# What each action changes or sends ------------------------------------------------------------------------


def stored(coi: Certificate) -> dict[str, Any]:
    """The COI's boxes as stored, read once per COI of a walk (every attempt is rolled back, so they stay true);
    a copy each time, free to change."""
    if not hasattr(coi, "_walk_stored"):
        coi._walk_stored = as_data(queries.detail_queryset().get(pk=coi.pk))  # type: ignore[attr-defined]
    return copy.deepcopy(coi._walk_stored)  # type: ignore[attr-defined]


def edit_data(flow: Any, coi: Certificate, action: Action) -> dict[str, Any]:
    if action == Action.EDIT_ALL:
        return {"national_reference": "Changed reference"}
    if action == Action.EDIT_BOX_9:
        return {"validating_authority": flow.outsider_authority.memberships.first().authority_id}
    if action == Action.EDIT_BOX_12:
        return {"first_consignee": flow.w.acme.pk}
    if action == Action.ADD_RFL:
        return {"rfl": flow.w.other_bio.pk}
    if action == Action.EDIT_BOX_13_PARTS:
        commodities = stored(coi)["commodities"]
        commodities[0]["lines"][0]["trade_name"] = "Renamed cashew"
        return {"commodities": commodities}
    if action == Action.EDIT_BOXES_14_15:
        return {"containers": [{"number": "CSQU3054383", "seals": "SEAL-XYZ"}]}
    if action == Action.EDIT_BOX_10:
        return {"point_of_entry_kind": "release_point"}
    if action == Action.EDIT_BOX_17:
        return {"transport_document": "BL-CHANGED-17"}
    if action == Action.EDIT_BOX_19:
        return {"rfl": flow.w.other_bio.pk}
    if action == Action.EDIT_BOXES_20_23:
        return {"customs_declaration_reference": "26FRDECL000123"}
    if action == Action.EDIT_BOX_24:
        return {"first_consignee": flow.w.acme.pk}
    if action == Action.EDIT_BOXES_26_29:
        return {"identity_check": "satisfactory"}
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
        Action.EDIT_BOX_10: lambda: coi.point_of_entry_kind == "release_point",
        Action.EDIT_BOX_17: lambda: coi.transport_document == "BL-CHANGED-17",
        Action.EDIT_BOX_19: lambda: coi.rfl and coi.rfl.name == "Other Bio Import",
        Action.EDIT_BOXES_20_23: lambda: coi.customs_declaration_reference == "26FRDECL000123",
        Action.EDIT_BOX_24: lambda: coi.first_consignee_id == coi.importer_id,
        Action.EDIT_BOXES_26_29: lambda: coi.identity_check == "satisfactory",
    }[action]()


def step_payload(flow: Any, coi: Certificate, action: Action) -> tuple[str, dict[str, Any]]:
    """(API path and page step, fields) of one step."""
    line = coi.commodities.first().lines.first()
    decision = COIStatus.CONSIGNMENT_VERIFIED if coi.first_consignee_id else COIStatus.BASIS_FOR_EXTRACT
    decision_30 = COIStatus.RELEASED_ORGANIC if coi.first_consignee_id else COIStatus.BASIS_FOR_EXTRACT
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
        Action.DEPLETE: ("deplete", {"note": "All batches taken"}),
        Action.VERIFY_23: ("verify-23", {"place": "Le Havre", "code": code()}),
        Action.SIGN_25: (
            "sign-25",
            {"documentary": "satisfactory", "selected": "no", "place": "Le Havre", "code": code()},
        ),
        Action.SIGN_30: (
            "decide-30",
            {"decision": decision_30, "reason": "Batches", "place": "Le Havre", "code": code()},
        ),
        Action.SIGN_31: ("sign-31", {"in_accordance": "yes", "place": "Lyon", "code": code()}),
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
        Action.DEPLETE: lambda: extracts.deplete(person, pk, note="All batches taken"),
        Action.VERIFY_23: lambda: release.verify_box_23(person, pk, place="Le Havre"),
        Action.SIGN_25: lambda: release.sign_box_25(
            person, pk, documentary="satisfactory", selected="no", place="Le Havre"
        ),
        Action.SIGN_30: lambda: release.decide_box_30(
            person, pk, decision=fields["decision"], reason=fields["reason"], place="Le Havre"
        ),
        Action.SIGN_31: lambda: release.sign_box_31(person, pk, in_accordance=True, place="Lyon"),
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
    if path in ("sign-25", "sign-31"):  # the page's yes/no radio buttons are the API's true/false
        return {k: v == "yes" if k in ("selected", "in_accordance") else v for k, v in fields.items()}
    return fields


API_PATHS = {"sign-18": "sign", "sign-21": "sign"}


def page_form(coi: Certificate, data: dict[str, Any]) -> dict[str, Any]:
    """The edit page's form with every box as stored, and `data` applied."""
    boxes = {**stored(coi), **data}
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
        elif field in form_page.WIDGETS and form_page.WIDGETS[field] == "flag":
            form[f"present-{field}"] = "1"
            if value:
                form[field] = "on"
        elif field in form_page.WIDGETS and form_page.WIDGETS[field] == "yesno":
            form[field] = "" if value is None else ("yes" if value in (True, "yes") else "no")
        elif field == "traders":  # box 6's picker: a ticked box per operator
            form["present-traders"] = "1"
            form[field] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            form[field] = value.isoformat()
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
    return rolled_back(lambda: _prepared(flow, coi, action) and _step(channel, way, coi, action, path, fields))


def _prepared(flow: Any, coi: Certificate, action: Action) -> bool:
    """What a step needs done before it by someone else, done by its party when the status allows it: box 25
    before box 30 on the 2021/2306 form (the walk checks the table, the order rules have their own tests)."""
    if action == Action.SIGN_30 and coi.form == FormCode.R2021_2306 and coi.base_id is None:
        with contextlib.suppress(DomainError):
            release.sign_box_25(
                flow.person(flow.w.inao_agent), coi.pk, documentary="satisfactory", selected="no", place="Le Havre"
            )
    return True


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
    probe = type("Probe", (), {"base_id": coi.base_id, "form": coi.form})
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
            for action in [a for a in [*EDITS, *STEPS] if a in form_actions(coi)]:
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
        if action in form_actions(coi) and (marker in way.page) != (action in actions_for(coi, role))
    ]


# Each form's statuses, as far as the workflow reaches them today on that form.
WALKED = [
    pytest.param(
        form, status, channel, marks=[] if channel == "domain" else [pytest.mark.once], id=f"{form}-{status}-{channel}"
    )
    for form in FormCode.values
    for status in get_form(form).statuses
    for channel in ("domain", "api", "page")
]


@pytest.mark.parametrize(("form", "status", "channel"), WALKED)
def test_the_table_holds_for_every_role_and_action(flow, form, status, channel):
    flow.w.form = form
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


@pytest.mark.parametrize("form", FormCode.values)
def test_every_role_may_create_exactly_as_the_draft_rows_say(flow, form):
    flow.w.form = form
    for role in ROLES:
        may = Action.CREATE in actions_for(COIStatus.DRAFT, role, form=form)
        assert may == (role in CREATORS), role
    for creator in CREATORS:
        coi = flow.coi(COIStatus.DRAFT, creator=creator)
        assert (coi.creator_role, coi.form) == (creator, form)


@pytest.mark.parametrize("form", FormCode.values)
def test_the_boxes_of_the_table_are_the_form_s_boxes(form):
    coi_form = get_form(form)
    named = set().union(*table(coi_form.matrix_csv).values(), *table(coi_form.extract_matrix_csv).values())
    boxes = set().union(*(ACTION_BOXES[a] for a in named if a in ACTION_BOXES))
    assert boxes <= set(coi_form.by_key), boxes - set(coi_form.by_key)
    assert set(coi_form.all_boxes) <= set(coi_form.by_key)


@pytest.mark.parametrize("form", FormCode.values)
def test_the_table_has_a_row_for_every_status_and_role_of_the_form(form):
    coi_form = get_form(form)
    rows = set(table(coi_form.matrix_csv))
    listed = {s for s, _r in rows}
    assert listed <= set(coi_form.statuses)
    assert rows == {(s, r) for s in listed for r in ROLES}
    if form == FormCode.R2021_2306:  # every status of the form in force has its row, terminal ones too
        assert listed == set(coi_form.statuses)


def test_it_reads_the_guides_table_as_before():
    assert ALL_BOXES == (
        "products",
        "1",
        "2",
        "3",
        "4",
        "7",
        "8",
        "9",
        "10",
        "11",
        "rfl",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
    )
    assert actions_for(COIStatus.ISSUING_BODY_SIGNED, "importer") == {
        Action.EDIT_BOX_9,
        Action.EDIT_BOX_12,
        Action.ADD_RFL,
    }
