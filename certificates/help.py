"""The help pages of the certificates app: "Statuses, and who may do what" (the guide's life of a COI in each
language, and the table of who may do what drawn from the workflow's own table, `certificates/matrix.py`) and
"The 2021/2306 form" (its boxes, who fills each and when, and its who-may-do-what tables, drawn from the form's box
table and CSVs in `certificates/coi_forms/`), so neither can drift from what the server enforces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from certificates.coi_forms import Box, FormCode, get_form
from certificates.matrix import Action, actions_for, table
from certificates.statuses import COIRole, COIStatus
from core.help import PAGES

# The decisions of box 30 and the statuses customs sees (Implementing Reg. (EU) 2024/2145, Annex I, point 2); those
# that let the goods be declared for release for free circulation are the form's (`CoiForm.release_statuses`).
CUSTOMS_STATUSES = (
    COIStatus.RELEASED_ORGANIC,
    COIStatus.RELEASED_IN_CONVERSION,
    COIStatus.RELEASED_NON_ORGANIC,
    COIStatus.CANNOT_BE_RELEASED,
    COIStatus.BASIS_FOR_EXTRACT,
    COIStatus.DEPLETED,
    COIStatus.FIRST_CONSIGNEE_SIGNED,
)


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


@dataclass
class BoxRow:
    number: str
    title: str
    who: str
    when: str
    optional: bool
    signed: bool
    part: str


def _who(box: Box) -> str:
    return ", ".join(_("the system") if r == "system" else str(COIRole(r).label) for r in box.filled_by)


def _when(box: Box) -> str:
    start, end = str(COIStatus(box.from_status).label), str(COIStatus(box.until_status).label)
    if box.signed:
        return _("signed in the status %(start)s, which it changes to %(end)s") % {"start": start, "end": end}
    if start == end:
        return _("in the status %(start)s") % {"start": start}
    return _("from %(start)s to %(end)s") % {"start": start, "end": end}


def box_rows(boxes: tuple[Box, ...]) -> list[BoxRow]:
    """The numbered boxes of a form's table, as the help page lists them (box 23's two parts once each)."""
    return [BoxRow(b.number, str(b.title), _who(b), _when(b), b.optional, b.signed, b.part) for b in boxes if b.number]


def matrix_rows_of(path: Path, statuses: tuple[str, ...]) -> list[tuple[str, list[list[str]]]]:
    """A who-may-do-what CSV as the help page's table: each status's label with, per role, the actions."""
    rows_of = table(path)
    rows = []
    for status in statuses:
        cells = [sorted(str(Action(a).label) for a in rows_of.get((status, role), ())) for role in COIRole.values]
        if any(cells):
            rows.append((str(COIStatus(status).label), cells))
    return rows


def form_2021_2306_help(request: HttpRequest) -> HttpResponse:
    """`/help/form-2021-2306/`: the COI of Reg. (EU) 2021/2306 and its extract (2021/2307), among core's help
    pages: prose per language, tables from the form's own box table and who-may-do-what CSVs."""
    language = "fr" if (translation.get_language() or "").startswith("fr") else "en"
    coi_form = get_form(FormCode.R2021_2306)
    context = {
        "title": PAGES["form-2021-2306"],
        "pages": PAGES,
        "page": "form-2021-2306",
        "form": coi_form,
        "boxes": box_rows(coi_form.boxes),
        "part_titles": {part: coi_form.part_title(part) for part in ("issuing", "union")},
        "extract_boxes": box_rows(coi_form.extract_boxes),
        "matrix": matrix_rows_of(coi_form.matrix_csv, coi_form.statuses),
        "extract_matrix": matrix_rows_of(coi_form.extract_matrix_csv, coi_form.statuses),
        "roles": COIRole.choices,
        "customs": [(str(s.label), s in coi_form.release_statuses) for s in CUSTOMS_STATUSES],
    }
    return render(request, f"certificates/help/{language}/form_2021_2306.html", context)
