"""API for the COI's life after submission: one endpoint per step, and the history.

Each endpoint calls one function of `certificates/workflow/`: 404 where the caller may not see the COI,
403 with the reason when their role may not take the step, 409 when the COI's status no longer allows it,
422 when what was sent is incomplete. Signatures need two-factor authentication and a current TOTP `code`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from api.certificates import _speak
from api.schema import Count, Id, StrictIn, column
from certificates.access import Person, get_visible
from certificates.models import Certificate, Checks, Depletion, Signature
from certificates.workflow import after_signature, extracts
from certificates.workflow import certification as coi_steps
from certificates.workflow.offer import relatives, steps_for

router = Router(tags=["certificate workflow"])
TOTP_TYPED = 12  # six digits, spaces allowed
NOTE_LENGTH = 5000  # texts stored without a column limit (history notes, irregularities): a stated bound


class ErrorOut(Schema):
    detail: str
    code: str | None = None
    boxes: dict[str, list[str]] | None = None


ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class StepOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    my_steps: list[str]
    base: int | None
    replaces: int | None
    replaced_by: int | None
    extracts: list[int]


class ChecksIn(StrictIn):
    multiline = frozenset({"documentary_remarks", "physical_remarks"})

    documentary: str = column(Checks, "documentary", ...)
    physical: str = column(Checks, "physical", ...)
    documentary_remarks: str = column(Checks, "documentary_remarks")
    physical_remarks: str = column(Checks, "physical_remarks")


class SignIn(StrictIn):
    """Box 18 (the issuing control body, after its checks, which may be sent here; `late_reason` when signed
    after box 17's date of departure) or box 21 (the consignee; `in_order` false with a `remark` when the
    packaging, container or COI are not in order)."""

    box: str = column(Signature, "box", ...)
    place: str = column(Signature, "place", ...)
    code: str = Field(..., max_length=TOTP_TYPED)
    checks: ChecksIn | None = None
    late_reason: str = ""
    in_order: bool = True
    remark: str = column(Signature, "reason")


class DecideIn(StrictIn):
    """Box 20: consignment_verified, basis_for_extract, released_as_conventional or not_released."""

    multiline = frozenset({"reason"})

    decision: str = column(Signature, "decision", ...)
    place: str = column(Signature, "place", ...)
    code: str = Field(..., max_length=TOTP_TYPED)
    reason: str = column(Signature, "reason")


class QuantityIn(StrictIn):
    line: Id
    packages: Count
    net_weight: Decimal


class ExtractIn(StrictIn):
    consignee: Id
    quantities: list[QuantityIn]
    release_member_state: str | None = column(Certificate, "release_member_state", None)
    validating_authority: Id | None = None
    point_of_entry: Id | None = None


class PartIn(StrictIn):
    consignee: Id
    quantities: list[QuantityIn]


class SplitIn(StrictIn):
    parts: list[PartIn]
    place: str = column(Signature, "place", ...)
    code: str = Field(..., max_length=TOTP_TYPED)


class NoteIn(StrictIn):
    multiline = frozenset({"note"})

    note: str = column(Depletion, "note")


class FlagIn(StrictIn):
    multiline = frozenset({"description"})

    description: str = Field(..., max_length=NOTE_LENGTH)


class DeleteIn(StrictIn):
    multiline = frozenset({"reason"})

    reason: str = Field(..., max_length=NOTE_LENGTH)


class ChangeOut(Schema):
    box: str
    field: str
    old: str
    new: str


class HistoryOut(Schema):
    at: datetime
    actor: str
    organisation: str
    role: str
    step: str
    step_label: str
    old_status: str
    new_status: str
    changes: list[ChangeOut]
    note: str


class LotOut(Schema):
    line: int
    lot_number: str
    trade_name: str
    packages: int
    net_weight: Decimal
    unit: str
    remaining_packages: int
    remaining_net_weight: Decimal


class LotsOut(Schema):
    depleted: bool
    lots: list[LotOut]


def _person(request: HttpRequest) -> Person:
    _speak(request)  # answer in the caller's language, as the drafting endpoints do
    return Person.of_request(request)


def _out(person: Person, coi: Certificate) -> dict[str, Any]:
    coi = Certificate.objects.get(pk=coi.pk)
    found = relatives(person, coi)
    return {
        "id": coi.pk,
        "number": coi.number,
        "status": coi.status,
        "status_label": coi.get_status_display(),
        "my_steps": steps_for(person, coi),
        "base": coi.base_id,
        "replaces": coi.replaces_id,
        "replaced_by": found.replaced_by.pk if found.replaced_by else None,
        "extracts": [e.pk for e in found.extracts],
    }


def _quantities(items: list[QuantityIn], where: list[str | int]) -> dict[int, tuple[Any, Any]]:
    """{line: (packages, net weight)}. A lot sent twice is refused (422 at the second), not read from its last
    entry with the first ignored."""
    found: dict[int, tuple[Any, Any]] = {}
    for index, q in enumerate(items):
        if q.line in found:
            raise ValidationError(
                [{"type": "value_error", "loc": [*where, index, "line"], "msg": _("This lot is given twice.")}]
            )
        found[q.line] = (q.packages, q.net_weight)
    return found


@router.get("/{id:coi_id}/steps", response={200: StepOut, **ERRORS}, summary="Status, my steps now, relatives")
def steps(request: HttpRequest, coi_id: int) -> dict[str, Any]:
    person = _person(request)
    return _out(person, get_visible(person, coi_id))


@router.get("/{id:coi_id}/history", response={200: list[HistoryOut], **ERRORS}, summary="The COI's history")
def history(request: HttpRequest, coi_id: int) -> list[dict[str, Any]]:
    coi = get_visible(_person(request), coi_id)
    return [
        {
            "at": e.at,
            "actor": e.actor_name,
            "organisation": e.organisation,
            "role": e.role,
            "step": e.step,
            "step_label": e.title_on(coi),
            "old_status": e.old_status,
            "new_status": e.new_status,
            "changes": e.changes,
            "note": e.note,
        }
        for e in coi.history.order_by("at", "pk")
    ]


@router.get("/{id:coi_id}/lots", response={200: LotsOut, **ERRORS}, summary="What remains of each lot")
def remaining(request: HttpRequest, coi_id: int) -> dict[str, Any]:
    coi = get_visible(_person(request), coi_id)
    return {
        "depleted": extracts.is_depleted(coi),
        "lots": [
            {
                "line": lot.line.pk,
                "lot_number": lot.line.lot_number,
                "trade_name": lot.line.trade_name,
                "packages": lot.line.packages or 0,
                "net_weight": lot.line.net_weight or 0,
                "unit": lot.line.net_weight_unit,
                "remaining_packages": lot.remaining_packages,
                "remaining_net_weight": lot.remaining_weight,
            }
            for lot in extracts.lots(coi)
        ],
    }


@router.post("/{id:coi_id}/checks", response={200: StepOut, **ERRORS}, summary="Record the issuing body's checks")
def checks(request: HttpRequest, coi_id: int, payload: ChecksIn) -> dict[str, Any]:
    person = _person(request)
    coi_steps.record_checks(person, coi_id, **payload.dict())
    return _out(person, get_visible(person, coi_id))


@router.post("/{id:coi_id}/sign", response={200: StepOut, **ERRORS}, summary="Sign box 18 or box 21")
def sign(request: HttpRequest, coi_id: int, payload: SignIn) -> Any:
    person = _person(request)
    if payload.box == "21":
        coi = coi_steps.sign_box_21(
            person, coi_id, place=payload.place, code=payload.code, in_order=payload.in_order, remark=payload.remark
        )
    else:
        checks = payload.checks.dict() if payload.checks else None
        coi = coi_steps.sign_box_18(
            person, coi_id, place=payload.place, code=payload.code, checks=checks, late_reason=payload.late_reason
        )
    return _out(person, coi)


@router.post("/{id:coi_id}/decide", response={200: StepOut, **ERRORS}, summary="Sign box 20 with a decision")
def decide(request: HttpRequest, coi_id: int, payload: DecideIn) -> dict[str, Any]:
    person = _person(request)
    return _out(person, coi_steps.decide(person, coi_id, **payload.dict()))


@router.post("/{id:coi_id}/extract", response={201: StepOut, **ERRORS}, summary="Draft an extract of some lots")
def extract(request: HttpRequest, coi_id: int, payload: ExtractIn) -> Status:
    person = _person(request)
    boxes_9 = payload.dict(include={"release_member_state", "validating_authority", "point_of_entry"})
    new = extracts.initiate_extract(
        person,
        coi_id,
        consignee=payload.consignee,
        quantities=_quantities(payload.quantities, ["body", "payload", "quantities"]),
        boxes_9=boxes_9,
    )
    return Status(201, _out(person, new))


@router.post(
    "/{id:coi_id}/submit-extract", response={200: StepOut, **ERRORS}, summary="Submit an extract for endorsement"
)
def submit_extract(request: HttpRequest, coi_id: int) -> dict[str, Any]:
    person = _person(request)
    return _out(person, extracts.submit_extract(person, coi_id))


@router.post("/{id:coi_id}/split", response={201: list[StepOut], **ERRORS}, summary="Split into endorsed extracts")
def split(request: HttpRequest, coi_id: int, payload: SplitIn) -> Status:
    person = _person(request)
    parts = [
        {
            "consignee": p.consignee,
            "quantities": _quantities(p.quantities, ["body", "payload", "parts", i, "quantities"]),
        }
        for i, p in enumerate(payload.parts)
    ]
    made = extracts.split(person, coi_id, parts=parts, place=payload.place, code=payload.code)
    return Status(201, [_out(person, e) for e in made])


@router.post("/{id:coi_id}/deplete", response={200: StepOut, **ERRORS}, summary="Mark the base as depleted")
def deplete(request: HttpRequest, coi_id: int, payload: NoteIn) -> dict[str, Any]:
    person = _person(request)
    return _out(person, extracts.deplete(person, coi_id, note=payload.note))


@router.post("/{id:coi_id}/replace", response={201: StepOut, **ERRORS}, summary="Replace by a new editable copy")
def replace(request: HttpRequest, coi_id: int, payload: NoteIn) -> Status:
    person = _person(request)
    return Status(201, _out(person, after_signature.replace(person, coi_id, note=payload.note)))


@router.post("/{id:coi_id}/flag", response={200: StepOut, **ERRORS}, summary="Flag an OFIS irregularity")
def flag(request: HttpRequest, coi_id: int, payload: FlagIn) -> dict[str, Any]:
    person = _person(request)
    return _out(person, after_signature.flag_irregularity(person, coi_id, description=payload.description))


@router.post("/{id:coi_id}/delete", response={200: StepOut, **ERRORS}, summary="Delete, with a reason")
def delete(request: HttpRequest, coi_id: int, payload: DeleteIn) -> dict[str, Any]:
    person = _person(request)
    return _out(person, after_signature.delete(person, coi_id, reason=payload.reason))
