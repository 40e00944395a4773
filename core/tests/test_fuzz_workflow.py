"""Property-based tests of the workflow (hypothesis): random sequences of steps, each by a random actor (the
COI's parties and outsiders of each kind), through the workflow's public functions.

Whatever the sequence: every step that succeeds is one the table (`certificates/matrix.py`) allows to that
actor's roles on that COI in its status before the step; a refused step changes nothing; no status and no
box value changes without a history entry saying so; extracts never take more than their base's lots hold.

Bounded: each example replays at most a few steps from two submitted COIs (one with a first consignee, one
released in batches), in a savepoint rolled back after it; derandomized, so a run is reproducible."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates import queries, services
from certificates.access import Person, roles_on
from certificates.matrix import Action, allowed
from certificates.models import Certificate, CommodityLine
from certificates.rules import boxes_open_to
from certificates.statuses import COIStatus
from certificates.tests.conftest import World
from certificates.tests.conftest import world as _world_fixture
from certificates.tests.conftest import world_of_the_module as _world_of_the_module
from certificates.tests.workflow_world import Flow, make_flow
from certificates.workflow import after_signature, extracts
from certificates.workflow import certification as steps
from certificates.workflow.history import BOX_OF_FIELD, snapshot
from certificates.workflow_records import ExtractQuantity, HistoryEntry
from core.errors import DomainError

pytestmark = [pytest.mark.once, pytest.mark.django_db]

world, world_of_the_module = _world_fixture, _world_of_the_module  # the certificates' actors, as fixtures here


@pytest.fixture
def flow(world: World) -> Flow:
    return make_flow(world)


# The steps: (name, action the table must allow, call(flow, person, coi, draw)) -----------------------------

Draw = Callable[[st.SearchStrategy[Any]], Any]
WEIGHTS = ["1", "250", "2000", "6800", "9000", "9001", "20000"]
PACKAGES = [0, 1, 100, 300, 400, 401]
EDITS: dict[str, list[Any]] = {
    "release_member_state": ["FR", "DE", "BE"],
    "first_consignee": ["foods", None],
    "release_in_batches": [True, False],
    "containers": [[{"number": "MSCU1234565", "seals": "S-9"}], []],
    "gross_weight": ["16500", "17000", "12"],
    "transport_identification": ["MSC Agadir", "CMA CGM Tanger"],
    "national_reference": ["REF-1", "REF-2"],
}


def _edit(flow: Flow, person: Person, coi: Certificate, draw: Draw) -> None:
    field = draw(st.sampled_from(sorted(EDITS)))
    value = draw(st.sampled_from(EDITS[field]))
    value = flow.w.foods.pk if value == "foods" else value
    services.update_boxes(person, coi.pk, {field: value})


def _quantities(coi: Certificate, draw: Draw) -> dict[int, tuple[Any, Any]]:
    lines = list(CommodityLine.objects.filter(commodity__certificate=coi).order_by("pk"))
    line = draw(st.sampled_from(lines)) if lines else None
    return {line.pk if line else 0: (draw(st.sampled_from(PACKAGES)), draw(st.sampled_from(WEIGHTS)))}


def _sign(flow: Flow, person: Person, coi: Certificate, draw: Draw) -> None:
    box = draw(st.sampled_from(["18", "21"]))
    if box == "18":
        steps.sign_box_18(person, coi.pk, place="Agadir", checks={"documentary": "acceptable", "physical": "not_done"})
    else:
        steps.sign_box_21(person, coi.pk, place="Lyon")


def _decide(flow: Flow, person: Person, coi: Certificate, draw: Draw) -> None:
    decision = draw(st.sampled_from(COIStatus.box20_decisions()))
    steps.decide(person, coi.pk, decision=decision, place="Paris", reason=draw(st.sampled_from(["", "Residues"])))


def _extract(flow: Flow, person: Person, coi: Certificate, draw: Draw) -> None:
    extracts.initiate_extract(person, coi.pk, consignee=flow.w.foods.pk, quantities=_quantities(coi, draw))


def _split(flow: Flow, person: Person, coi: Certificate, draw: Draw) -> None:
    parts = [
        {"consignee": flow.w.foods.pk, "quantities": _quantities(coi, draw)} for _ in range(draw(st.integers(1, 2)))
    ]
    extracts.split(person, coi.pk, parts=parts, place="Le Havre")


STEPS: list[tuple[str, Action | None, Callable[..., None]]] = [
    ("edit", None, _edit),  # checked against the boxes the server opens (the table, box 17 completed later)
    ("checks", Action.SIGN_18, lambda f, p, c, d: steps.record_checks(p, c.pk, documentary="acceptable", physical="acceptable")),
    ("sign", None, _sign),  # box 18 or box 21
    ("decide", Action.SIGN_20, _decide),
    ("replace", Action.REPLACE, lambda f, p, c, d: after_signature.replace(p, c.pk)),
    ("flag", Action.FLAG_OFIS, lambda f, p, c, d: after_signature.flag_irregularity(p, c.pk, description="Residues found")),
    ("delete", Action.DELETE, lambda f, p, c, d: after_signature.delete(p, c.pk, reason=d(st.sampled_from(["", "Duplicate"])))),
    ("extract", Action.INITIATE_EXTRACT, _extract),
    ("submit_extract", Action.SUBMIT_EXTRACT, lambda f, p, c, d: extracts.submit_extract(p, c.pk)),
    ("split", Action.SPLIT, _split),
    ("deplete", Action.SPLIT, lambda f, p, c, d: extracts.deplete(p, c.pk)),
]  # fmt: skip


def _actors(flow: Flow) -> list[Any]:
    w = flow.w
    return [
        w.importer, w.exporter, w.control_body, w.consignee, w.inao_agent, w.border_agent, w.forwarder,
        w.outsider_importer, w.outsider_control_body, flow.outsider_authority, flow.outsider_exporter,
    ]  # fmt: skip


# What must hold after every step ------------------------------------------------------------------------


def _statuses() -> dict[int, str]:
    return dict(Certificate.objects.values_list("pk", "status"))


def _check_allowed(name: str, action: Action | None, before: Certificate, roles: set[str], edited: set[str]) -> None:
    """A step that went through is one the table allows to these roles on this COI in its former status."""
    if name == "edit":
        assert edited <= boxes_open_to(before, roles), (before.status, roles, edited)
    elif name == "sign":
        assert allowed(before, roles, Action.SIGN_18) or allowed(before, roles, Action.SIGN_21), (before.status, roles)
    else:
        assert action is not None and allowed(before, roles, action), (name, before.status, before.base_id, roles)


def _check_history(statuses_before: dict[int, str], last_entry: int) -> None:
    """Every COI whose status changed (or that appeared) has a history entry with that status."""
    new_entries = HistoryEntry.objects.filter(pk__gt=last_entry)
    for pk, status in _statuses().items():
        if statuses_before.get(pk) != status:
            assert new_entries.filter(certificate_id=pk, new_status=status).exists(), (pk, status)


def _check_boxes(coi: Certificate, boxes_before: dict[str, Any], last_entry: int) -> None:
    """A submitted COI's changed boxes are each in a new history entry, with their old and new values."""
    after = snapshot(coi)
    changed = {f for f in BOX_OF_FIELD if boxes_before.get(f) != after.get(f)}
    if not changed or boxes_before.get("_draft"):
        return
    recorded = {
        change["field"]
        for entry in HistoryEntry.objects.filter(certificate=coi, pk__gt=last_entry)
        for change in entry.changes
    }
    assert changed <= recorded, (changed, recorded)


