"""Two people at once, on two real database connections: exactly one succeeds, the other gets a clear 409 and
nothing is lost. Needs PostgreSQL (row locks); SQLite serialises whole transactions and is skipped."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from certificates.statuses import COIStatus
from certificates.workflow import certification as steps
from certificates.workflow import extracts
from certificates.workflow_records import Signature, Step
from core.errors import Conflict

from .factories import member_of
from .workflow_world import CHECKS, make_flow, two_factor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"),
]


@pytest.fixture
def flow(world):
    return make_flow(world)


def race(first: Any, second: Any, monkeypatch: Any) -> tuple[list[Any], float]:
    """Run `first` then `second` in two threads, each on its own connection; `first` holds the row lock a
    while before going on, so `second` really waits on it. Returns both outcomes and how long `second` waited."""
    locked = threading.Event()
    real_locked = steps.locked

    def slow_locked(person: Any, pk: int) -> Any:
        coi = real_locked(person, pk)
        if threading.current_thread().name == "first":
            locked.set()
            time.sleep(0.5)
        return coi

    monkeypatch.setattr(steps, "locked", slow_locked)
    monkeypatch.setattr(extracts, "locked", slow_locked)
    outcomes: list[Any] = [None, None]
    waited = [0.0]

    def run(i: int, fn: Any) -> None:
        translation.activate("en")  # each thread starts in the default language
        try:
            if i == 1:
                locked.wait(5)
                start = time.monotonic()
            outcomes[i] = fn()
        except Exception as exc:  # the outcome is asserted by the test
            outcomes[i] = exc
        finally:
            if i == 1:
                waited[0] = time.monotonic() - start
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, fn), name=n)
        for i, (fn, n) in enumerate([(first, "first"), (second, "second")])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    return outcomes, waited[0]


def test_two_signers_of_box_18_exactly_one_succeeds(flow, monkeypatch):
    coi = flow.w.submitted()
    colleague = member_of(flow.w.control_body.memberships.first().control_body_code, email="second@ecocert.example")
    two_factor(colleague)
    a, b = flow.person(flow.w.control_body), flow.person(colleague)
    outcomes, waited = race(
        lambda: steps.sign_box_18(a, coi.pk, place="Agadir", checks=CHECKS),
        lambda: steps.sign_box_18(b, coi.pk, place="Casablanca", checks=CHECKS),
        monkeypatch,
    )
    assert outcomes[0].status == COIStatus.ISSUING_BODY_SIGNED
    assert isinstance(outcomes[1], Conflict), outcomes[1]
    assert "no longer possible" in str(outcomes[1].message) and "Box 18 signed" in str(outcomes[1].message)
    assert waited >= 0.3  # the second one waited on the row lock
    coi.refresh_from_db()
    assert coi.status == COIStatus.ISSUING_BODY_SIGNED
    assert list(Signature.objects.filter(certificate=coi).values_list("place", flat=True)) == ["Agadir"]
    assert coi.history.filter(step=Step.SIGN_18).count() == 1


def test_two_authorities_deciding_box_20_exactly_one_succeeds(flow, monkeypatch):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    inao, border = flow.person(flow.w.inao_agent), flow.person(flow.w.border_agent)
    outcomes, _waited = race(
        lambda: steps.decide(inao, coi.pk, decision=COIStatus.CONSIGNMENT_VERIFIED, place="Paris"),
        lambda: steps.decide(border, coi.pk, decision=COIStatus.NOT_RELEASED, place="Le Havre", reason="Fraud"),
        monkeypatch,
    )
    assert isinstance(outcomes[1], Conflict)
    coi.refresh_from_db()
    assert coi.status == COIStatus.CONSIGNMENT_VERIFIED
    assert Signature.objects.filter(certificate=coi, box="20").count() == 1


def test_two_extracts_of_the_last_packages_never_exceed_the_base(flow, monkeypatch):
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    line = base.commodities.first().lines.get(lot_number="LOT-A")  # 400 packages, 9000 kg
    importer, forwarder = flow.person(flow.w.importer), flow.person(flow.w.forwarder)

    def take(person: Any) -> Any:
        return extracts.initiate_extract(
            person, base.pk, consignee=flow.w.foods.pk, quantities={line.pk: (300, "6000")}
        )

    outcomes, _waited = race(lambda: take(importer), lambda: take(forwarder), monkeypatch)
    assert outcomes[0].base_id == base.pk
    assert "remain" in str(outcomes[1])
    assert [lot.remaining_packages for lot in extracts.lots(base)][0] == 100
