"""The public verification of a COI: an unguessable short token per COI, and what anyone may see with it.

The token is the COI's id (base 36) and an HMAC of its id and number under the deployment's SECRET_KEY, so
no model field is needed, ids cannot be walked, and a printed draft stops verifying once the COI gets its
number. What the page shows is public by design: number, status, issuing body, the parties' names, products
(CN code, net weight) and signature dates; never prices, documents or people's emails.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

from certificates.coi_forms import form_of
from certificates.models import Certificate
from certificates.outputs.seal import SealCheck, check_seal
from certificates.outputs.signed_boxes import signatures_of
from reference.lists import to_kg

SALT = "opencoi.certificates.outputs.verification"
MAC_BYTES = 10  # 80 bits: 16 characters of base 32


def public_token(coi: Certificate) -> str:
    mac = salted_hmac(SALT, f"{coi.pk}:{coi.number or ''}", algorithm="sha256").digest()[:MAC_BYTES]
    return f"{int_to_base36(coi.pk)}-{base64.b32encode(mac).decode().lower()}"


def certificate_for_token(token: str) -> Certificate | None:
    id_part, _sep, mac_part = token.partition("-")
    if not id_part or len(id_part) > 12 or not mac_part:
        return None
    try:
        pk = base36_to_int(id_part)
    except ValueError:
        return None
    coi = Certificate.objects.filter(pk=pk).first()
    if coi is None or not constant_time_compare(public_token(coi), token):
        return None
    return coi


def document_version(coi: Certificate) -> str:
    """The version of the COI a PDF shows, as the seal signs it in the PDF (/OpenCOIVersion): the COI's
    public token and an HMAC of its last change, last step, status and number, so the public page can tell a
    PDF of the latest version from an older one without storing them all ("<token>.<16 hex>")."""
    last_step = coi.history.order_by("-pk").values_list("pk", flat=True).first()
    state = f"{coi.updated_at.isoformat()}|{last_step}|{coi.status}|{coi.number}"
    digest = salted_hmac(SALT + ".version", state, algorithm="sha256").hexdigest()[:16]
    return f"{public_token(coi)}.{digest}"


def verification_url(coi: Certificate) -> str:
    """The short absolute URL printed on every page of the PDF and in its QR code."""
    return settings.SITE_URL + reverse("outputs:verify", args=[public_token(coi)])


@dataclass
class PublicProduct:
    cn_code: str
    description: str
    net_weight_kg: Decimal


@dataclass
class SignedBox:
    """A signed box of the COI's form (of the extract's model for an extract), as the public page lists it."""

    number: str
    title: str
    signed_at: datetime.datetime | None


@dataclass
class PublicView:
    """Everything the public page shows, and nothing else."""

    number: str
    form_code: str
    form_title: str
    is_extract: bool
    status: str
    status_label: str
    is_draft: bool
    issuing_body: str
    exporter: str
    importer: str
    first_consignee: str
    products: list[PublicProduct] = field(default_factory=list)
    signed_boxes: list[SignedBox] = field(default_factory=list)
    base_number: str = ""
    extract_model: bool = False  # an extract of a form with an extract model of its own (2021/2307)


def public_view(coi: Certificate) -> PublicView:
    """What the public page shows, in the active language: the form (its model's title, "1235/2008" or
    "2021/2306"), the status customs sees, and the signed boxes of that form's table with their dates."""
    body = coi.control_body_code
    coi_form = form_of(coi)
    dates = {box: s.signed_at for box, s in signatures_of(coi).items()}
    # A box is named by its title in the form's table, whatever part of it is signed (box 23: "Special customs
    # procedures", the verification being one of its parts), as the form and the COI page name it.
    titles: dict[str, str] = {}
    for box in coi_form.boxes_for(coi):
        titles.setdefault(box.number, str(box.title))
    signed = [
        SignedBox(box.number, titles[box.number], dates.get(box.signature_box))
        for box in coi_form.boxes_for(coi)
        if box.signed and box.number
    ]
    return PublicView(
        number=coi.number or "",
        form_code=coi_form.code,
        form_title=coi_form.title_for(coi),
        is_extract=bool(coi.base_id),
        extract_model=bool(coi.base_id) and coi_form.has_extract_model(),
        base_number=(coi.base.number or "") if coi.base is not None else "",
        status=coi.status,
        status_label=str(coi.get_status_display()),
        is_draft=coi.is_draft,
        issuing_body=f"{body.control_body.name} ({body.code})" if body else "",
        exporter=coi.exporter.name if coi.exporter else "",
        importer=coi.importer.name if coi.importer else "",
        first_consignee=coi.first_consignee.name if coi.first_consignee else "",
        products=_products(coi),
        signed_boxes=signed,
    )


def _products(coi: Certificate) -> list[PublicProduct]:
    products = []
    for commodity in coi.commodities.all():
        total = sum(
            (to_kg(line.net_weight, line.net_weight_unit) for line in commodity.lines.all() if line.net_weight),
            Decimal(0),
        )
        products.append(PublicProduct(commodity.cn_code.formatted, commodity.cn_code.path, total))
    return products


@dataclass(frozen=True)
class SealReport:
    """What the public page says of one PDF's seal: `check` (certificates.outputs.seal.SealCheck, read from
    the PDF itself), whether the PDF is of this COI, and whether it is the COI's latest version."""

    source: str  # "stored": the latest PDF the system holds; "upload": a file the visitor gave
    check: SealCheck
    of_this_coi: bool
    latest: bool

    @property
    def valid(self) -> bool:
        return self.check.valid and self.of_this_coi


def seal_report(coi: Certificate, pdf: bytes, *, source: str) -> SealReport:
    """Check the seal of `pdf` for the COI's public page (ETSI EN 319 142-1 PAdES; the version the seal signs
    is certificates.outputs.verification.document_version)."""
    check = check_seal(pdf)
    of_this = check.version.startswith(public_token(coi) + ".")
    return SealReport(
        source=source, check=check, of_this_coi=of_this, latest=of_this and check.version == document_version(coi)
    )
