"""The help page "Statuses, and who may do what": the guide's life of a COI in each language, and the table
of who may do what drawn from the workflow's own table (`certificates/matrix.py`), so it cannot drift."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from certificates.matrix import Action, actions_for
from certificates.statuses import COIRole, COIStatus
from core.help import PAGES


def statuses_help(request: HttpRequest) -> HttpResponse:
    """`/help/statuses/`, among core's help pages (same layout and links)."""
    language = "fr" if (translation.get_language() or "").startswith("fr") else "en"
    context = {
        "title": PAGES["statuses"],
        "pages": PAGES,
        "page": "statuses",
        "matrix": matrix_rows(),
        "roles": COIRole.choices,
    }
    return render(request, f"certificates/help/{language}/statuses.html", context)


def matrix_rows() -> list[tuple[str, list[list[str]]]]:
    """Each status's label with, per role, the labels of what that role may do."""
    rows = []
    for status in COIStatus:
        cells = [sorted(str(Action(a).label) for a in actions_for(status, role)) for role in COIRole.values]
        if any(cells) or status in (COIStatus.DRAFT, COIStatus.DESCRIPTION_COMPLETED):
            rows.append((str(status.label), cells))
    return rows
