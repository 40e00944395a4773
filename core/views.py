"""Pages that belong to no single domain: home, health."""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import defaults

from core.storage import REMOTE_STORE_ERRORS, StoreUnavailable

RETRY_AFTER_SECONDS = 5


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for a URL no route takes (an unknown page, a negative or too large id): JSON under /api/, as
    every answer of the API is (its OpenAPI document declares this body), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No such object, or not one you may see."), "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """An uncaught error. The database unreachable (restarting, failed over, its connections exhausted:
    `OperationalError`, `InterfaceError`) is a 503 with `Retry-After`: nothing was changed, the same request may
    be sent again in a few seconds (with its `Idempotency-Key` for the API); JSON under /api/, a short page
    elsewhere, both drawn without the database. So is the file store not answering (`core/storage.py`). Any
    other error stays Django's 500."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError, StoreUnavailable, *REMOTE_STORE_ERRORS)):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Server error."), "code": "server_error"}, status=500)
        return defaults.server_error(request)
    message = _("The service is briefly unavailable: nothing was changed. Try again in a few seconds.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
    else:
        title = escape(_("Briefly unavailable"))
        response = HttpResponse(
            f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><main><h1>{title}</h1><p>{escape(message)}</p></main></body></html>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