def _check_extracts() -> None:
    """No lot of a base gives more than it holds to its extracts (deleted ones give back)."""
    taken = (
        ExtractQuantity.objects.exclude(extract__status=COIStatus.DELETED)
        .values("base_line")
        .annotate(packages=Sum("packages"), weight=Sum("net_weight"))
    )
    for row in taken:
        line = CommodityLine.objects.get(pk=row["base_line"])
        assert row["packages"] <= (line.packages or 0), (line.lot_number, row)
        assert row["weight"] <= (line.net_weight or Decimal(0)), (line.lot_number, row)


SUCCEEDED: list[str] = []

# The property ---------------------------------------------------------------------------------------------


def test_it_never_breaks_the_table_the_history_or_the_quantities(flow: Flow) -> None:
    starts = [
        flow.coi(COIStatus.ISSUING_BODY_SIGNED).pk,
        flow.coi(COIStatus.BASIS_FOR_EXTRACT).pk,
        flow.coi(COIStatus.DESCRIPTION_COMPLETED).pk,
    ]
    persons = [Person.of(user) for user in _actors(flow)]

    @settings(max_examples=25, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data(), length=st.integers(2, 8))
    def run(data: st.DataObject, length: int) -> None:
        with transaction.atomic():
            for _ in range(length):
                _one_step(flow, persons, starts, data.draw)
            transaction.set_rollback(True)

    run()
    # The runs went somewhere: steps of every family went through, not only refusals.
    assert {"edit", "decide", "extract", "split"} <= set(SUCCEEDED), sorted(set(SUCCEEDED))


