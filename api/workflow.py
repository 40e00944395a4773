"""API for the COI's life after submission: its status and my steps now, its history, what remains of its lots,
and what every step answers (`StepOut`, refusals `ErrorOut`). The steps' own routes are drawn from their
declarations (`api/steps.py`, from `certificates/workflow/steps.STEPS`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import ValidationError

from api.schema import Count, Id, Quantity, StrictIn
from certificates.access import Person, get_visible
from certificates.models import Certificate
from certificates.workflow import extracts
from certificates.workflow.offer import Relatives, relatives, steps_for

router = Router(tags=["certificate workflow"])


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


class QuantityIn(StrictIn):
    line: Id
    packages: Count
    net_weight: Quantity


class PartIn(StrictIn):
    consignee: Id
    quantities: list[QuantityIn]


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
    return Person.of_request(request)


def _out(person: Person, coi: Certificate, *, read: bool = False, new: bool = False) -> dict[str, Any]:
    """A step's answer; `read`: `coi` is as stored now, read with its point of entry (a step's locked COI,
    changed in place, or one it made), not read again; `new`: the step made it, so it has no extract and no
    replacement yet."""
    if not read:
        coi = Certificate.objects.select_related("point_of_entry").get(pk=coi.pk)
    found = Relatives() if new else relatives(person, coi, with_lots=False, after_step=read)
    return {
        "id": coi.pk,
        "number": coi.number,
        "status": coi.status,
        "status_label": coi.get_status_display(),
        "my_steps": steps_for(person, coi, found),
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
            "note": e.reads(),  # in the caller's language (`HistoryEntry.said`)
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
