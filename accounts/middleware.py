"""The account's language wins over the browser's once a person is logged in."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """The logged-in person's language (their account's) for the page. A request that carries an API token
    (`Authorization: Bearer ...`) is the token's person's, who is known only once the API reads the token (the
    API then speaks their language, api/certificates.py `_speak`): a browser's session cookie sent along is not
    read (it cost the session's and the person's rows, two queries, on every API call)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.headers.get("Authorization", "").startswith("Bearer "):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
