"""The demo holds a COI in each of the eleven statuses, brought there by the workflow (so with a history)."""

from __future__ import annotations

import pytest

from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow.models import Step
from demo.load import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_every_status_with_a_real_history():
    load_demo()
    load_demo()  # idempotent
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
