"""The COI list: the COIs a person may see, filtered, sorted and paged the same way for pages and the API.

Its query count does not grow with the number of rows: parties are joined, products prefetched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_date

from certificates.access import Person, visible_certificates
from certificates.boxes import normalise_cn
from certificates.models import Certificate, Commodity
from certificates.statuses import COIStatus
from reference.nomenclature import name_match

SORTS = {
    "updated": "-updated_at",
    "created": "-created_at",
    "submitted": "-submitted_at",
    "number": "number",
    "status": "status",
}
PER_PAGE = 25


@dataclass
class Filters:
    status: str = ""
    number: str = ""
    party: str = ""
    product: str = ""
    country: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "updated"

    @classmethod
    def from_params(cls, params: Any) -> Filters:
        def text(name: str) -> str:
            return str(params.get(name) or "").strip()[:100]

        return cls(
            status=text("status") if text("status") in COIStatus.values else "",
            number=text("number"),
            party=text("party"),
            product=text("product"),
            country=text("country").upper()[:2],
            date_from=_date(text("date_from")),
            date_to=_date(text("date_to")),
            sort=text("sort") if text("sort") in SORTS else "updated",
        )


def _date(raw: str) -> datetime.date | None:
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


def filtered(person: Person, filters: Filters) -> QuerySet[Certificate]:
    qs = visible_certificates(person)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.number:
        qs = qs.filter(Q(number__icontains=filters.number) | Q(national_reference__icontains=filters.number))
    if filters.party:
        p = filters.party
        qs = qs.filter(
            Q(exporter__name__icontains=p)
            | Q(importer__name__icontains=p)
            | Q(first_consignee__name__icontains=p)
            | Q(control_body_code__code__icontains=p)
            | Q(control_body_code__control_body__name__icontains=p)
        )
    if filters.product:
        digits = normalise_cn(filters.product)
        match = Q(cn_code__code__startswith=digits) if digits else name_match(filters.product, "cn_code__")
        qs = qs.filter(Exists(Commodity.objects.filter(match, certificate=OuterRef("pk"))))
    if filters.country:
        c = filters.country
        qs = qs.filter(
            Q(export_country=c) | Q(destination_country=c) | Q(release_member_state=c) | Q(origin_countries__contains=c)
        )
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    return qs.order_by(SORTS[filters.sort], "-pk")


def page_of(person: Person, filters: Filters, page: Any, per_page: int = PER_PAGE) -> Page:
    qs = (
        filtered(person, filters)
        .select_related("exporter", "importer", "first_consignee", "control_body_code__control_body")
        .prefetch_related("commodities__cn_code")
    )
    return Paginator(qs, per_page).get_page(page)
