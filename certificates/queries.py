"""How a COI is read: one query set for everything its page, PDF, XML and rules read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Model, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable

from certificates.models import DETAIL_RELATED, Certificate, Commodity, CommodityLine, Container
from certificates.workflow_records import Signature
from core.compiled import CompiledQuery
from core.under_lock import holds, known
from directory.models import Operator, OperatorActivity


def _prefetches() -> tuple[Any, ...]:
    return (
        Prefetch("commodities", Commodity.objects.select_related("cn_code__parent__parent__parent")),
        Prefetch(
            "commodities__lines",
            CommodityLine.objects.select_related("producer", "producer_control_body_code__control_body"),
        ),
        "containers",
        "documents",
        "traders",
    )


# What a step's locked read says a COI has none of (`access.lock_annotations`): not read, known empty.
_KNOWN_EMPTY = {"documents": "lock_has_documents", "traders": "lock_has_traders"}


def _parties(coi: Certificate, producers: bool) -> list[Operator]:
    """The operators whose activities the rules read: boxes 4, 11 and 12, and (`producers`) each line's producer."""
    found = [coi.exporter, coi.importer, coi.first_consignee]
    if producers:
        for commodity in coi.commodities.all():
            found += [line.producer for line in commodity.lines.all()]
    return [o for o in found if o is not None]


# The operators' ids as one parameter (a PostgreSQL array, an SQLite JSON array), so that the SQL is the same
# for any number of them, and PostgreSQL reads their rows by the operator's index (`= ANY`).
_ANY_OPERATOR = {
    "postgresql": ('"directory_operatoractivity"."operator_id" = ANY(%s::bigint[])', "{%s}"),
    "sqlite": ('"directory_operatoractivity"."operator_id" IN (SELECT value FROM json_each(%s))', "[%s]"),
}
# Operators' activities with their control body codes: the SQL built once per process (core.compiled), as the
# other reads of a step (building it was half the query's CPU).
_activities_of = CompiledQuery(
    lambda ids: OperatorActivity.objects.select_related("control_body_code").filter(
        RawSQL(_ANY_OPERATOR[connection.vendor][0], [ids], output_field=BooleanField())  # noqa: S611  # fixed SQL, ids as a parameter
    ),
    str,
)


def _ids_parameter(ids: Iterable[int]) -> str:
    return _ANY_OPERATOR[connection.vendor][1] % ",".join(str(int(i)) for i in sorted(ids))


def attach_activities(cois: Iterable[Certificate], *, producers: bool = True) -> None:
    """Every party's activities (with their control body codes) in ONE query for all the COIs' operators, kept
    as each operator's prefetched `activities` (three prefetches and a producers' query before); operators that
    have them already are left alone. `producers`: the lines' producers too (read the lines first)."""
    operators = [o for coi in cois for o in _parties(coi, producers)]
    missing = [o for o in operators if "activities" not in getattr(o, "_prefetched_objects_cache", {})]
    if not missing:
        return
    by_operator: dict[int, list[OperatorActivity]] = {}
    for activity in _activities_of(_ids_parameter({o.pk for o in missing})):
        by_operator.setdefault(activity.operator_id, []).append(activity)
    for operator in missing:
        _keep(operator, "activities", by_operator.get(operator.pk, []))


def _keep(instance: Model, name: str, rows: list[Any]) -> None:
    """`rows` as `instance.<name>.all()`'s result, as prefetch_related keeps it."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = {**getattr(instance, "_prefetched_objects_cache", {}), name: queryset}  # type: ignore[attr-defined]  # Django's prefetch cache


class DetailQuerySet(QuerySet[Certificate]):
    """Certificates read with their detail: the parties' activities are attached once the rows are fetched."""

    def _fetch_all(self) -> None:
        fetched = self._result_cache is not None
        super()._fetch_all()
        if not fetched and self._iterable_class is ModelIterable and self._result_cache:
            attach_activities(self._result_cache)


def detail_queryset() -> QuerySet[Certificate]:
    """A COI with everything its page, PDF and rules read, in a fixed number of queries (6 whatever its size:
    the COI with what it points to, its commodities, their lines, its containers, its documents and every
    party's activities)."""
    return DetailQuerySet(model=Certificate).select_related(*DETAIL_RELATED).prefetch_related(*_prefetches())


# A COI's row with what it points to (`detail_of`): its SQL (ten joins) built once per process (core.compiled).
_detail_row = CompiledQuery(lambda pk: Certificate.objects.select_related(*DETAIL_RELATED).filter(pk=pk))


