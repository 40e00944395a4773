"""Help pages: the guides' steps in French and English, and the support contact.

Long prose is written once per language (templates `core/help/<lang>/<page>.html`) rather than as
hundreds of catalogue entries. The page "statuses" holds the table of who may do what, drawn from the
workflow's own table: it is served by `certificates/help.py` (core imports no app of ours).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

PAGES = {
    "registration": _("Registration: your account and your organisation"),
    "certificate": _("Creating a certificate of inspection"),
    "statuses": _("Statuses, and who may do what"),
    # Served by certificates/help.py: its tables are the form's own (certificates/coi_forms/).
    "form-2021-2306": _("The certificate of inspection of Reg. (EU) 2021/2306 and its extract"),
    "contact": _("Contact and support"),
}


def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help/index.html", {"pages": PAGES})


def help_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in PAGES:
        raise Http404
    language = "fr" if (translation.get_language() or "").startswith("fr") else "en"
    context = {"title": PAGES[page], "pages": PAGES, "page": page}
    return render(request, f"core/help/{language}/{page}.html", context)
