"""Production settings for the fault tests' app servers (`test_faults.py`), plus one test-only middleware:
a request carrying `X-Test-Answer-Delay: N` is held N seconds (at most 60) right after its transaction
committed, before anything that runs after the commit (`transaction.on_commit` callbacks) and before its
answer is sent, so that a server killed in that window has done the work and lost the answer (what a client
that retries must survive, and the widest window in which work done "after the commit" is lost).

It is the innermost middleware: inside the transaction that `api.idempotency` opens for a request with an
`Idempotency-Key`, its callback is the first registered; a request with no transaction around it is held
after its answer is made."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from opencoi.settings import *  # noqa: F403
from opencoi.settings import MIDDLEWARE


class SlowAnswers:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        delay = min(float(request.headers.get("X-Test-Answer-Delay", "0")), 60.0)
        if delay and transaction.get_connection().in_atomic_block:
            transaction.on_commit(partial(time.sleep, delay))
            return self.get_response(request)
        response = self.get_response(request)
        time.sleep(delay)
        return response


MIDDLEWARE = [*MIDDLEWARE, "core.tests.fault_settings.SlowAnswers"]
