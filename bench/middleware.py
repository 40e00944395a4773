"""Benchmark only (BENCH=1): each request's SQL queries into an X-Query-Count header and the CPU time the
app server's process spent on it into X-Cpu-Ms (gunicorn's sync workers serve one request at a time, so the
process's CPU clock between the request's start and end is that request's cost; PostgreSQL's share is not in it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        started = time.process_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        response["X-Cpu-Ms"] = f"{(time.process_time() - started) * 1000:.2f}"
        return response
