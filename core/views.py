"""Pages that belong to no single domain: home, health."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for a URL no route takes (an unknown page, a negative or too large id): JSON under /api/, as
    every answer of the API is (its OpenAPI document declares this body), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No such object, or not one you may see."), "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
