"""The demo holds COIs in Draft and in Description completed for the guides' actors, and loads twice alike."""

from __future__ import annotations

import pytest

from certificates.models import Certificate
from demo.form_2021_2306 import SCENARIOS
from demo.load import load_demo


@pytest.mark.django_db
def test_it_loads_the_demo_certificates_once():
    load_demo()
    load_demo()
    statuses = sorted(
        Certificate.objects.exclude(national_reference__startswith="WF-")
        .exclude(national_reference__in=SCENARIOS)  # the 2021/2306 scenario (demo/form_2021_2306.py)
        .exclude(base__national_reference__in=SCENARIOS)  # and its extracts
        .values_list("status", flat=True)
    )
    assert statuses == ["description_completed", "description_completed", "draft", "draft"]
    submitted = Certificate.objects.get(national_reference="ACME-2026-001")
    assert submitted.number.startswith("COI.EU.MA.")
    assert submitted.exporter.name == "Atlas Organic Export"
    assert submitted.commodities.get().cn_code.code == "08013200"
