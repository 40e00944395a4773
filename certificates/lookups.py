"""Autocompletion for the COI form: products, control bodies (with why one is refused), operators."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from certificates.boxes import normalise_cn
from certificates.rules import ControlBodyRecognised, product_categories
from directory.models import ActivityKind, ControlBodyCode, Operator, RflGrant, Status
from reference.models import CnCode
from reference.nomenclature import search_cn

LIMIT = 20


def products(query: str, language: str | None = None) -> list[CnCode]:
    """Search by part of the name or by CN code (guide 000, 3.1: "sélectionner les produits")."""
    query = query.strip()
    if len(query) < 2:
        return []
    return [c for c in search_cn(query, language, LIMIT) if c.selectable]


def cn_codes(codes: list[str]) -> list[CnCode]:
    wanted = [normalise_cn(c) for c in codes if normalise_cn(c)]
    found = {c.code: c for c in CnCode.objects.filter(code__in=wanted)}
    return [found[c] for c in dict.fromkeys(wanted) if c in found]


@dataclass
class BodyChoice:
    code: ControlBodyCode
    refusal: str | None


def control_bodies(query: str, export_country: str, cn: list[str], limit: int = LIMIT) -> list[BodyChoice]:
    """Box 1: search by code (`MA-BIO-154`) or by name and country of the head office ("ecocert FR"), the first
    `limit`. Each result says why it may not be chosen for this country of export and these products, if it may
    not."""
    words = query.strip().split()
    if not words:
        return []
    qs = ControlBodyCode.objects.select_related("control_body")
    if len(words) == 1 and "-" in words[0]:
        qs = qs.filter(code__istartswith=words[0])
    else:
        last = words[-1]
        if len(words) > 1 and len(last) == 2 and last.isalpha():
            qs = qs.filter(control_body__country=last.upper())
            words = words[:-1]
        name = " ".join(words)
        qs = qs.filter(Q(control_body__name__icontains=name) | Q(code__istartswith=name))
    categories = product_categories(cn_codes(cn))
    export_country = export_country.strip().upper()[:2]
    return [BodyChoice(c, ControlBodyRecognised.refusal(c, export_country, categories)) for c in qs[:limit]]


ACTIVITY_OF_FIELD = {
    "exporter": ActivityKind.EXPORTER,
    "importer": ActivityKind.IMPORTER,
    "first_consignee": ActivityKind.OPERATOR,
    "producer": ActivityKind.PRODUCER,
}


def operators(query: str, field: str, limit: int = LIMIT) -> list[Operator]:
    """Operators by name for boxes 4, 11, 12 and 13 (producer), the first `limit`: those with a Valid profile
    and the activity of the box; for the RFL, operators holding the role at some point of entry."""
    query = query.strip()
    if len(query) < 2:
        return []
    qs = Operator.objects.filter(name__icontains=query, status=Status.VALID)
    if field == "rfl":
        qs = qs.filter(pk__in=RflGrant.objects.filter(revoked_at__isnull=True).values("operator_id"))
    elif field in ACTIVITY_OF_FIELD:
        qs = qs.filter(activities__kind=ACTIVITY_OF_FIELD[field])
    return list(qs.order_by("name_key", "pk").distinct()[:limit])  # collation order, before the limit