def _one_step(flow: Flow, persons: list[Person], starts: list[int], draw: Draw) -> None:
    # Steps act on the starting COIs and on whatever the run made of them (extracts, replacements).
    known = sorted(set(starts) | set(Certificate.objects.filter(base_id__in=starts).values_list("pk", flat=True))
                   | set(Certificate.objects.filter(replaces_id__in=starts).values_list("pk", flat=True)))  # fmt: skip
    coi = queries.detail_queryset().get(pk=draw(st.sampled_from(known)))
    person, (name, action, call) = _pick(coi, persons, draw)
    roles = roles_on(person, coi)
    statuses, boxes = _statuses(), {**snapshot(coi), "_draft": coi.is_draft}
    last_entry = HistoryEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    edited: set[str] = set()
    try:
        with transaction.atomic():
            call(flow, person, coi, _recording(draw, edited))
    except DomainError:
        assert _statuses() == statuses, f"{name} was refused but changed a status"
        return
    finally:
        _check_history(statuses, last_entry)
        _check_boxes(coi, boxes, last_entry)
        _check_extracts()
    _check_allowed(name, action, coi, roles, edited)
    SUCCEEDED.append(name)


def _pick(coi: Certificate, persons: list[Person], draw: Draw) -> tuple[Person, Any]:
    """Anyone, any step; or, more often, a step the table offers to someone on this COI now (so runs go far)."""
    offered = [(p, step) for p in persons for step in STEPS if _offered(step, coi, roles_on(p, coi))]
    if offered and draw(st.integers(0, 3)):
        return draw(st.sampled_from(offered))
    return draw(st.sampled_from(persons)), draw(st.sampled_from(STEPS))


def _offered(step: tuple[str, Action | None, Any], coi: Certificate, roles: set[str]) -> bool:
    name, action, _call = step
    if name == "edit":
        return bool(boxes_open_to(coi, roles))
    if name == "sign":
        return allowed(coi, roles, Action.SIGN_18) or allowed(coi, roles, Action.SIGN_21)
    return action is not None and allowed(coi, roles, action)


def _recording(draw: Draw, edited: set[str]) -> Draw:
    """The draw function, noting which box an edit step chose (for the table's check)."""

    def recording(strategy: st.SearchStrategy[Any]) -> Any:
        value = draw(strategy)
        if isinstance(value, str) and value in EDITS:
            edited.add(BOX_OF_FIELD[value])
        return value

    return recording
