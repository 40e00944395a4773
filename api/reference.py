"""API: reference data for forms and scripts: CN codes (search, browse), countries and the COI's fixed lists."""

from __future__ import annotations

from django.db.models import TextChoices
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema

from api.schema import Language, TextIn
from reference.countries import country_choices
from reference.lists import (
    DOCUMENT_FIELD_LABELS,
    DOCUMENT_FIELDS,
    DocumentType,
    PackagingType,
    TransportMode,
    WeightUnit,
    document_fields,
)
from reference.models import CnCode
from reference.nomenclature import cn_categories, cn_path, cn_tree, get_cn, search_cn

router = Router(tags=["reference"])


class CnOut(Schema):
    code: str
    formatted: str
    description: str = Field(description="the code's own text (a leaf: 'Shelled'), in the request's language")
    full_description: str = Field(description="heading, subheading and leaf: what a person reads to choose")
    level: int
    categories: str
    selectable: bool
    in_force: bool


class CnDetailOut(CnOut):
    parent: str | None
    path: list[CnOut]
    children: list[CnOut]


class ChoiceOut(Schema):
    value: str
    label: str


class FieldOut(Schema):
    name: str
    label: str


class DocumentFieldOut(FieldOut):
    required: bool


class DocumentTypeOut(ChoiceOut):
    mandatory_fields: list[FieldOut]
    fields: list[DocumentFieldOut]  # every field of the type, mandatory ones first; any other is refused


class SearchIn(TextIn):
    q: str = Field("", max_length=200)
    limit: int = Field(20, ge=1, le=50)
    lang: Language | None = None


def _language(request: HttpRequest, lang: str | None) -> str:
    return (lang or translation.get_language() or "en")[:2].lower()


def _cn(cn: CnCode) -> dict[str, object]:
    return {
        "code": cn.code,
        "formatted": cn.formatted,
        "description": cn.description,
        "full_description": cn.path,
        "level": cn.level,
        "categories": cn.categories,
        "selectable": cn.selectable,
        "in_force": cn.in_force,
    }


def _choices(choices: type[TextChoices]) -> list[dict[str, str]]:
    return [{"value": value, "label": str(label)} for value, label in choices.choices]


@router.get("reference/cn", response=list[CnOut], summary="Search CN codes (autocompletion)")
def cn_search(request: HttpRequest, filters: Query[SearchIn]) -> list[dict[str, object]]:
    """Selectable codes whose code starts with `q` ('0801 32') or whose description has words starting with the
    words of `q`, in the reader's language ('cajou', 'cashew'); at most `limit` (1-50)."""
    language = _language(request, filters.lang)
    with translation.override(language):
        return [_cn(cn) for cn in search_cn(filters.q, language, limit=max(1, min(filters.limit, 50)))]


@router.get("reference/cn-tree", response=list[CnOut], summary="The chapters of the nomenclature")
def cn_chapters(request: HttpRequest, lang: Language | None = None) -> list[dict[str, object]]:
    with translation.override(_language(request, lang)):
        return [_cn(cn) for cn in cn_tree(None)]


@router.get("reference/cn/{code}", response=CnDetailOut, summary="A CN code with its path and children")
def cn_detail(request: HttpRequest, code: str, lang: Language | None = None) -> dict[str, object]:
    cn = get_cn(code)
    with translation.override(_language(request, lang)):
        return {
            **_cn(cn),
            "categories": cn.categories or "".join(sorted(cn_categories([cn.code]))),
            "parent": cn.parent.code if cn.parent else None,
            "path": [_cn(p) for p in cn_path(cn)],
            "children": [_cn(c) for c in cn_tree(cn.code)],
        }


@router.get("reference/countries", response=list[ChoiceOut], summary="Countries, named in a language")
def countries(request: HttpRequest, lang: Language | None = None, eu_only: bool = False) -> list[dict[str, str]]:
    return [{"value": c, "label": n} for c, n in country_choices(_language(request, lang), eu_only=eu_only)]


@router.get("reference/document-types", response=list[DocumentTypeOut], summary="Accompanying document types")
def document_types(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "value": value,
            "label": str(label),
            "mandatory_fields": [{"name": f, "label": str(DOCUMENT_FIELD_LABELS[f])} for f in DOCUMENT_FIELDS[value]],
            "fields": [{"name": f.name, "label": f.label, "required": f.required} for f in document_fields(value)],
        }
        for value, label in DocumentType.choices
    ]


@router.get("reference/packaging-types", response=list[ChoiceOut], summary="Packaging types (UN/ECE Rec. 21)")
def packaging_types(request: HttpRequest) -> list[dict[str, str]]:
    return _choices(PackagingType)


@router.get("reference/weight-units", response=list[ChoiceOut], summary="Units of weight")
def weight_units(request: HttpRequest) -> list[dict[str, str]]:
    return _choices(WeightUnit)


@router.get("reference/transport-modes", response=list[ChoiceOut], summary="Means of transport (box 17)")
def transport_modes(request: HttpRequest) -> list[dict[str, str]]:
    return _choices(TransportMode)
