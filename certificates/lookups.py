"""Autocompletion for the COI form: products, control bodies (with why one is refused), operators, points of entry
and authorities; and the search pickers of every box that names one of them (`Picker`, `picker_of`), with and
without JavaScript (a posted search is answered on the page itself, `search`, and a search left without a choice
is refused at its box, `unresolved`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.boxes import normalise_cn
from certificates.fields import FIELDS, References
from certificates.fields import Body as BodyKind
from certificates.rules import ControlBodyRecognised, product_categories
from core.collation import sorted_names
from core.converters import read_id
from directory.models import ActivityKind, Authority, ControlBodyCode, Operator, PointOfEntry, RflGrant, Status
from reference.countries import country_name
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
    query = query.strip()
    if not query:
        return []
    qs = _bodies(query)
    categories = product_categories(cn_codes(cn))
    export_country = export_country.strip().upper()[:2]
    return [BodyChoice(c, ControlBodyRecognised.refusal(c, export_country, categories)) for c in qs[:limit]]


ACTIVITY_OF_FIELD = {
    "exporter": ActivityKind.EXPORTER,
    "importer": ActivityKind.IMPORTER,
    "first_consignee": ActivityKind.OPERATOR,
    "producer": ActivityKind.PRODUCER,
}


def _operators(query: str, field: str) -> QuerySet[Operator]:
    """Valid operators whose name holds the query's first part, and whose city, postcode or country holds each
    part after a comma ("ACME Bio, Paris", as the picker shows a choice), with the activity of the box."""
    name, *places = [part.strip() for part in query.split(",")]
    qs = Operator.objects.filter(name__icontains=name, status=Status.VALID)
    for place in (p for p in places if p):
        qs = qs.filter(Q(city__icontains=place) | Q(postcode__icontains=place) | Q(country__iexact=place))
    if field == "rfl":
        qs = qs.filter(pk__in=RflGrant.objects.filter(revoked_at__isnull=True).values("operator_id"))
    elif field in ACTIVITY_OF_FIELD:
        qs = qs.filter(activities__kind=ACTIVITY_OF_FIELD[field])
    return qs.order_by("name_key", "pk").distinct()  # collation order, before the limit


def operators(query: str, field: str, limit: int = LIMIT) -> list[Operator]:
    """Operators by name for boxes 4, 11, 12 and 13 (producer), the first `limit`: those with a Valid profile
    and the activity of the box; for the RFL, operators holding the role at some point of entry. A comma
    separates the name from its city (or postcode, or country code): "ACME Bio, Paris"."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(_operators(query, field)[:limit])


def _points(query: str) -> QuerySet[PointOfEntry]:
    """Points of entry (border control posts, control points) by code ("FRLEH"), name ("havre") or country ("FR")."""
    match = Q(code__istartswith=query) | Q(name__icontains=query)
    if len(query) == 2 and query.isalpha():
        match |= Q(country=query.upper())
    return PointOfEntry.objects.filter(match).order_by("country", "name", "pk")


def _authorities(query: str) -> QuerySet[Authority]:
    """Competent authorities (box 10's validating authority) by name or country code ("INAO", "FR")."""
    match = Q(name__icontains=query)
    if len(query) == 2 and query.isalpha():
        match |= Q(country=query.upper())
    return Authority.objects.filter(match, kind=Authority.Kind.COMPETENT).order_by("country", "name", "pk")


def _bodies(query: str) -> QuerySet[ControlBodyCode]:
    """Control body codes by code or by name (and country of the head office), as box 1 searches them."""
    words = query.split()
    qs = ControlBodyCode.objects.select_related("control_body")
    if len(words) == 1 and "-" in words[0]:
        return qs.filter(code__istartswith=words[0])
    if len(words) > 1 and len(words[-1]) == 2 and words[-1].isalpha():
        qs = qs.filter(control_body__country=words[-1].upper())
        words = words[:-1]
    name = " ".join(words)
    return qs.filter(Q(control_body__name__icontains=name) | Q(code__istartswith=name))


# The search pickers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picker:
    """A search picker: what one box's field names (`kind`: "operator", "body", "point", "authority"), by which
    field operators are filtered (the activity of the box, `operators`), and whether it holds several (box 6).

    The picker shows what is chosen (a radio, or a checkbox each when `multiple`), a search field `<name>_q`
    whose results come as typed (htmx) and a "Search" button that posts the page: without JavaScript, the page
    comes back with everything typed and the results under the search (`search`)."""

    kind: str
    field: str
    multiple: bool = False

    def found(self, query: str) -> QuerySet[Any]:
        """What the search finds, in the order shown (no limit)."""
        if self.kind == "operator":
            return _operators(query, self.field)
        if self.kind == "point":
            return _points(query)
        if self.kind == "authority":
            return _authorities(query)
        return _bodies(query)

    def first(self, query: str, limit: int) -> list[Any]:
        """The first `limit` found, in the order a reader expects: operators by their collation key, points of
        entry and authorities (short lists) by name in collation order, control bodies by code."""
        found = self.found(query)
        if self.kind in ("point", "authority"):
            return sorted_names(found, lambda o: o.name)[:limit]
        return list(found[:limit])

    @property
    def no_match(self) -> str:
        return str(NO_MATCH[self.kind])

    def chosen(self, values: Iterable[Any]) -> list[Any]:
        """The objects of posted or stored values (ids; codes for a control body), in their order; the values
        that name none are left out (the save refuses them at the box)."""
        wanted = [str(v).strip() for v in values if str(v).strip()]
        if self.kind == "body":
            by_code = {c.code: c for c in _bodies("").filter(code__in=[v.upper() for v in wanted])}
            return [by_code[v.upper()] for v in dict.fromkeys(wanted) if v.upper() in by_code]
        ids = [i for i in map(read_id, wanted) if i is not None]
        model: type[Model] = {"operator": Operator, "point": PointOfEntry, "authority": Authority}[self.kind]
        found = model._default_manager.in_bulk(ids)
        return [found[i] for i in dict.fromkeys(ids) if i in found]


