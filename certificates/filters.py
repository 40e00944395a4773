"""The COI list's filters, one FilterSet (django-filter) for the list page, the API's list and the exports.

Each filter reads one query parameter, given once. A value it cannot read (an unknown status, a wrong date, a
country that is not a two-letter ISO code, a text longer than 100 characters or holding a control character, as
`core.text` refuses it everywhere) is refused, never ignored nor cut: the set then matches nothing and `refusals`
says why at each parameter (the list page shows it at its field, the API answers 422, the exports 400). The list
is always sorted (`sort`, default the last change first), then newest first; its query count does not grow with
the number of rows: parties are joined, products prefetched.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from certificates.access import Person, visible_certificates
from certificates.boxes import normalise_cn
from certificates.models import Certificate, Commodity
from certificates.statuses import COIStatus
from core.pages import page_or_404
from core.text import validate_line
from reference.countries import is_country
from reference.nomenclature import name_match

# `sort` value -> the order it gives.
SORTS = {
    "updated": "-updated_at",
    "created": "-created_at",
    "submitted": "-submitted_at",
    "number": "number",
    "status": "status",
}
PER_PAGE = 25
TEXT = 100  # characters a typed filter may have


def _country_code(value: str) -> None:
    if not (len(value) == 2 and value.isalpha() and is_country(value)):
        raise ValidationError(_("Give a country by its two-letter ISO code, e.g. MA."), code="country")


class CountryField(forms.CharField):
    """A country code as the lists hold it, in capitals: `ma` is read as `MA` (and shown back chosen as MA)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).upper()


class CountryFilter(django_filters.CharFilter):
    field_class = CountryField


class FilterForm(forms.Form):
    """The filters' form: a parameter given more than once (`status=a&status=b`) is refused at the parameter,
    rather than one of its values being read and the others ignored; `date_to` before `date_from` is refused at
    `date_to` (it would list nothing, as if no COI had been created then)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", ValidationError(_("This date is before the start date."), code="before"))
        for name in list(self.fields):
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.errors.pop(name, None)  # what is wrong is the repetition, whatever each value is
                self.add_error(name, ValidationError(_("Give this filter once."), code="repeated"))
        return cleaned


class CertificateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=COIStatus.choices)
    number = django_filters.CharFilter(method="by_number", max_length=TEXT, validators=[validate_line])
    party = django_filters.CharFilter(method="by_party", max_length=TEXT, validators=[validate_line])
    product = django_filters.CharFilter(method="by_product", max_length=TEXT, validators=[validate_line])
    country = CountryFilter(method="by_country", validators=[_country_code])
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    sort = django_filters.ChoiceFilter(choices=[(key, key) for key in SORTS], method="sorted_later")
    qs: QuerySet[Certificate]  # django-filter's property (its package ships no types): what the filters found

    class Meta:
        model = Certificate
        fields: list[str] = []
        form = FilterForm

    def by_number(self, qs: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        """Box 3's number or the national reference, in part."""
        return qs.filter(Q(number__icontains=value) | Q(national_reference__icontains=value))

    def by_party(self, qs: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        """The exporter, the importer, the first consignee or the control body (name or code), in part."""
        return qs.filter(
            Q(exporter__name__icontains=value)
            | Q(importer__name__icontains=value)
            | Q(first_consignee__name__icontains=value)
            | Q(control_body_code__code__icontains=value)
            | Q(control_body_code__control_body__name__icontains=value)
        )

    def by_product(self, qs: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        """A CN code's first digits, or words of its name (`reference.nomenclature.name_match`)."""
        digits = normalise_cn(value)
        match = Q(cn_code__code__startswith=digits) if digits else name_match(value, "cn_code__")
        return qs.filter(Exists(Commodity.objects.filter(match, certificate=OuterRef("pk"))))

    def by_country(self, qs: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        """An ISO country code (in capitals, `CountryField`) in boxes 7, 8, 9 or 10."""
        return qs.filter(
            Q(export_country=value)
            | Q(destination_country=value)
            | Q(release_member_state=value)
            | Q(origin_countries__contains=value)
        )

    def sorted_later(self, qs: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        return qs  # the order is given once every filter has run (`filter_queryset`)

    def filter_queryset(self, queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
        if self.refusals:  # a filter that cannot be read matches nothing, rather than being ignored
            return queryset.none().order_by("-pk")
        found: QuerySet[Certificate] = super().filter_queryset(queryset)
        return found.order_by(SORTS[self.chosen["sort"]], "-pk")

    @property
    def refusals(self) -> dict[str, list[str]]:
        """{parameter: [why it is refused, in the active language]}; empty when every filter was read."""
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}

    @property
    def chosen(self) -> dict[str, Any]:
        """The filters as the list page shows them back, as text (dates as YYYY-MM-DD, `sort` always given); a
        refused value as it was typed."""
        self.form.is_valid()
        values: dict[str, Any] = dict.fromkeys(self.filters, "")
        for name, value in self.form.cleaned_data.items():
            if value not in (None, ""):
                values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        data = self.form.data
        for name in self.form.errors:
            values[name] = ", ".join(data.getlist(name)) if hasattr(data, "getlist") else data.get(name, "")
        values["sort"] = values["sort"] or "updated"
        return values


def certificate_filter(person: Person, params: Any) -> CertificateFilter:
    """The filters of `params` (a QueryDict or a dict) over the COIs the person may see."""
    return CertificateFilter(params, queryset=visible_certificates(person))


def page_of(found: CertificateFilter, page: Any, per_page: int = PER_PAGE) -> Page[Certificate]:
    """Page `page` of what the filters found; when a filter is refused, the (empty) first page whatever the
    number asked, so that the page says why rather than "no page N"."""
    qs = found.qs.select_related(
        "exporter", "importer", "first_consignee", "control_body_code__control_body"
    ).prefetch_related("commodities__cn_code")
    return page_or_404(qs, per_page, None if found.refusals else page)