def detail_of(pk: int) -> Certificate | None:
    """`detail_queryset().filter(pk=pk).first()`, in the same queries, its row's SQL not built again on each call
    (the edit page's first read: building it was a third of the read's CPU)."""
    found = _detail_row(pk)
    return complete_detail(found[0]) if found else None


def complete_detail(coi: Certificate) -> Certificate:
    """The same instance given what `detail_queryset` prefetches and it lacks (`boxes.write` forgets the parts it
    replaces): after a step stored its changes, what it did not change is not read again."""
    lookups = _prefetches()
    for name, annotation in _KNOWN_EMPTY.items():
        if known(coi, annotation) is False and name not in _cache(coi):
            _keep(coi, name, [])
    read_parts(coi)
    prefetch_related_objects([coi], *(lookup for lookup in lookups if _name(lookup) not in _cache(coi)))
    attach_activities([coi])
    return coi


# A COI's commodities, their lines and its containers as `_prefetches` reads them (the same rows, related rows and
# order: the models' own), by SQL built once per process (core.compiled): building the prefetches' SQL was most of
# a step's CPU in `complete_detail` (a box 18 signature, a draft edit, a draft save).
_commodities_of = CompiledQuery(
    lambda pk: Commodity.objects.select_related("cn_code__parent__parent__parent").filter(certificate_id=pk)
)
_lines_of = CompiledQuery(
    lambda pk: CommodityLine.objects.select_related("producer", "producer_control_body_code__control_body").filter(
        commodity__certificate_id=pk
    )
)
_containers_of = CompiledQuery(lambda pk: Container.objects.filter(certificate_id=pk))


def read_parts(coi: Certificate) -> None:
    """What `prefetch_related_objects` would keep of the commodities (with their lines) and the containers the
    instance lacks, each child knowing its parent as a prefetch leaves it (`line.commodity`,
    `commodity.certificate`): what `complete_detail` reads of them, read before it by a step whose rules read the
    products (box 2's procedure), so that they are read once."""
    if "commodities" not in _cache(coi):
        commodities = _commodities_of(coi.pk)
        lines: dict[int, list[CommodityLine]] = {}
        for line in _lines_of(coi.pk):
            lines.setdefault(line.commodity_id, []).append(line)
        for commodity in commodities:
            commodity._state.fields_cache["certificate"] = coi
            for line in lines.get(commodity.pk, []):
                line._state.fields_cache["commodity"] = commodity
            _keep(commodity, "lines", lines.get(commodity.pk, []))
        _keep(coi, "commodities", commodities)
    if "containers" not in _cache(coi):
        containers = _containers_of(coi.pk)
        for container in containers:
            container._state.fields_cache["certificate"] = coi
        _keep(coi, "containers", containers)


def _cache(instance: Model) -> dict[str, Any]:
    return getattr(instance, "_prefetched_objects_cache", {})


def _name(lookup: Any) -> str:
    return str(lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup).split("__")[0]


def with_detail(coi: Certificate) -> Certificate:
    """The same instance (read with `DETAIL_RELATED`, e.g. a step's locked COI) given what `detail_queryset`
    prefetches, read now (5 queries at most): what was prefetched of its detail before is read again."""
    for lookup in _prefetches():  # the detail is read again; what else was read on it (signatures) is kept
        _cache(coi).pop(_name(lookup), None)
    return complete_detail(coi)


def signatures_of(coi: Certificate) -> list[Signature]:
    """The COI's signatures, read once per instance (the rules of a step and its signature ask several times);
    `keep_signature` adds the one a step makes."""
    if getattr(coi, "_signatures_read_in_step", False) and not holds(coi):
        forget_signatures(coi)  # read by a step that has ended: they may have changed since
    if isinstance(coi, Certificate) and "signatures" not in getattr(coi, "_prefetched_objects_cache", {}):
        if known(coi, "lock_has_signatures") is False:  # a step's locked read says it has none
            _keep(coi, "signatures", [])
        else:
            prefetch_related_objects([coi], "signatures")
        coi._signatures_read_in_step = holds(coi)  # type: ignore[attr-defined]  # see above
    return list(coi.signatures.all())


def keep_signature(coi: Certificate, signature: Signature) -> None:
    """A signature just stored, added to the instance's signatures when they were read."""
    cached = getattr(coi, "_prefetched_objects_cache", {}).get("signatures")
    if cached is not None:
        cached._result_cache.append(signature)


def forget_signatures(coi: Certificate) -> None:
    """After signatures were deleted: the next `signatures_of` reads them again."""
    getattr(coi, "_prefetched_objects_cache", {}).pop("signatures", None)
