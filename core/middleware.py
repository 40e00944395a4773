"""Pages answer a refusal as a page saying why, never as a server error.

A domain rule that refuses (`core.errors.DomainError`: 403 not allowed, 404 not yours to see, 409 the COI's
status no longer allows it, 422 what was sent cannot be taken) and reaches a page view unhandled is shown
as `core/refused.html` with the rule's own sentence, in the person's language, and its status code. The API
has its own handlers (`api/api.py`), which answer JSON.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import DomainError

PAGE_STATUSES = (403, 404, 409, 422)
TITLES = {
    403: lambda: _("Refused"),
    404: lambda: _("Page not found"),
    409: lambda: _("No longer possible"),
    422: lambda: _("Not accepted"),
}


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        status = exception.status if exception.status in PAGE_STATUSES else 403
        context = {"title": TITLES[status](), "reason": str(exception.message)}
        return render(request, "core/refused.html", context, status=status)
