"""Problems found by the rules, at their boxes, and the refusal that carries them to pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.errors import Invalid

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# {box: [message, ...]}: "1" to "21" as the form numbers its boxes, "documents", "checks", "file", ...
Problems = dict[str, list[str]]


def add(problems: Problems, box: str, message: str) -> None:
    problems.setdefault(box, []).append(message)


def merge(*many: Problems) -> Problems:
    out: Problems = {}
    for problems in many:
        for box, messages in problems.items():
            out.setdefault(box, []).extend(messages)
    return out


class BoxErrors(Invalid):
    """Refused, with the reasons at their boxes: `{box: [message, ...]}` (422 unless `status` says 409)."""

    def __init__(
        self, problems: Problems, message: str | _StrPromise | None = None, *, status: int | None = None
    ) -> None:
        super().__init__(message or _("Some boxes need your attention."), code="boxes", status=status)
        self.problems = problems


def require(problems: Problems, message: str | _StrPromise, *, status: int | None = None) -> None:
    """Raise `BoxErrors` with the problems when there are any: how a step refuses (nothing is changed)."""
    if problems:
        raise BoxErrors(problems, message, status=status)
