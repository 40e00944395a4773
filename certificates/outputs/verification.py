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

from certificates.models import Certificate
from certificates.outputs.signatures import signatures_of
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


def verification_url(coi: Certificate) -> str:
    """The short absolute URL printed on every page of the PDF and in its QR code."""
    return settings.SITE_URL + reverse("outputs:verify", args=[public_token(coi)])


@dataclass
class PublicProduct:
    cn_code: str
    description: str
    net_weight_kg: Decimal


@dataclass
class PublicView:
    """Everything the public page shows, and nothing else."""

    number: str
    status: str
    status_label: str
    is_draft: bool
    issuing_body: str
    exporter: str
    importer: str
    first_consignee: str
    products: list[PublicProduct] = field(default_factory=list)
    signature_dates: dict[str, datetime.datetime | None] = field(default_factory=dict)


def public_view(coi: Certificate) -> PublicView:
    body = coi.control_body_code
    return PublicView(
        number=coi.number or "",
        status=coi.status,
        status_label=str(coi.get_status_display()),
        is_draft=coi.is_draft,
        issuing_body=f"{body.control_body.name} ({body.code})" if body else "",
        exporter=coi.exporter.name if coi.exporter else "",
        importer=coi.importer.name if coi.importer else "",
        first_consignee=coi.first_consignee.name if coi.first_consignee else "",
        products=_products(coi),
        signature_dates={box: s.signed_at for box, s in signatures_of(coi).items()},
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
