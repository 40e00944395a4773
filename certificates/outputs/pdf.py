"""The COI as a PDF laid out like the official form, drawn from its form's table (`CoiForm.printed_boxes_for`,
`outputs/box_rows.py`) for both forms: every box in order at its number with its title, side by side where the
table says `Box.half` (the guides' boxes 1-12 and 14-17), box 13 as a table over as many pages as it needs, the
signatures, the status, a QR code and short URL to the public verification on every page; in the reader's
language. HTML through WeasyPrint (DejaVu through fontconfig); sealed once box 18 is signed
(certificates.outputs.seal, PAdES B-LT), so any PDF reader shows whether it was altered, and the public page
whether it is the latest version (the seal signs `document_version`).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.coi_forms import CoiForm, form_of
from certificates.models import Certificate
from certificates.outputs import box_rows
from certificates.outputs.notes import pdf_notes
from certificates.outputs.seal import seal_configured, seal_pdf
from certificates.outputs.signed_boxes import box18_signed, signatures_of
from certificates.outputs.verification import document_version, verification_url
from certificates.queries import detail_queryset


@dataclass(frozen=True)
class CoiPdf:
    content: bytes
    filename: str
    sealed: bool


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG data URI (WeasyPrint draws it as vector art, crisp at any print size)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=1, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def render_pdf(coi_id: int, language: str) -> CoiPdf:
    """The PDF of a COI in `language`; sealed when box 18 is signed and the deployment has a seal."""
    import weasyprint  # noqa: PLC0415  # imported here: loading pango is slow and only PDFs need it

    coi = detail_queryset().get(pk=coi_id)
    with translation.override(language):
        html = render_to_string("certificates/outputs/pdf.html", context(coi))
        document = weasyprint.HTML(string=html, base_url=None).write_pdf()
        signatures = signatures_of(coi)
        sealed = box18_signed(coi, signatures) and seal_configured()
        if sealed:
            reason = _("Extract %(number)s") if coi.base_id else _("Certificate of inspection %(number)s")
            document = seal_pdf(document, reason=reason % {"number": coi.number}, version=document_version(coi))
    name = (coi.number or f"draft-{coi.pk}").replace(".", "-")
    return CoiPdf(content=document, filename=f"{name}.pdf", sealed=sealed)


def context(coi: Certificate) -> dict[str, Any]:
    url = verification_url(coi)
    coi_form = form_of(coi)
    signatures = signatures_of(coi)
    rows = box_rows.with_warnings(coi, box_rows.rows(coi, signatures, coi_form.printed_boxes_for(coi)))
    return {
        "coi": coi,
        "status_label": coi.get_status_display(),
        "verify_url": url,
        "qr": qr_data_uri(url),
        "printed_at": timezone.localtime(),
        "form": coi_form,
        "form_title": coi_form.title_for(coi),
        "bands": bands(rows, coi_form),  # each box with the warnings at it, as the COI's page shows them
        "notes": pdf_notes(coi),
    }


@dataclass(frozen=True)
class Band:
    """Boxes printed one after the other: side by side, two a line (`half`, `Box.half`), or each on a whole line."""

    half: bool
    rows: list[box_rows.Row]
    heading: str = ""  # the title of the part the band opens on a new page (`Box.new_page`)


def bands(rows: list[box_rows.Row], coi_form: CoiForm) -> list[Band]:
    """The rows in the PDF's bands: each run of half boxes is one band (a grid of two columns). An optional box
    without a number left empty (the guides' "responsible for the load") is not printed."""
    out: list[Band] = []
    for row in rows:
        if row.empty and row.box.optional and not row.box.number:
            continue
        if row.box.new_page:
            out.append(Band(row.box.half, [], coi_form.part_title(row.box.part)))
        elif not out or out[-1].half != row.box.half:
            out.append(Band(row.box.half, []))
        out[-1].rows.append(row)
    return out
