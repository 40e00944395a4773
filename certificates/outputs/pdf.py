"""The COI as a PDF laid out like the official form: boxes 1 to 21 in order, box 13 as a table over as many
pages as it needs, the signatures, the status, a QR code and short URL to the public verification on every
page; in the reader's language. HTML through WeasyPrint (DejaVu through fontconfig); sealed once box 18 is
signed (certificates.outputs.seal, PAdES B-LT), so any PDF reader shows whether it was altered, and the public
page whether it is the latest version (the seal signs `document_version`).
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

from certificates.coi_forms import FormCode, form_of
from certificates.models import Certificate
from certificates.outputs import box_rows
from certificates.outputs.notes import pdf_notes
from certificates.outputs.seal import seal_configured, seal_pdf
from certificates.outputs.signed_boxes import box18_signed, checks_of, signatures_of
from certificates.outputs.verification import document_version, verification_url
from certificates.queries import detail_queryset
from reference.countries import country_name
from reference.lists import PackagingType, TransportMode
from reference.procedures import Procedure


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
        html = render_to_string(form_of(coi).pdf_template, context(coi))
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
    return {
        "coi": coi,
        "status_label": coi.get_status_display(),
        "procedure": _label(Procedure, coi.procedure),
        "origins": [country_name(c) for c in coi.origins],
        "export_country": country_name(coi.export_country),
        "release_member_state": country_name(coi.release_member_state),
        "destination_country": country_name(coi.destination_country),
        "commodities": _commodities(coi),
        "transport_mode": _label(TransportMode, coi.transport_mode),
        "signatures": signatures_of(coi),
        "checks": checks_of(coi),
        "verify_url": url,
        "qr": qr_data_uri(url),
        "printed_at": timezone.localtime(),
        "form": form_of(coi),
        "form_title": form_of(coi).title_for(coi),
        "rows": box_rows.rows(coi) if coi.form == FormCode.R2021_2306 else [],
        "notes": pdf_notes(coi),
    }


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _commodities(coi: Certificate) -> list[dict[str, Any]]:
    return [
        {
            "cn": commodity.cn_code,
            "lines": [
                {"line": line, "packaging": _label(PackagingType, line.packaging_type)}
                for line in commodity.lines.all()
            ],
        }
        for commodity in coi.commodities.all()
    ]