NO_MATCH = {
    "operator": gettext_lazy("No operator matches."),
    "body": gettext_lazy("No control body matches."),
    "point": gettext_lazy("No point of entry matches."),
    "authority": gettext_lazy("No authority matches."),
}
KIND_OF_TARGET = {Operator: "operator", PointOfEntry: "point", Authority: "authority"}
PRODUCER = re.compile(r"^c-\d+-l-\d+-producer$")


def picker_of(name: str) -> Picker | None:
    """The picker of a field as a page names it: a COI field naming an operator, a control body, an authority or
    a point of entry (`certificates.fields`), a line's producer (`c-0-l-1-producer`), or a step's consignee (an
    extract's, a split's); None for any other name."""
    if PRODUCER.match(name):
        return Picker("operator", "producer")
    if name == "consignee":
        return Picker("operator", "first_consignee")
    row = FIELDS.get(name)
    if row is None:
        return None
    if isinstance(row.kind, BodyKind):
        return Picker("body", name)
    if isinstance(row.kind, References):
        return Picker(KIND_OF_TARGET[row.target], name, multiple=True)
    if row.widget in ("operator", "point", "authority"):
        return Picker(row.widget, name)
    return None


def value_of(obj: Any) -> str:
    """What a picker posts for a choice: a control body's code, another object's id."""
    return str(obj.code) if isinstance(obj, ControlBodyCode) else str(obj.pk)


def label_of(obj: Any) -> str:
    """A choice as a picker shows it: "ACME Bio, Paris (France)", "MA-BIO-154 ECOCERT (France)", "Le Havre
    (France, FRLEH)", "INAO (France)"."""
    if isinstance(obj, Operator):
        return f"{obj.name}, {obj.city} ({country_name(obj.country)})"
    if isinstance(obj, ControlBodyCode):
        return f"{obj.code} {obj.control_body.name} ({country_name(obj.control_body.country)})"
    if isinstance(obj, PointOfEntry):
        return f"{obj.name} ({country_name(obj.country)}, {obj.code})"
    return f"{obj.name} ({country_name(obj.country)})"


@dataclass
class Search:
    """A search typed in a picker and posted with the page: its results (the first `LIMIT`), whether more
    match, and the message at the field when it was left without a choice."""

    query: str
    results: list[Any]
    more: bool
    error: str = ""
    refusals: dict[str, str] = field(default_factory=dict)  # box 1: why a body may not be chosen, by its code


def searches(post: Any) -> dict[str, Search]:
    """The searches posted with a page (`<name>_q` not empty, for a name that has a picker), by field name."""
    found: dict[str, Search] = {}
    for key in post:
        if not key.endswith("_q"):
            continue
        name, query = key[:-2], str(post.get(key, "")).strip()
        picker = picker_of(name)
        if picker is None or not query:
            continue
        results = picker.first(query, LIMIT + 1) if len(query) >= 2 else []
        search = Search(query, results[:LIMIT], len(results) > LIMIT)
        if picker.kind == "body" and name == "control_body_code":  # box 1: why a body may not be chosen
            codes = [str(v) for k, v in post.items() if k.startswith("c-") and k.endswith("-cn")]
            country = str(post.get("export_country", "")).strip().upper()[:2]
            categories = product_categories(cn_codes(codes))
            search.refusals = {
                c.code: reason
                for c in search.results
                if (reason := ControlBodyRecognised.refusal(c, country, categories)) is not None
            }
        found[name] = search
    return found


def unresolved(post: Any, found: dict[str, Search]) -> dict[str, str]:
    """The searches of a posted page left without a choice, with the message to show at each field: a search
    is resolved when what is chosen (`<name>`, several for box 6) is among what it finds."""
    problems = {}
    for name, search in found.items():
        picker = picker_of(name)
        assert picker is not None  # `searches` keeps only names with a picker
        chosen = [str(v).strip() for v in post.getlist(name) if str(v).strip()]
        values = [v.upper() for v in chosen] if picker.kind == "body" else chosen
        key = "code__in" if picker.kind == "body" else "pk__in"
        if picker.kind != "body":
            values = [v for v in values if read_id(v) is not None]
        if values and picker.found(search.query).filter(**{key: values}).exists():
            continue
        search.error = _(
            "You searched for “%(query)s” without choosing: choose one of the results, or empty the search."
        ) % {"query": search.query}
        problems[name] = search.error
    return problems
