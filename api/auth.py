"""How the API knows who calls: a personal token as a Bearer header, or the browser's session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer, django_auth

from accounts.models import ApiToken


def speak_as(request: HttpRequest, user: Any) -> None:
    """The rest of a token's request in the caller's language: the one its `Accept-Language` asks for (a system
    calling for several people says it per request), else its person's (their account's): the refusals of the
    operation's schema (422, before the operation runs), its rules' and its answer. A token's request carries no
    session for the language middleware to read (accounts/middleware.py)."""
    request.user = user
    if user.language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class PersonalToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        speak_as(request, user)
        return user


AUTH = [PersonalToken(), django_auth]
