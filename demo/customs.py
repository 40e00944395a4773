"""The customs exchange in the demo (Implementing Reg. (EU) 2024/2145): the customs office of Le Havre port
(FR000690) and its administrator (customs@douane.example, who issues and revokes its machine clients on
/customs/offices/FR000690/clients/), a machine client whose token `make demo` prints, and documents of the
2021/2306 scenario written off through the exchange: EU2306-ORGANIC partly, EU2306-IN-CONVERSION fully (customs
sees it Depleted), and an extract (2021/2307) of EU2306-PART partly (made for it: `released_extract`). Each
through `customs.quantities.declare`, as the exchange's `POST /declarations` does. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow import extracts
from customs import documents, quantities
from customs.models import CustomsClient, CustomsOffice, DeclarationItem
from demo.certificates import _operator
from demo.form_2021_2306 import _decide
from demo.workflow import IMPORTER, person
from directory.models import Authority

OFFICE_CODE = "FR000690"
CLIENT_NAME = "Demo national single window"
# (national reference of the COI, whether its extract is meant, MRN, share of each CN code's remaining weight
# written off)
WRITE_OFFS = [
    ("EU2306-ORGANIC", False, "26FR00000000000001", Decimal("0.4")),
    ("EU2306-IN-CONVERSION", False, "26FR00000000000002", Decimal(1)),
    ("EU2306-PART", True, "26FR00000000000003", Decimal("0.4")),  # its extract, released as organic
]


def written_off(reference: str, extract: bool) -> Certificate | None:
    """The demo's COI of this national reference, or its extract of 2021/2307 released as organic whose goods
    customs releases (`released_extract`; the scenario's first extract, its box 13 signed, allows no more)."""
    if extract:
        return Certificate.objects.filter(
            base__national_reference=reference, base__base__isnull=True, status=COIStatus.RELEASED_ORGANIC
        ).first()
    return Certificate.objects.filter(national_reference=reference, base__isnull=True).first()


def released_extract(reference: str) -> Certificate | None:
    """A second extract of that base (`demo/form_2021_2306.in_part`): 20 cartons, 450 kg of its first lot,
    initiated and submitted by the importer and endorsed as organic (box 12) by the border control post, through
    the workflow's functions; its consignee has not signed box 13 yet: customs may release its goods."""
    base = Certificate.objects.filter(national_reference=reference, base__isnull=True).first()
    commodity = base.commodities.first() if base is not None else None
    lot = commodity.lines.first() if commodity is not None else None
    if base is None or lot is None:
        return None
    foods = _operator("ACME Bio Foods FR")
    extract = extracts.initiate_extract(person(IMPORTER), base.pk, consignee=foods, quantities={lot.pk: (20, "450")})
    extracts.submit_extract(person(IMPORTER), extract.pk)
    return _decide(extract, COIStatus.RELEASED_ORGANIC)


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
    for reference, extract, mrn, share in WRITE_OFFS:
        if DeclarationItem.objects.filter(mrn=mrn).exists():
            continue
        coi = written_off(reference, extract) or (released_extract(reference) if extract else None)
        if coi is None:
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
