"""Boxes 18, 20 and 21 as the outputs print them, read from the workflow's records (issue 5).

The outputs never write signatures: they read them. Until the workflow records a signature, the box is
printed empty; whether box 18 is signed (and so whether the PDF is sealed) then follows from the status.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from certificates.models import Certificate
from certificates.statuses import COIStatus

SIGNED_BOXES = ("18", "20", "21")
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


def signatures_of(coi: Certificate) -> dict[str, Signature]:
    """{box: Signature} for the signed boxes among 18, 20 and 21."""
    records = _workflow_signatures(coi)
    return {s.box: s for s in records if s.box in SIGNED_BOXES}


def box18_signed(coi: Certificate, signatures: dict[str, Signature] | None = None) -> bool:
    signatures = signatures_of(coi) if signatures is None else signatures
    return "18" in signatures or coi.status in AFTER_BOX_18


def _workflow_signatures(coi: Certificate) -> list[Signature]:
    try:
        from certificates import workflow_models
    except ImportError:  # the workflow is not there yet: every box is printed empty
        return []
    model: Any = getattr(workflow_models, "Signature", None)
    if model is None:
        return []
    return [_from_record(record) for record in model.objects.filter(certificate=coi).order_by("pk")]


def _from_record(record: Any) -> Signature:
    def first(*names: str) -> Any:
        for name in names:
            value = getattr(record, name, None)
            if value not in (None, ""):
                return value() if callable(value) else value
        return ""

    return Signature(
        box=str(first("box")),
        person=str(first("signer_name", "name", "person_name")),
        organisation=str(first("organisation_name", "organisation")),
        place=str(first("place")),
        signed_at=first("signed_at", "at", "date") or None,
        text=str(first("declaration", "text")),
        decision=str(first("get_decision_display", "decision")),
    )


def box20_signed_at() -> Any:
    """A subquery giving, per COI, when box 20 was signed (the release decision); None without the workflow."""
    from django.db.models import DateTimeField, OuterRef, Subquery

    try:
        from certificates import workflow_models
    except ImportError:
        return None
    model: Any = getattr(workflow_models, "Signature", None)
    if model is None:
        return None
    signed = model.objects.filter(certificate=OuterRef("pk"), box="20").order_by("pk").values("signed_at")[:1]
    return Subquery(signed, output_field=DateTimeField())
