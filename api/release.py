"""API for the steps of the Reg. (EU) 2021/2306 form that the guides' form does not have (boxes 23, 25, 30 and
31; an extract of 2021/2307 signs its boxes 12 and 13 through `decide-30` and `sign-31`), and the two forms'
box tables.

Each step calls one function of `certificates/workflow/release.py`: 404 where the caller may not see the
COI, 403 with the reason when their role may not take the step, 409 when the COI's status no longer allows
it, 422 with the message at its box when a rule refuses. Signatures need two-factor authentication and a
current TOTP `code`. Boxes 19-22, 24 and 26-29 are changed with `PATCH /certificates/{id}`.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema, Status

from api.schema import StrictIn, column
from api.workflow import ERRORS, TOTP_TYPED, StepOut, _out, _person
from certificates.coi_forms import FORMS, FormCode
from certificates.models import Signature
from certificates.services import BoxErrors
from certificates.workflow import release

router = Router(tags=["certificate workflow (2021/2306)"])


class Verify23In(StrictIn):
    """Box 23: the authority's verification of the consignment before the special customs procedure."""

    place: str = column(Signature, "place", ...)
    code: str = Field(..., max_length=TOTP_TYPED)


class Sign25In(StrictIn):
    """Box 25: documentary checks and selection for identity and physical checks."""

    documentary: Literal["satisfactory", "not_satisfactory"]
    selected: bool = Field(description="Selected for identity and physical checks")
    place: str = column(Signature, "place", ...)
    code: str = Field(..., max_length=TOTP_TYPED)


class Decide30In(StrictIn):
    """Box 30 (extract: box 12): released_organic, released_in_conversion, released_non_organic,
    cannot_be_released, or basis_for_extract (part of the consignment can be released; not on an extract)."""

    decision: Literal[
        "released_organic", "released_in_conversion", "released_non_organic", "cannot_be_released", "basis_for_extract"
    ]
    multiline = frozenset({"reason"})

    reason: str = column(Signature, "reason")  # additional information; mandatory for the last two decisions
    place: str = column(Signature, "place", ...)
    code: str = Field(..., max_length=TOTP_TYPED)


class Sign31In(StrictIn):
    """Box 31 (extract: box 13): the consignment in accordance, or not (then with a remark), with point 6 of
    Annex III to Reg. (EU) 2018/848."""

    multiline = frozenset({"remark"})

    in_accordance: bool
    remark: str = column(Signature, "reason")
    place: str = column(Signature, "place", ...)
    code: str = Field(..., max_length=TOTP_TYPED)


class BoxOut(Schema):
    key: str
    number: str
    title_en: str
    title_fr: str
    fields: list[str]
    filled_by: list[str]
    from_status: str
    until_status: str
    optional: bool
    signed: bool


class FormOut(Schema):
    code: str
    title_en: str
    title_fr: str
    boxes: list[BoxOut]
    extract_boxes: list[BoxOut]
    statuses: list[str]


def _refused(exc: BoxErrors) -> Status:
    return Status(422, {"detail": str(exc.message), "code": exc.code, "boxes": exc.problems})


@router.post("/{id:coi_id}/verify-23", response={200: StepOut, **ERRORS}, summary="Box 23: verify (2021/2306)")
def verify_23(request: HttpRequest, coi_id: int, payload: Verify23In) -> dict[str, Any]:
    person = _person(request)
    return _out(person, release.verify_box_23(person, coi_id, **payload.dict()))


@router.post("/{id:coi_id}/sign-25", response={200: StepOut, **ERRORS}, summary="Box 25: documentary check")
def sign_25(request: HttpRequest, coi_id: int, payload: Sign25In) -> Any:
    person = _person(request)
    try:
        return _out(person, release.sign_box_25(person, coi_id, **payload.dict()))
    except BoxErrors as exc:
        return _refused(exc)


@router.post("/{id:coi_id}/decide-30", response={200: StepOut, **ERRORS}, summary="Box 30: the decision")
def decide_30(request: HttpRequest, coi_id: int, payload: Decide30In) -> dict[str, Any]:
    person = _person(request)
    return _out(person, release.decide_box_30(person, coi_id, **payload.dict()))


@router.post("/{id:coi_id}/sign-31", response={200: StepOut, **ERRORS}, summary="Box 31: first consignee")
def sign_31(request: HttpRequest, coi_id: int, payload: Sign31In) -> dict[str, Any]:
    person = _person(request)
    return _out(person, release.sign_box_31(person, coi_id, **payload.dict()))


def _titles(promise: Any) -> tuple[str, str]:
    with translation.override("en"):
        en = str(promise)
    with translation.override("fr"):
        fr = str(promise)
    return en, fr


def _box(box: Any) -> dict[str, Any]:
    en, fr = _titles(box.title)
    return {
        "key": box.key,
        "number": box.number,
        "title_en": en,
        "title_fr": fr,
        "fields": list(box.fields),
        "filled_by": list(box.filled_by),
        "from_status": box.from_status,
        "until_status": box.until_status,
        "optional": box.optional,
        "signed": box.signed,
    }


@router.get("/forms", response=list[FormOut], summary="The two forms of the COI, box by box")
def forms(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for code in FormCode.values:
        coi_form = FORMS[code]
        en, fr = _titles(coi_form.title)
        out.append(
            {
                "code": code,
                "title_en": en,
                "title_fr": fr,
                "boxes": [_box(b) for b in coi_form.boxes],
                "extract_boxes": [_box(b) for b in coi_form.extract_boxes],
                "statuses": list(coi_form.statuses),
            }
        )
    return out
