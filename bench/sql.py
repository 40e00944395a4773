"""Set-based inserts for the generators: one INSERT ... SELECT per table, its column list read from the model."""

from __future__ import annotations

import json

from django.db import connection, models


def literal(field: models.Field) -> str:
    if isinstance(field, models.JSONField) and field.has_default():  # a callable default (list, dict) included
        return "'" + json.dumps(field.get_default()).replace("'", "''") + "'::jsonb"
    if field.has_default() and not callable(field.default):
        value = field.default
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"
    if field.null:
        return "NULL"
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, models.BooleanField):
        return "FALSE"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "0"
    return "''"


def insert_select(model: type[models.Model], count: str, values: dict[str, str], source: str = "") -> int:
    """INSERT one row per `g` in 1..count (or per row of `source`, a FROM clause) with these SQL expressions."""
    columns, exprs = [], []
    given = dict(values)
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in given:
            continue
        expr = given.pop(field.name, None) or given.pop(field.attname, None) or literal(field)
        columns.append(connection.ops.quote_name(field.column))
        exprs.append(expr)
    if given:
        raise ValueError(f"{model.__name__} has no fields {sorted(given)}")
    from_clause = source or f"generate_series(1, {count}) AS g"
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {from_clause}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount
