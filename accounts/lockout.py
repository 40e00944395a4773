"""How django-axes finds the login being tried, whichever form or API sent it, and what it answers."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def client_ip(request: HttpRequest) -> str | None:
    """The address a lockout counts failures for (AXES_CLIENT_IP_CALLABLE): the same as allauth's rate
    limits, read through the trusted proxy depth (`accounts.adapter.AccountAdapter.get_client_ip`); None
    for a request without any (a test client's login)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("email")
    return str(value).strip().lower() if value else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The API gets JSON it can parse; people get a page in their language."""
    if request.path.startswith("/api/"):
        detail = _("Too many failed logins: this account is locked for a while. Try again later.")
        return JsonResponse({"detail": detail, "code": "locked_out"}, status=LOCKED_STATUS)
    return render(request, "accounts/locked_out.html", status=LOCKED_STATUS)
