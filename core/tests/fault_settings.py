"""Production settings for the fault tests' app servers (`test_faults.py`), plus one test-only middleware:
a request carrying `X-Test-Answer-Delay: N` has its answer held N seconds (at most 60) after its transaction
committed, before it is sent, so that a server killed in that window has done the work and lost the answer
(what a client that retries must survive)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from opencoi.settings import *  # noqa: F403
from opencoi.settings import MIDDLEWARE


class SlowAnswers:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        time.sleep(min(float(request.headers.get("X-Test-Answer-Delay", "0")), 60.0))
        return response


MIDDLEWARE = ["core.tests.fault_settings.SlowAnswers", *MIDDLEWARE]
