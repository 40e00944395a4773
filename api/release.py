"""API for the two forms' box tables (`GET /certificates/forms`). The steps of the 2021/2306 form (boxes 23, 25,
30 and 31; an extract of 2021/2307 signs its boxes 12 and 13 through `decide-30` and `sign-31`) are routed with
every other step from their declarations (`api/steps.py`); boxes 19-22, 24 and 26-29 are changed with
`PATCH /certificates/{id}`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Schema

from certificates.coi_forms import FORMS, FormCode

router = Router(tags=["certificate workflow (2021/2306)"])


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
