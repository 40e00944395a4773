"""Benchmark only (BENCH=1): the site's URLs plus a bare view, the stack's limit to compare with."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path


def bare_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The same COI row as JSON through Django alone: no session, no access check, no template."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, number, status, export_country, destination_country, created_at "
            "FROM certificates_certificate WHERE id = %s",
            [pk],
        )
        row = cursor.fetchone()
    if row is None:
        return JsonResponse({"detail": "not found"}, status=404)
    keys = ["id", "number", "status", "export_country", "destination_country", "created_at"]
    return JsonResponse(dict(zip(keys, row, strict=True)))


urlpatterns = [
    path("bench/bare/<id:pk>", bare_certificate),
    path("", include("opencoi.urls")),
]
