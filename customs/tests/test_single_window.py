"""The exchange driven by a customs client that is not OpenCOI's code: a separate process speaking HTTP to a live
server (single_window.py): a declaration of two items quoting two COIs, its retry, amendment, two invalidations
and a burst of 20 write-offs (20 at once on PostgreSQL; one at a time on SQLite, which serialises writers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from certificates.statuses import COIStatus

from .conftest import EORI

SCRIPT = Path(__file__).with_name("single_window.py")


@pytest.mark.django_db(transaction=True)
def test_it_serves_a_national_single_window_over_http(live_server, flow, token):
    coi_1, coi_2 = flow.coi(COIStatus.RELEASED_ORGANIC), flow.coi(COIStatus.RELEASED_ORGANIC)
    parallel = "20" if connection.vendor == "postgresql" else "1"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), live_server.url, token, EORI, coi_1.number, coi_2.number, parallel],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    seen = json.loads(done.stdout)
    assert seen["available"] == [200, True]
    assert seen["declared"] == 201
    assert seen["retried"] == [201, True]
    assert seen["after_declaration"] == [["8000.000", "6800.000"], ["8500.000", "6800.000"]]
    assert seen["amended"] == 200
    assert seen["after_amendment"] == [["8200.000", "6800.000"], ["8500.000", "6800.000"]]
    assert seen["invalidated"] == [200, 2, 200, 0]
    assert seen["after_invalidation"] == [["9000.000", "6800.000"], ["9000.000", "6800.000"]]
    assert seen["burst"] == [201] * 15 + [409] * 5
    assert seen["after_burst"] == ["0.000", "800.000"]
