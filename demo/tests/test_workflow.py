"""The demo holds a COI in each status of both forms, brought there by the workflow (so with a history)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow_records import Step
from core.tests.security_world import rolled_back
from demo.load import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, loaded once for the module (about 7 s) and undone after it; each test's own changes are undone
    after it."""
    with django_db_blocker.unblock(), rolled_back():
        load_demo()
        yield


def test_the_demo_holds_every_status_with_a_real_history():
    load_demo()  # a second time: idempotent
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == set(COIStatus.values)
    assert Certificate.objects.filter(national_reference="WF-VERIFIED").count() == 1
    received = Certificate.objects.get(national_reference="WF-RECEIVED")
    steps = list(received.history.values_list("step", flat=True))
    assert steps == [Step.SUBMIT, Step.CHECKS, Step.SIGN_18, Step.SIGN_20, Step.SIGN_21]
    base = Certificate.objects.get(national_reference="WF-BATCHES", base__isnull=True)
    assert base.extracts.count() == 3
    old = Certificate.objects.get(national_reference="WF-REPLACED", replaces__isnull=True)
    assert old.status == COIStatus.REPLACED and old.replaced_by.status == COIStatus.ISSUING_BODY_SIGNED


def test_the_demo_s_second_scenario_reaches_the_five_decisions_on_the_2021_2306_form():
    on_2021_2306 = Certificate.objects.filter(form="2021/2306", base__isnull=True)
    decisions = set(on_2021_2306.values_list("signatures__decision", flat=True)) - {""}
    assert set(COIStatus.box30_decisions()) <= decisions
    assert not Certificate.objects.filter(national_reference__startswith="WF-").exclude(form="1235/2008").exists()
    extract = Certificate.objects.filter(national_reference="EU2306-PART", base__isnull=False).earliest(
        "pk"
    )  # the scenario's (demo/customs.py adds one)
    assert (extract.form, extract.status) == ("2021/2306", COIStatus.FIRST_CONSIGNEE_SIGNED)
    not_in_accordance = Certificate.objects.get(national_reference="EU2306-NOT-IN-ACCORDANCE")
    assert not_in_accordance.consignee_in_accordance is False
    assert not_in_accordance.signatures.get(box="31").reason == "Deux cartons aux scellés déchirés"


def test_the_demo_s_2021_2306_decisions_follow_their_checks():
    """Issue 22: each box-30 decision of the demo comes from the checks that lead to it."""

    def coi(reference: str) -> Certificate:
        return Certificate.objects.get(national_reference=reference, base__isnull=True)

    organic, non_organic, part = coi("EU2306-ORGANIC"), coi("EU2306-NON-ORGANIC"), coi("EU2306-PART")
    assert (organic.status, organic.laboratory_result) == (COIStatus.RELEASED_ORGANIC, "satisfactory")
    assert (non_organic.status, non_organic.laboratory_result) == (COIStatus.RELEASED_NON_ORGANIC, "not_satisfactory")
    assert (coi("EU2306-REFUSED").status, coi("EU2306-REFUSED").documentary_check) == (
        COIStatus.CANNOT_BE_RELEASED,
        "not_satisfactory",
    )
    in_conversion = coi("EU2306-IN-CONVERSION")  # not selected: its identity and physical checks not done
    assert (in_conversion.status, in_conversion.identity_check, in_conversion.physical_check) == (
        COIStatus.RELEASED_IN_CONVERSION,
        "not_done",
        "not_done",
    )
    assert part.physical_check == "not_satisfactory" and part.signatures.get(box="30").reason
    assert part.lots_not_satisfactory == "SOF-2026-032"  # only that lot failed: part released
    extract = Certificate.objects.filter(national_reference="EU2306-PART", base__isnull=False).earliest(
        "pk"
    )  # the scenario's (demo/customs.py adds one)
    assert extract.status == COIStatus.FIRST_CONSIGNEE_SIGNED
    assert extract.signatures.get(box="30").decision == COIStatus.RELEASED_ORGANIC
    assert [line.lot_number for line in extract.lines()] == ["SOF-2026-031"]  # the batch holds no failed lot
