"""Querysets turned into SQL once per process: for the few queries that every page runs.

Django builds a queryset's SQL anew each time it is evaluated. For a query with joins or subqueries that is
about a millisecond of the app server's CPU, several times what PostgreSQL takes to answer it; a COI page runs
a handful of such queries per person (their memberships, the COI's row and version, ...). A `CompiledQuery`
builds its queryset once, with placeholder numbers in place of its arguments, keeps the SQL, and on each call
runs that SQL with the call's numbers. Only the SQL text is kept: every call reads the database afresh, so
nothing can be stale, and the rows become exactly what the queryset gives (model instances with their
`select_related` objects and annotations, or `values_list` tuples or flat values).

    memberships = CompiledQuery(lambda user_id: Membership.objects.filter(user_id=user_id).select_related("operator"))
    memberships(user.pk)  # -> [Membership, ...], the same as list(Membership.objects.filter(...))

Limits (refused with ValueError when the query is first compiled): arguments are integers (ids) or strings
(keys) used as plain values (`=`, not `__in` lists, whose length would change the SQL, nor `__contains`, which
changes the value); no `prefetch_related`; `values_list` of fields alone or of annotations alone.

`wrap` puts the query's SQL inside a statement of its own that gives the same columns (a PostgreSQL `WITH`
whose other part writes: `core.tokens` finds a token and stamps its last use in one statement); the values of
the placeholders it adds, after the query's, are passed as `extra`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models import query as django_query
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable

# Placeholder arguments: values no id or key ever takes, so that each one is found in the SQL's parameters.
_PLACEHOLDER_BASE = -7_345_000_000_000_000_000


def _placeholder(kind: type, index: int) -> int | str:
    if kind is int:
        return _PLACEHOLDER_BASE - index
    if kind is str:
        return f"\x00core.compiled placeholder {index}\x00"
    raise ValueError(f"A CompiledQuery's arguments are int or str, not {kind.__name__}.")


class _Compiled:
    """One queryset's SQL and what is needed to turn its rows into its results, for one database connection."""

    def __init__(
        self, queryset: QuerySet[Any], placeholders: list[int | str], wrap: Callable[[str], str] | None = None
    ) -> None:
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]  # private, not in the stubs
            raise ValueError("A CompiledQuery cannot prefetch_related (it would run other queries).")
        self.kind = queryset._iterable_class
        if self.kind not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
            raise ValueError(f"A CompiledQuery gives model instances or values_list, not {self.kind.__name__}.")
        query = queryset.query
        if self.kind is not ModelIterable and (query.extra_select or (query.annotation_select and query.values_select)):
            # Django orders such columns by its own rules: values_list of fields alone or of annotations alone.
            raise ValueError("A CompiledQuery's values_list holds fields or annotations, not both, nor extra columns.")
        self.alias = queryset.db
        self.compiler = query.get_compiler(using=self.alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        if wrap is not None:
            self.sql = wrap(self.sql)
        # Which parameter takes which argument.
        self.slots: list[tuple[int, int]] = []
        for argument, placeholder in enumerate(placeholders):
            found = [i for i, p in enumerate(self.params) if type(p) is type(placeholder) and p == placeholder]
            if not found:
                raise ValueError(f"Argument {argument} is not a plain value of the query's SQL (an __in list?).")
            self.slots.extend((i, argument) for i in found)
        if self.kind is ModelIterable:
            info = self.compiler.klass_info
            self.model = info["model"]
            fields = info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [column[0].target.attname for column in self.compiler.select[self.start : self.end]]
            self.annotations = dict(self.compiler.annotation_col_map or {})
            # Stateless once built (each keeps positions and setters): built once, not for every call.
            self.populators = django_query.get_related_populators(  # type: ignore[attr-defined]  # not in the stubs
                info, self.compiler.select, self.alias
            )
        # The columns' converters (dates, decimals, JSON, ...), as `results_iter` finds them on each call.
        fields = [s[0] for s in self.compiler.select[0 : self.compiler.col_count]]
        if self.compiler.has_composite_fields(fields):
            raise ValueError("A CompiledQuery reads no composite primary key.")
        self.converters = [
            (position, converters, expression)
            for position, (converters, expression) in self.compiler.get_converters(fields).items()
        ]

    def _converted(self, rows: list[tuple[Any, ...]]) -> list[list[Any]]:
        """`compiler.apply_converters` with the converters found once."""
        connection = self.compiler.connection
        out = []
        for fetched in rows:
            row = list(fetched)
            for position, converters, expression in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            out.append(row)
        return out

    def run(self, values: tuple[int | str | None, ...], extra: tuple[Any, ...] = ()) -> list[Any]:
        params = list(self.params)
        for index, argument in self.slots:
            params[index] = values[argument]
        params.extend(extra)
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        converted = self._converted(rows) if self.converters else rows
        if self.kind is FlatValuesListIterable:
            return [row[0] for row in converted]
        if self.kind is ValuesListIterable:
            return [tuple(row) for row in converted]
        objects = []
        for row in converted:
            obj = self.model.from_db(self.alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class CompiledQuery:
    """`build(*arguments)` -> a QuerySet, compiled on the first call (per thread) and run with each call's
    arguments, of the types given (`int`, the default, or `str`): `query(*arguments)` returns the list the
    queryset would give for them."""

    def __init__(
        self, build: Callable[..., QuerySet[Any]], *types: type, wrap: Callable[[str], str] | None = None
    ) -> None:
        self.build = build
        self.wrap = wrap
        self.types = types or (int,)
        self.placeholders = [_placeholder(kind, i) for i, kind in enumerate(self.types)]
        self._local = threading.local()

    def __call__(self, *arguments: int | str | None, extra: tuple[Any, ...] = ()) -> list[Any]:
        if len(arguments) != len(self.types):
            raise TypeError(f"{len(self.types)} arguments expected, {len(arguments)} given.")
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = _Compiled(self.build(*self.placeholders), self.placeholders, self.wrap)
            self._local.compiled = compiled
        values = tuple(None if a is None else kind(a) for a, kind in zip(arguments, self.types, strict=True))
        return compiled.run(values, extra)
