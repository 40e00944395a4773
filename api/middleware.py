"""The APIs (the main one, the customs exchange's: `CHECKED_APIS`) refuse a query parameter their OpenAPI
document does not declare for the operation (422 at the parameter, as a body field it does not know), instead
of ignoring it: a mistyped filter (`?stauts=draft`) never silently lists
everything."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from api.api import api
from api.messages import translated

PREFIX = "/api/v1"
# The APIs whose every answer is JSON (`JsonAnswersUnderApi`): the main one and the customs exchange's.
JSON_PREFIXES = (f"{PREFIX}/", "/api/customs/v1/")


# The APIs whose operations refuse an undeclared query parameter, by their prefix: the main one, and those the
# apps above register from their `AppConfig.ready` (the customs exchange's; api imports no app above it).
CHECKED_APIS: dict[str, NinjaAPI] = {f"{PREFIX}/": api}


@cache
def _declared() -> list[tuple[re.Pattern[str], str, frozenset[str]]]:
    """(path pattern, method, declared query parameter names) of every operation, from the OpenAPI documents."""
    found = []
    for checked in CHECKED_APIS.values():
        for path, methods in checked.get_openapi_schema()["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$")
            for method, operation in methods.items():
                names = frozenset(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")
                found.append((pattern, method.upper(), names))
    return found


def operation_of(request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The OpenAPI operation of the request (method and path) and the document's schemas, or None."""
    for path, methods in _paths().items():
        if path.match(request.path):
            operation = methods.get((request.method or "").lower())
            if operation is not None:
                return operation, _document().get("components", {}).get("schemas", {})
    return None


@cache
def _document() -> dict[str, Any]:
    return dict(api.get_openapi_schema())


@cache
def _paths() -> dict[re.Pattern[str], dict[str, Any]]:
    return {
        re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$"): methods
        for path, methods in _document()["paths"].items()
    }


def unknown_query_parameters(request: HttpRequest) -> list[str]:
    for pattern, method, names in _declared():
        if method == request.method and pattern.match(request.path):
            return sorted(set(request.GET) - names)
    return []


class RefuseUnknownQueryParameters:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET and request.path.startswith(tuple(CHECKED_APIS)):
            unknown = unknown_query_parameters(request)
            if unknown:
                errors = translated(
                    {"type": "extra_forbidden", "loc": ["query", name], "msg": "Extra inputs are not permitted"}
                    for name in unknown
                )
                body = {"detail": _("Some fields are missing or invalid."), "code": "invalid", "errors": errors}
                return JsonResponse(body, status=422)
        return self.get_response(request)


# What a JSON error answer says for the statuses Django (not the API) may answer with under /api/v1/.
ERROR_ANSWERS = {
    400: ("bad_request", lambda: _("The request cannot be read.")),
    403: ("forbidden", lambda: _("You may not do this.")),
    404: ("not_found", lambda: _("No such object, or not one you may see.")),
    405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    413: ("too_large", lambda: _("The request is too large.")),
    500: ("server_error", lambda: _("The server could not answer: the request was not completed.")),
}


class JsonAnswersUnderApi:
    """Every answer under /api/v1/ and /api/customs/v1/ is JSON, as their OpenAPI documents declare: an error
    answer that Django itself gives in HTML (its 404 page for a path no route takes, `/api/v1/certificates/-1`
    or `.../1%0A`, with DEBUG on as without; its 400, 403 and 500 pages) becomes `{"detail": ..., "code": ...}`
    with the same status. Files the API serves on purpose (documents, exports) are answers of 200 and left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(JSON_PREFIXES) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        fallback = ERROR_ANSWERS[500 if response.status_code >= 500 else 400]
        code, message = ERROR_ANSWERS.get(response.status_code, fallback)
        return JsonResponse({"detail": message(), "code": code}, status=response.status_code)
