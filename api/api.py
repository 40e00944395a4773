"""The machine interface at /api/v1/: one NinjaAPI, one router per domain."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.accounts import router as accounts_router
from api.auth import AUTH
from api.messages import translated
from api.openapi import OpenCoiApi
from core.errors import DomainError
from core.storage import RETRY_AFTER_SECONDS, StoreUnavailable

api = OpenCoiApi(
    title="OpenCOI API",
    version="1",
    description="Certificates of Inspection for organic imports into the EU. "
    "Authenticate with `Authorization: Bearer <token>` (a personal token from your account page, "
    "or one from `POST /api/v1/auth/token`).",
    auth=AUTH,
    urls_namespace="api",
)

api.add_router("/", accounts_router)
api.add_router("/", "api.directory.router")
api.add_router("/", "api.reference.router")
api.add_router("/certificates", "api.sps.router")
api.add_router("/certificates", "api.release.router")
api.add_router("/certificates", "api.certificates.router")
api.add_router("/certificates", "api.workflow.router")
api.add_router("/certificates", "api.steps.router")


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body = {"detail": str(exc.message), "code": exc.code}
    problems = getattr(exc, "problems", None)
    if problems is not None:  # a refusal by the rules: each message at its box
        body["boxes"] = problems
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(StoreUnavailable)
def store_unavailable(request: HttpRequest, exc: StoreUnavailable) -> HttpResponse:
    """The file store did not answer (core/storage.py): 503 with Retry-After, nothing recorded."""
    response = api.create_response(request, {"detail": str(exc), "code": "store_unavailable"}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Authentication required."), "code": "not_authenticated"}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Django Ninja's own refusals, in the caller's language with a code: a JSON body that cannot be parsed
    (400 `bad_request`; Ninja's English "Cannot parse request body" before), any other status as its kind."""
    if isinstance(exc, AuthenticationError):
        return auth_error(request, exc)
    if exc.status_code == 400:
        body = {"detail": _("The request body cannot be read."), "code": "bad_request"}
    else:
        body = {"detail": _("The request cannot be completed."), "code": "refused"}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # The same body as every other refusal (a sentence in `detail`), with each invalid field in `errors`, its
    # `msg` in the caller's language too (`api.messages`).
    body = {"detail": _("Some fields are missing or invalid."), "code": "invalid", "errors": translated(exc.errors)}
    return api.create_response(request, body, status=422)


@api.exception_handler(MultiPartParserError)
def unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body that cannot be parsed at all (a multipart form without its boundary): 400, declared."""
    return api.create_response(
        request, {"detail": _("The request body cannot be read."), "code": "bad_request"}, status=400
    )
