"""The customs exchange in the demo (Implementing Reg. (EU) 2024/2145): the customs office of Le Havre port
(FR000690) and its administrator (customs@douane.example, who issues and revokes its machine clients on
/customs/offices/FR000690/clients/), a machine client whose token `make demo` prints, and two COIs of the
2021/2306 scenario written off through the exchange: EU2306-ORGANIC partly, EU2306-IN-CONVERSION fully (customs
sees it Depleted). Idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from certificates.models import Certificate
from customs import documents, quantities
from customs.models import CustomsClient, CustomsOffice, DeclarationItem
from directory.models import Authority

OFFICE_CODE = "FR000690"
CLIENT_NAME = "Demo national single window"
# (national reference of the COI, MRN, share of each CN code's remaining weight written off)
WRITE_OFFS = [
    ("EU2306-ORGANIC", "26FR00000000000001", Decimal("0.4")),
    ("EU2306-IN-CONVERSION", "26FR00000000000002", Decimal(1)),
]


def office() -> CustomsOffice:
    authority, _created = Authority.objects.get_or_create(
        name="Bureau de douane du Havre port", kind=Authority.Kind.CUSTOMS,
        defaults={"country": "FR", "postcode": "76600", "city": "Le Havre", "address": "Terminal de France"},
    )  # fmt: skip
    found, _created = CustomsOffice.objects.get_or_create(code=OFFICE_CODE, defaults={"authority": authority})
    return found


def load_customs_demo() -> int:
    """The office and the write-offs (its administrator's membership is the directory demo's, `ROLES`); returns
    how many declarations it lodged now."""
    caller = quantities.Caller(office())
    lodged = 0
    for reference, mrn, share in WRITE_OFFS:
        coi = Certificate.objects.filter(national_reference=reference, base__isnull=True).first()
        if coi is None or DeclarationItem.objects.filter(mrn=mrn).exists():
            continue
        doc = documents.document(coi)
        if not doc.importer_eoris:
            continue
        per_code: dict[str, Decimal] = {}
        for lot in doc.lots:
            per_code[lot.cn_code] = per_code.get(lot.cn_code, Decimal(0)) + lot.remaining
        items = [
            quantities.Item(n, coi.number or "", code, (weight * share).quantize(Decimal("0.001")))
            for n, (code, weight) in enumerate(per_code.items(), start=1)
        ]
        quantities.declare(caller, mrn=mrn, importer_eori=doc.importer_eoris[0], items=items, request_id=f"demo-{mrn}")
        lodged += 1
    return lodged


def issue_demo_token() -> str:
    """A new token for the demo's machine client (the previous demo tokens revoked): shown once."""
    found = office()
    CustomsClient.objects.filter(office=found, name=CLIENT_NAME, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _client, secret = CustomsClient.issue(found, CLIENT_NAME)
    return secret
