"""A document (a COI or an extract) as customs sees it: only what the exchange needs (issue 24, point 1).

Number, form, the status customs sees, the issuing body (box 1), the importer (box 12, an extract's box 5) by
EORI, the lines of box 13 (an extract's box 11: CN code, lot, organic or in-conversion, net weight in kg), the
decision (box 30, an extract's box 12; box 20 on the guides' form) and what remains of each line.

"Depleted" is the status customs sees once nothing remains of a document whose status allows release
(Implementing Reg. (EU) 2024/2145, Annex I, point 2): it is read from the write-offs, the COI's own status
(and its workflow) is left as it is, so a restoration (Art. 7) makes it releasable again at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from certificates.coi_forms import form_of
from certificates.models import Certificate, CommodityLine
from certificates.statuses import COIStatus
from certificates.workflow_records import Step
from core.clock import zoned
from core.typography import colon
from customs.identifiers import normalised_identifier
from customs.models import Movement
from customs.rules import allows_release, cn_matches
from directory.models import IdentifierType
from reference.lists import to_kg

ZERO = Decimal("0.000")


@dataclass
class Lot:
    line: CommodityLine
    cn_code: str
    net_weight: Decimal  # kg
    remaining: Decimal  # kg

    @property
    def written_off(self) -> Decimal:
        return self.net_weight - self.remaining


@dataclass
class Document:
    coi: Certificate
    lots: list[Lot]
    importer_eoris: list[str]
    decision: str

    @property
    def kind(self) -> str:
        return "extract" if self.coi.base_id else "coi"

    @property
    def depleted(self) -> bool:
        return allows_release(self.coi) and all(lot.remaining <= 0 for lot in self.lots)

    @property
    def customs_status(self) -> str:
        return COIStatus.DEPLETED if self.depleted else self.coi.status

    def left_for(self, cn_code: str) -> Decimal:
        return sum((lot.remaining for lot in self.lots if cn_matches(cn_code, lot.cn_code)), ZERO)


# What a document's answer names besides its row (`customs.api.document_out`): read with it.
FOUND_WITH = ("importer", "control_body_code__control_body", "base")


def find(reference: str) -> Certificate | None:
    """The COI or extract of that number (box 3; a draft has none, `customs.identifiers`: case and spaces
    aside), or None."""
    reference = normalised_identifier(reference)
    if not reference:
        return None
    return (
        Certificate.objects.select_related(*FOUND_WITH).filter(number=reference).exclude(status=COIStatus.DRAFT).first()
    )


def remaining(coi: Certificate) -> dict[int, Decimal]:
    """What remains of each line (kg), by line id: its net weight less write-offs plus restorations."""
    lines = CommodityLine.objects.filter(commodity__certificate=coi).values_list("pk", "net_weight", "net_weight_unit")
    moved = _moved(coi)
    return {pk: kg(weight, unit) + (moved.get(pk) or ZERO) for pk, weight, unit in lines}


def _moved(coi: Certificate) -> dict[int, Decimal]:
    """The sum of each line's movements (kg, by line id): restorations less write-offs."""
    signed = Case(
        When(kind__in=Movement.Kind.taking(), then=-F("net_weight")),
        default=F("net_weight"),
        output_field=DecimalField(max_digits=16, decimal_places=3),
    )
    return dict(
        Movement.objects.filter(certificate=coi)
        .values("line")
        .annotate(delta=Coalesce(Sum(signed), Value(ZERO)))
        .values_list("line", "delta")
    )


def kg(weight: Decimal | None, unit: str) -> Decimal:
    return to_kg(weight or ZERO, unit or "kg").quantize(ZERO)


def document(coi: Certificate) -> Document:
    """The customs view of the COI (four queries, whatever its size: its movements' sums, its lines, the importer's
    EORIs and the decision; the lines were read twice)."""
    moved = _moved(coi)
    lines = (
        CommodityLine.objects.filter(commodity__certificate=coi)
        .select_related("commodity__cn_code")
        .order_by("commodity__position", "commodity__pk", "position", "pk")
    )
    lots = []
    for line in lines:
        weight = kg(line.net_weight, line.net_weight_unit)
        lots.append(Lot(line, line.commodity.cn_code.code, weight, weight + (moved.get(line.pk) or ZERO)))
    eoris = []
    if coi.importer_id:
        eoris = list(
            coi.importer.identifiers.filter(type=IdentifierType.EORI).values_list("value", flat=True)  # type: ignore[union-attr]  # importer_id checked
        )
    box = form_of(coi).signed_box_of("decision")  # box 30 of 2021/2306 (an extract's 12), box 20 of the guides'
    decision = coi.signatures.filter(box=box).values_list("decision", flat=True).first() or ""
    return Document(coi, lots, [normalised_identifier(e) for e in eoris], decision)


def depleted_note(coi: Certificate) -> list[str]:
    """The PDF's note once customs has written off everything the document covers (a COI, or an extract)."""
    if not allows_release(coi) or not coi.customs_movements.exists():
        return []
    if not document(coi).depleted:
        return []
    return [_("Depleted for customs: nothing remains to be released under this document (Reg. (EU) 2024/2145).")]


def operations_note(coi: Certificate) -> list[str]:
    """The PDF's account of what customs did with the document (Reg. (EU) 2024/2145, Arts 6 to 8): one sentence
    per write-off, restoration or manual change of its history, in the PDF's language (`HistoryEntry.reads`)."""
    steps = (Step.CUSTOMS_WRITE_OFF, Step.CUSTOMS_RESTORATION, Step.CUSTOMS_MANUAL)
    entries = coi.history.filter(step__in=steps).order_by("at", "pk")
    return [f"{zoned(e.at)} {e.title_on(coi)}{colon()} {e.reads()}" for e in entries]
