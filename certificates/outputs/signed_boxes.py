"""Boxes 18 to 21 as the outputs print them, read from the workflow's records (certificates/workflow_records.py).

The outputs never write signatures: they read them. Box 18's signature decides whether the PDF is sealed; a
COI whose status could only be reached after box 18 (e.g. loaded by an older import) counts as signed too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from certificates import queries
from certificates.models import Certificate
from certificates.statuses import COIStatus
from certificates.workflow_records import Checks
from certificates.workflow_records import Signature as SignatureRecord

# Statuses reached only after the issuing body signed box 18 (guide 000, 3.2).
AFTER_BOX_18 = frozenset(COIStatus.values) - {COIStatus.DRAFT, COIStatus.DESCRIPTION_COMPLETED}


@dataclass(frozen=True)
class Signature:
    box: str
    person: str
    organisation: str
    place: str
    signed_at: datetime.datetime | None
    text: str = ""
    decision: str = ""
    # Box 18 signed after box 17's date of departure: the issuing body's reason (issue 11, rule 7).
    late_reason: str = ""
    # Box 21: the first consignee declared the packaging, container or COI not in order (its remark is in `text`).
    not_in_order: bool = False


def signatures_of(coi: Certificate) -> dict[str, Signature]:
    """{box: Signature} for the signed boxes among 18, 20 and 21."""
    return {
        record.box: Signature(
            box=record.box,
            person=record.signer_name,
            organisation=record.organisation,
            place=record.place,
            signed_at=record.signed_at,
            text=record.declaration,
            decision=" ".join(p for p in (str(record.get_decision_display()), record.reason) if p)
            if record.decision
            else "",
            late_reason=record.reason if record.box == SignatureRecord.Box.ISSUING_BODY else "",
            not_in_order=record.not_in_order,
        )
        # Read once per instance (`queries.signatures_of`): the COI page's parts had them prefetched and read them
        # again here.
        for record in sorted(queries.signatures_of(coi), key=lambda r: r.box)
    }


def checks_of(coi: Certificate) -> Checks | None:
    """The issuing body's documentary and physical checks (printed in box 19), if recorded."""
    return Checks.objects.filter(certificate=coi).first()


def box18_signed(coi: Certificate, signatures: dict[str, Signature] | None = None) -> bool:
    signatures = signatures_of(coi) if signatures is None else signatures
    return "18" in signatures or coi.status in AFTER_BOX_18
