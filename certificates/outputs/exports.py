"""Exports of a COI list to CSV and Excel: the same filters as the page (certificates/filters.py), streamed.

The columns are the field table's rows (`certificates/fields.py`): a field added there, in a box of a form,
is a column here. Each heading names the field and its box on each form that has it; each COI's cells are
its own form's (empty for a field its form has no box for), given by the field's kind (`Kind.cell`).

Every value is written as text, never as a formula: CSV cells starting with `=`, `+`, `-`, `@`, tab or
carriage return get a leading apostrophe (OWASP, "CSV Injection"), which spreadsheet programs show as text;
Excel cells holding text are typed as strings (`t="s"`), which Excel never evaluates, so the value is kept
exactly. Characters refused since issue 12 (`core.text`) but stored before are shown as U+FFFD.

Rows are read with `.iterator(chunk_size=...)` (prefetching products per chunk), so memory holds one chunk
whatever the size of the list: CSV goes out as it is written; Excel (write-only workbook) is written to a
temporary file that is then streamed and removed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from certificates.coi_forms import FORMS, CoiForm, form_of
from certificates.fields import Body, Moment, Nested, Reference, References, Row, boxed_rows, local_moment
from certificates.filters import CertificateFilter
from certificates.models import Certificate
from core import clock
from core.text import printable
from core.typography import colon

CHUNK = 500


def heading(row: Row) -> str:
    """A field's column heading: its label and, for each form that has it, its box there ("Exporter: 1235/2008,
    box 4; 2021/2306, box 5"); a time's heading names the site's zone (the cell holds none)."""
    label = capfirst(row.label)
    if isinstance(row.kind, Moment):
        label = _("%(label)s (%(zone)s)") % {"label": label, "zone": clock.city()}
    where = [_where(code, coi_form, row) for code, coi_form in FORMS.items() if row.box_on(coi_form)]
    return f"{label}{colon()} {'; '.join(where)}"


def _where(code: str, coi_form: CoiForm, row: Row) -> str:
    number = coi_form.number_of(row.name)
    return _("%(form)s, box %(number)s") % {"form": code, "number": number} if number else code


def columns() -> list[str]:
    names = [
        _("COI number"),
        *(heading(row) for row in boxed_rows()),
        _("Status"),
        _("Form"),
        # The moments, in the site's zone, which the heading names (a spreadsheet's cell holds no zone).
        _("Created (%(zone)s)") % {"zone": clock.city()},
        _("Submitted (%(zone)s)") % {"zone": clock.city()},
        _("Last change (%(zone)s)") % {"zone": clock.city()},
    ]
    return [capfirst(name) for name in names]


def export_queryset(found: CertificateFilter) -> QuerySet[Certificate]:
    """The COIs of the list with the same filters (`certificates/filters.py`, read by `certificate_filter`; the
    caller refuses them first when `found.refusals`), with what the field rows print fetched per chunk."""
    fields = boxed_rows()
    joined = [row.name for row in fields if isinstance(row.kind, (Reference, Body))]
    listed = [_prefetch(row) for row in fields if isinstance(row.kind, (References, Nested))]
    return found.qs.select_related(*joined).prefetch_related(*listed)


def _prefetch(row: Row) -> str:
    """A list's prefetch, with what its cell reads of each item ("commodities__cn_code")."""
    return "__".join([row.name, *row.item.split(".")[:-1]])


def rows(found: CertificateFilter) -> Iterator[list[Any]]:
    """A line per COI: each field as its own form has it (empty where its form has no box for the field)."""
    fields = boxed_rows()
    for coi in export_queryset(found).iterator(chunk_size=CHUNK):
        coi_form = form_of(coi)
        yield [
            coi.number or "",
            *(row.cell(coi) if row.box_on(coi_form) else "" for row in fields),
            str(coi.get_status_display()),
            coi.form,
            local_moment(coi.created_at),
            local_moment(coi.submitted_at),
            local_moment(coi.updated_at),
        ]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV field that no spreadsheet program turns into a formula (OWASP: prefix with a quote)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ")
    text = printable(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """An Excel cell: text typed as a string (never a formula), dates as dates."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=printable(value))
    cell.data_type = "s"
    return cell


def _filename(ext: str) -> str:
    return f"coi-{timezone.localdate().isoformat()}.{ext}"


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def csv_response(found: CertificateFilter) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        yield writer.writerow(columns())
        for row in rows(found):
            yield writer.writerow([csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(found: CertificateFilter) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Certificates"))
    sheet.append(columns())
    for row in rows(found):
        sheet.append([xlsx_cell(sheet, v) for v in row])
    # TemporaryFile has no name on disk once closed; FileResponse closes it after streaming.
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
