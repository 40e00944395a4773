"""The exchange's bodies and answers (OpenAPI at /api/customs/v1/openapi.json). Every body is taken whole or
refused (422; `api.schema.StrictIn`): a field it does not know, a text breaking `core.text`'s rule."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, BeforeValidator

from api.schema import Id, StrictIn, quantity
from customs.identifiers import normalised_cn_code, normalised_identifier

RequestId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
# The identifiers are read as customs writes them, whatever the case and spaces ("fr 4339 68187" is FR433968187):
# `customs.identifiers`.
Normalised = BeforeValidator(normalised_identifier)
# The declaration's Movement Reference Number: two digits of the year, the Member State, 14 letters or digits.
Mrn = Annotated[str, Normalised, Field(pattern=r"^[0-9]{2}[A-Z]{2}[A-Z0-9]{14}$")]
# The declared commodity code: the CN code (8 digits, data element 18 09 057) or the TARIC code (10), spaces
# and dots left out ("0801 32 00").
CnCode = Annotated[str, BeforeValidator(normalised_cn_code), Field(pattern=r"^([0-9]{8}|[0-9]{10})$")]
Eori = Annotated[str, Normalised, Field(min_length=3, max_length=17, pattern=r"^[A-Z]{2}[A-Z0-9]{1,15}$")]
Reference = Annotated[str, Normalised, Field(min_length=1, max_length=30)]
if TYPE_CHECKING:  # a Decimal, read by `api.schema.quantity` (its texts as a person types them)
    Kg = Decimal
    KgOrNothing = Decimal
else:
    Kg = quantity(gt=0, max_digits=14, decimal_places=3, description="net mass in kg")
    KgOrNothing = quantity(ge=0, max_digits=14, decimal_places=3, description="0: nothing any more")
ItemNumber = Annotated[int, Field(ge=1, le=9999)]


class GoodsIn(StrictIn):
    cn_code: CnCode
    net_weight: Kg


class AvailabilityIn(StrictIn):
    """Art. 5: may this document be relied on for these goods of this importer?"""

    request_id: RequestId
    document: Reference = Field(description="the COI's number (box 3) or the extract's")
    importer_eori: Eori
    items: list[GoodsIn] = Field(..., min_length=1, max_length=999)


class ItemIn(StrictIn):
    item_number: ItemNumber
    document: Reference
    cn_code: CnCode
    net_weight: Kg


class DeclarationIn(StrictIn):
    """Art. 6: a declaration accepted with quantity management; every item writes off, or none."""

    request_id: RequestId
    mrn: Mrn
    importer_eori: Eori
    items: list[ItemIn] = Field(..., min_length=1, max_length=999)
    declared_at: AwareDatetime | None = Field(
        None, description="when customs accepted it, with its UTC offset (default: now)"
    )


class AmendedItemIn(StrictIn):
    item_number: ItemNumber
    document: Reference
    cn_code: CnCode
    net_weight: KgOrNothing


class AmendmentIn(StrictIn):
    """Art. 7 (Art. 173 UCC): the amended items; each gives back what it wrote off and writes off its new weight."""

    request_id: RequestId
    importer_eori: Eori
    items: list[AmendedItemIn] = Field(..., min_length=1, max_length=999)


class InvalidationIn(StrictIn):
    """Art. 7 (Art. 174 UCC) or Art. 6(4): give back what the declaration (or the items named) wrote off."""

    request_id: RequestId
    reason: Literal["invalidation", "not_released"] = "invalidation"
    item_numbers: list[ItemNumber] | None = None


class ManualIn(StrictIn):
    """Art. 8: write off or restore a quantity of one line by hand, with the reason."""

    request_id: RequestId
    line: Id
    direction: Literal["write_off", "restore"]
    net_weight: Kg
    reason: str = Field(
        ...,
        max_length=1000,
        description="why, under the changer's responsibility (Art. 8); empty or spaces only: 422 reason_required",
    )


class RecordIn(StrictIn):
    """Art. 9: additional information for a document quoted in a declaration."""

    multiline = frozenset({"text"})

    request_id: RequestId
    document: Reference
    mrn: Mrn
    item_number: ItemNumber | None = None
    text: str = Field(..., min_length=1, max_length=2000)


class RecordChangeIn(StrictIn):
    multiline = frozenset({"text"})

    request_id: RequestId
    text: str = Field(..., min_length=1, max_length=2000)


class RecordDeletionIn(StrictIn):
    request_id: RequestId


class OperationIn(StrictIn):
    """One record made by customs while OpenCOI could not answer (Art. 11), replayed in the order sent."""

    request_id: RequestId
    kind: Literal["declaration", "amendment", "invalidation"]
    occurred_at: AwareDatetime = Field(description="when customs recorded it, with its UTC offset")
    mrn: Mrn
    importer_eori: Eori | None = None
    items: list[AmendedItemIn] | None = None
    reason: Literal["invalidation", "not_released"] = "invalidation"
    item_numbers: list[ItemNumber] | None = None


class ContingencyIn(StrictIn):
    request_id: RequestId
    operations: list[OperationIn] = Field(..., min_length=1, max_length=1000)


# Answers ------------------------------------------------------------------------------------------------


class RefusalOut(Schema):
    code: str
    detail: str
    item: int | None = None


class LineOut(Schema):
    line: int
    cn_code: str
    lot_number: str
    organic_status: str = Field(description="organic or in_conversion (2021/2306), empty on the guides' form")
    net_weight: Decimal = Field(description="kg")
    remaining: Decimal = Field(description="kg")


class DocumentOut(Schema):
    number: str
    kind: Literal["coi", "extract"]
    form: str
    status: str = Field(description="the status customs sees: the COI's, or depleted once nothing remains")
    decision: str = Field(description="box 30 (an extract's box 12; box 20 on the guides' form)")
    release_allowed: bool
    issuing_body: str
    issuing_body_code: str
    importer_eori: list[str]
    base: str | None = Field(None, description="an extract's COI")
    lines: list[LineOut]


class AvailabilityOut(Schema):
    request_id: str
    exists: bool
    available: bool
    refusals: list[RefusalOut]
    document: DocumentOut | None


class TakenOut(Schema):
    line: int
    net_weight: Decimal


class ItemOut(Schema):
    item_number: int
    document: str
    cn_code: str
    net_weight: Decimal
    declared_at: datetime.datetime
    restored: str = Field("", description="amendment, invalidation or not_released once given back")
    lines: list[TakenOut]


class DeclarationOut(Schema):
    request_id: str
    mrn: str
    written_off: list[ItemOut]
    restored: list[ItemOut]
    documents: list[DocumentOut]
    replayed: bool = False


class MovementOut(Schema):
    request_id: str
    kind: str
    line: int
    net_weight: Decimal
    reason: str
    document: DocumentOut
    replayed: bool = False


class RecordOut(Schema):
    request_id: str
    id: int
    document: str
    mrn: str
    item_number: int | None
    text: str
    deleted: bool
    replayed: bool = False


class OutcomeOut(Schema):
    request_id: str
    kind: str
    status: int
    code: str = ""
    detail: str = ""


class ContingencyOut(Schema):
    request_id: str
    results: list[OutcomeOut]
    replayed: bool = False


class ProblemOut(Schema):
    detail: str
    code: str
    item: int | None = None
