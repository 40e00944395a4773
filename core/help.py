"""Help pages: the guides' steps in French and English, and the support contact.

Long prose is written once per language (templates `core/help/<lang>/<page>.html`) rather than as
hundreds of catalogue entries; the table of who may do what is drawn from the workflow's own table.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from certificates.matrix import Action, actions_for
from certificates.statuses import COIRole, COIStatus

PAGES = {
    "registration": _("Registration: your account and your organisation"),
    "certificate": _("Creating a certificate of inspection"),
    "statuses": _("Statuses, and who may do what"),
    "contact": _("Contact and support"),
}


def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help/index.html", {"pages": PAGES})


def help_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in PAGES:
        raise Http404
    language = "fr" if (translation.get_language() or "").startswith("fr") else "en"
    context = {"title": PAGES[page], "pages": PAGES, "page": page}
    if page == "statuses":
        context["matrix"] = matrix_rows()
        context["roles"] = COIRole.choices
    return render(request, f"core/help/{language}/{page}.html", context)


def matrix_rows() -> list[tuple[str, list[list[str]]]]:
    """Each status's label with, per role, the labels of what that role may do."""
    rows = []
    for status in COIStatus:
        cells = [sorted(str(Action(a).label) for a in actions_for(status, role)) for role in COIRole.values]
        if any(cells) or status in (COIStatus.DRAFT, COIStatus.DESCRIPTION_COMPLETED):
            rows.append((str(status.label), cells))
    return rows
