"""Domain errors: raised by domain functions, shown by pages and the API in the user's language."""

from __future__ import annotations

from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A rule refused the action. `status` is what the API answers (403 by default)."""

    status = 403
    code = "forbidden"

    def __init__(self, message: StrOrPromise, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class NotFound(DomainError):
    """The object does not exist for this person: the same answer as if it did not exist at all."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The object's state no longer allows the action (e.g. someone else signed first)."""

    status = 409
    code = "conflict"


class Invalid(DomainError):
    status = 422
    code = "invalid"
