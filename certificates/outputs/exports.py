"""Exports of a COI list to CSV and Excel: the same filters as the page (certificates/filters.py), streamed.

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
import datetime
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

from certificates.filters import CertificateFilter
from certificates.models import Certificate
from core import clock
from core.text import printable

CHUNK = 500


def columns() -> list[str]:
    names = [
        _("COI number"),
        _("National reference number"),
        _("Status"),
        _("Issuing control body"),
        _("Exporter"),
        _("Importer"),
        _("First consignee"),
        _("CN codes"),
        _("Countries of origin"),
        _("Country of export"),
        _("Country of destination"),
        _("Member state of release"),
        # The moments, in the site's zone, which the heading names (a spreadsheet's cell holds no zone).
        _("Created (%(zone)s)") % {"zone": clock.city()},
        _("Submitted (%(zone)s)") % {"zone": clock.city()},
        _("Last change (%(zone)s)") % {"zone": clock.city()},
        _("Form"),
    ]
    return [capfirst(name) for name in names]


def export_queryset(found: CertificateFilter) -> QuerySet[Certificate]:
    """The COIs of the list with the same filters (`certificates/filters.py`, read by `certificate_filter`; the
    caller refuses them first when `found.refusals`)."""
    return found.qs.select_related("exporter", "importer", "first_consignee", "control_body_code").prefetch_related(
        "commodities__cn_code"
    )


def rows(found: CertificateFilter) -> Iterator[list[Any]]:
    for coi in export_queryset(found).iterator(chunk_size=CHUNK):
        yield [
            coi.number or "",
            coi.national_reference,
            str(coi.get_status_display()),
            coi.control_body_code.code if coi.control_body_code else "",
            coi.exporter.name if coi.exporter else "",
            coi.importer.name if coi.importer else "",
            coi.first_consignee.name if coi.first_consignee else "",
            " ".join(c.cn_code.code for c in coi.commodities.all()),
            coi.origin_countries,
            coi.export_country,
            coi.destination_country,
            coi.release_member_state,
            _local(coi.created_at),
            _local(coi.submitted_at),
            _local(coi.updated_at),
            coi.form,
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


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The site's time without a zone (what a spreadsheet can hold; the column's heading names the zone)."""
    return clock.local(moment).replace(tzinfo=None, microsecond=0) if moment else None


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
