"""allauth adapter: emails go out in the language the person chose; the client's address behind proxies."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Sign-up goes through our own form (names, email twice, language, human check).
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address, as allauth reads it: with `ALLAUTH_TRUSTED_PROXY_COUNT` = N (the
        `TRUSTED_PROXY_COUNT` environment variable), the N-th address from the right of X-Forwarded-For, the
        one our outermost proxy saw (addresses a client adds on the left are ignored); with N = 0, the
        connection's address. A request that reached us without passing the N proxies is taken by its
        connection's address instead of failing."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:  # fewer X-Forwarded-For entries than trusted proxies
            address = request.META.get("REMOTE_ADDR")
            if not address:
                raise PermissionDenied("Unable to determine client IP address") from None
            return address
