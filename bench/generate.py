"""Fill a PostgreSQL database with a member state's years of COIs, set-based (INSERT ... SELECT).

    DATABASE_URL=postgres://... python bench/generate.py --scale 1000000

Every row is built by PostgreSQL from `generate_series`, so a million COIs with five lines each take
minutes, not hours. Column lists come from the Django models, so the generator follows the schema:
a field it does not name gets its model default (or NULL / '').
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencoi.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from stdnum import iso6346  # noqa: E402

from bench.history import generate_history  # noqa: E402
from bench.sql import insert_select  # noqa: E402
from core.collation import collation_text  # noqa: E402

CONTROL_BODIES = 50
OPERATORS = 2000
YEARS = 10
THIRD_COUNTRIES = [
    "MA",
    "TN",
    "EG",
    "PE",
    "EC",
    "CO",
    "DO",
    "IN",
    "LK",
    "VN",
    "CN",
    "TR",
    "UA",
    "KZ",
    "BR",
    "MX",
    "KE",
    "UG",
    "TZ",
    "ET",
    "GH",
    "CI",
    "SN",
    "MG",
]
MEMBER_STATES = ["FR", "DE", "NL", "IT", "ES", "BE", "AT", "DK", "SE", "PL"]

# Real container numbers (owner code, serial, ISO 6346 check digit), picked per COI.
CONTAINERS = [n + iso6346.calc_check_digit(n) for n in (f"MSCU{i:06d}" for i in range(1, 500))]

# Share of COIs per status (the older, the more settled: the mix is of a member state's whole history).
STATUS_MIX = [
    ("first_consignee_signed", 0.58),
    ("consignment_verified", 0.08),
    ("basis_for_extract", 0.05),
    ("released_as_conventional", 0.02),
    ("not_released", 0.01),
    ("ofis_irregularity", 0.01),
    ("deleted", 0.02),
    ("replaced", 0.02),
    ("issuing_body_signed", 0.05),
    ("description_completed", 0.06),
    ("draft", 0.10),
]


def _skip_foreign_key_checks() -> None:
    """Django's foreign keys are checked at commit, row by row: minutes for millions of rows the generator built
    consistent by construction. A superuser (the benchmark's own cluster) may skip those triggers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


# The tables that take millions of rows: their secondary indexes are dropped before the inserts and built again
# after (one sort per index instead of millions of index insertions). Unique and primary keys stay.
BIG_TABLES = [
    ("certificates", "Certificate"),
    ("certificates", "Commodity"),
    ("certificates", "CommodityLine"),
    ("certificates", "Container"),
    ("certificates", "HistoryEntry"),
    ("certificates", "Signature"),
]


def _drop_secondary_indexes() -> list[str]:
    """Drop the big tables' indexes that back no constraint; return the statements that build them again."""
    tables = [apps.get_model(app, name)._meta.db_table for app, name in BIG_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def pick(array: list[str], index: str) -> str:
    items = ",".join(f"'{a}'" for a in array)
    return f"(ARRAY[{items}])[1 + (({index}) % {len(array)})]"


def status_case(index: str) -> str:
    parts, edge = [], 0.0
    for status, share in STATUS_MIX:
        edge += share
        parts.append(f"WHEN {index} < {edge:.4f} THEN '{status}'")
    return "CASE " + " ".join(parts) + " ELSE 'first_consignee_signed' END"


def generate(scale: int) -> dict[str, Any]:
    started = time.monotonic()
    table = {m: m._meta.db_table for m in apps.get_models()}
    cb = apps.get_model("directory", "ControlBody")
    cbc = apps.get_model("directory", "ControlBodyCode")
    op = apps.get_model("directory", "Operator")
    act = apps.get_model("directory", "OperatorActivity")
    auth = apps.get_model("directory", "Authority")
    poe = apps.get_model("directory", "PointOfEntry")
    cert = apps.get_model("certificates", "Certificate")
    com = apps.get_model("certificates", "Commodity")
    line = apps.get_model("certificates", "CommodityLine")
    cont = apps.get_model("certificates", "Container")
    cn = apps.get_model("reference", "CnCode")
    counts: dict[str, float] = {}
    third_array = "ARRAY[" + ",".join(repr(c) for c in THIRD_COUNTRIES) + "]"
    with transaction.atomic():
        _skip_foreign_key_checks()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        rebuild = _drop_secondary_indexes()
        counts["control bodies"] = insert_select(
            cb, str(CONTROL_BODIES),
            {"name": "'Bench Control Body ' || g", "country": pick(MEMBER_STATES, "g"), "city": "'City'",
             "address": "'Street ' || g"},
        )  # fmt: skip
        # Each body certifies in every third country: code CC-BIO-<100+g>.
        counts["control body codes"] = insert_select(
            cbc, "",
            {"control_body": "b.id", "code": "tc.c || '-BIO-' || lpad((100 + b.rn)::text, 3, '0')",
             "country": "tc.c", "categories": "'ABCDEF'", "active": "TRUE"},
            source=f"(SELECT id, row_number() OVER (ORDER BY id) AS rn FROM {table[cb]} "
            "WHERE name LIKE 'Bench Control Body %') b "
            f"CROSS JOIN unnest(ARRAY[{','.join(repr(c) for c in THIRD_COUNTRIES)}]) AS tc(c)",
        )  # fmt: skip
        counts["authorities"] = insert_select(
            auth, str(len(MEMBER_STATES)),
            {"name": "'Bench Authority ' || g", "country": f"(ARRAY[{','.join(repr(c) for c in MEMBER_STATES)}])[g]",
             "city": "'Capital'", "address": "'Ministry'", "kind": "'competent'"},
        )  # fmt: skip
        counts["points of entry"] = insert_select(
            poe, "",
            {"code": "'B' || a.country || lpad(s::text, 3, '0')", "name": "'Port ' || s", "country": "a.country",
             "authority": "a.id"},
            source=f"(SELECT id, country FROM {table[auth]} WHERE name LIKE 'Bench Authority %') a "
            "CROSS JOIN generate_series(1, 4) AS s",
        )  # fmt: skip
        # Operators: the first 60% in third countries (exporters, producers), the rest in member states.
        third = int(OPERATORS * 0.6)
        counts["operators"] = insert_select(
            op, str(OPERATORS),
            {"name": "'Bench Operator ' || g",
             "country": f"CASE WHEN g <= {third} THEN {pick(THIRD_COUNTRIES, 'g')} ELSE {pick(MEMBER_STATES, 'g')} END",
             "city": "'Town ' || (g % 97)", "address": "'Road ' || g", "status": "'valid'"},
        )  # fmt: skip
        with connection.cursor() as cursor:  # the collation key `Operator.save` would have stored
            cursor.execute(f"SELECT id, name FROM {table[op]} WHERE name LIKE 'Bench Operator %%'")
            keys = [(collation_text(name), pk) for pk, name in cursor.fetchall()]
            cursor.executemany(f"UPDATE {table[op]} SET name_key = %s WHERE id = %s", keys)
        counts["activities"] = insert_select(
            act, "",
            {"operator": "o.id",
             "kind": "CASE WHEN o.country = ANY(ARRAY[" + ",".join(repr(c) for c in MEMBER_STATES) + "]) "
             "THEN (ARRAY['importer','operator'])[k] ELSE (ARRAY['exporter','producer'])[k] END",
             "control_body_code": f"(SELECT id FROM {table[cbc]} c WHERE c.country = "
             f"CASE WHEN o.country = ANY({third_array}) THEN o.country ELSE 'MA' END ORDER BY id LIMIT 1)",
             "valid_from": "DATE '2015-01-01'", "valid_until": "DATE '2030-12-31'", "status": "'valid'"},
            source=f"(SELECT id, country FROM {table[op]} WHERE name LIKE 'Bench Operator %') o "
            "CROSS JOIN generate_series(1, 2) AS k",
        )  # fmt: skip
        ids = _ids(table, cb, cbc, op, auth, poe, cn)
        counts["certificates"] = _certificates(cert, scale, ids)
        counts["commodities"] = insert_select(
            com, "",
            {"certificate": "c.id", "cn_code": _from_array(ids["cn"], "(c.id * 7 + k)"), "position": "k"},
            source=f"(SELECT id FROM {table[cert]} WHERE id >= {ids['first_cert']}) c "
            "CROSS JOIN generate_series(1, 2) AS k",
        )  # fmt: skip
        counts["lines"] = insert_select(
            line, "",
            {"commodity": "m.id", "position": "k", "trade_name": "'Organic product ' || m.id",
             "lot_number": "'LOT-' || m.id || '-' || k", "packages": "10 + (m.id % 500)", "packaging_type": "'BG'",
             "net_weight": "(100 + (m.id * 13 + k) % 5000)::numeric", "net_weight_unit": "'kg'",
             "producer": "pr.operator_id", "producer_control_body_code": "pr.control_body_code_id"},
            source=f"(SELECT id FROM {table[com]} WHERE certificate_id >= {ids['first_cert']}) m "
            "CROSS JOIN generate_series(1, 3) AS k "
            + _parties("producer", "pr", "m.id + k")
            + "WHERE k <= 2 + (m.id % 2)",
        )  # fmt: skip
        counts["containers"] = insert_select(
            cont, "",
            {"certificate": "c.id", "number": pick(CONTAINERS, "c.id"),
             "seals": "'SEAL' || c.id"},
            source=f"(SELECT id FROM {table[cert]} WHERE id >= {ids['first_cert']} AND transport_mode = 'vessel') c",
        )  # fmt: skip
        counts.update(generate_history(ids))
        index_started = time.monotonic()
        with connection.cursor() as cursor:
            for statement in rebuild:
                cursor.execute(statement)
        counts["index build seconds"] = round(time.monotonic() - index_started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def _ids(table: dict[Any, str], *models_: type[models.Model]) -> dict[str, Any]:
    cb, cbc, op, auth, poe, cn = models_
    with connection.cursor() as cursor:

        def column(sql: str) -> list[int]:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]

        ids = {
            "third_codes": column(f"SELECT id FROM {table[cbc]} WHERE code ~ '^[A-Z]{{2}}-BIO-1[0-9][0-9]$'"),
            "exporters": column(
                f"SELECT DISTINCT operator_id FROM {table[apps.get_model('directory', 'OperatorActivity')]} "
                "WHERE kind = 'exporter' ORDER BY 1"
            ),
            "producers": column(
                f"SELECT DISTINCT operator_id FROM {table[apps.get_model('directory', 'OperatorActivity')]} "
                "WHERE kind = 'producer' ORDER BY 1"
            ),
            "importers": column(
                f"SELECT DISTINCT operator_id FROM {table[apps.get_model('directory', 'OperatorActivity')]} "
                "WHERE kind = 'importer' ORDER BY 1"
            ),
            "authorities": column(f"SELECT id FROM {table[auth]} WHERE name LIKE 'Bench Authority %' ORDER BY id"),
            "points": column(f"SELECT id FROM {table[poe]} WHERE code LIKE 'B%' ORDER BY id"),
            "cn": column(f"SELECT id FROM {table[cn]} WHERE level = 8 AND selectable ORDER BY code"),
        }
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table[apps.get_model('certificates', 'Certificate')]}")
        ids["first_cert"] = cursor.fetchone()[0]
    if not ids["cn"]:
        raise SystemExit("No eight-digit CN codes: run `manage.py load_cn` first.")
    return ids


def _from_array(values: list[int], index: str) -> str:
    return f"(ARRAY[{','.join(map(str, values))}]::bigint[])[1 + (({index}) % {len(values)})]"


def _parties(kind: str, alias: str, index: str) -> str:
    """A join giving each row one operator of that activity, with its country and control body code.

    The modulo is a constant, so PostgreSQL hash-joins instead of comparing every pair.
    """
    act = apps.get_model("directory", "OperatorActivity")._meta.db_table
    op = apps.get_model("directory", "Operator")._meta.db_table
    chosen = (
        f"FROM {act} a JOIN {op} o ON o.id = a.operator_id WHERE a.kind = '{kind}' AND o.name LIKE 'Bench Operator %'"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {chosen}")
        n = cursor.fetchone()[0]
    return (
        f"JOIN (SELECT row_number() OVER (ORDER BY a.operator_id) - 1 AS rn, a.operator_id, o.country, "
        f"a.control_body_code_id {chosen}) {alias} ON {alias}.rn = ({index}) % {n} "
    )


def _certificates(cert: type[models.Model], scale: int, ids: dict[str, Any]) -> int:
    """COIs that pass the submission rules: box 1 is the exporter's own control body, box 9's authority is the
    member state's, box 10 the consignee's country, so that the signatures of the load succeed."""
    # g spreads over YEARS years back from now; u is a uniform number per row for the status mix.
    created = f"now() - ((g::float / {scale}) * interval '{YEARS * 365} days')"
    u = "((g * 2654435761::bigint) % 10007) / 10007.0"
    status = status_case(u)
    auth = apps.get_model("directory", "Authority")._meta.db_table
    poe = apps.get_model("directory", "PointOfEntry")._meta.db_table
    source = (
        f"generate_series(1, {scale}) AS g "
        + _parties("exporter", "ex", "g")
        + _parties("importer", "im", "g * 31")
        + _parties("operator", "fc", "g * 17")
        + f"JOIN (SELECT row_number() OVER (ORDER BY a.id) - 1 AS rn, a.id, a.country, "
        f"min(p.id) AS poe FROM {auth} a JOIN {poe} p ON p.authority_id = a.id "
        f"WHERE a.name LIKE 'Bench Authority %' GROUP BY a.id, a.country) au ON au.rn = g % {len(MEMBER_STATES)}"
    )
    return insert_select(
        cert, "",
        {"number": f"CASE WHEN {status} = 'draft' THEN NULL ELSE 'COI.BENCH.' || "
                   f"extract(year FROM {created})::int || '.' || lpad(g::text, 8, '0') END",
         "national_reference": "'bench'",
         "status": status,
         "control_body_code": "ex.control_body_code_id",
         "procedure": "'compliance'",
         "exporter": "ex.operator_id",
         "origin_countries": "ex.country", "export_country": "ex.country",
         "release_member_state": "au.country",
         "validating_authority": "au.id",
         "point_of_entry": "au.poe",
         "destination_country": "fc.country",
         "importer": "im.operator_id",
         "first_consignee": "fc.operator_id",
         "gross_weight": "(50000 + g % 9000)::numeric", "gross_weight_unit": "'kg'",
         "transport_mode": "CASE WHEN g % 5 = 0 THEN 'airplane' ELSE 'vessel' END",
         "transport_identification": "'Vessel ' || (g % 300)",
         "creator_role": "'exporter'", "creator_operator": "ex.operator_id",
         "created_at": created, "updated_at": created,
         "submitted_at": f"CASE WHEN {status} = 'draft' THEN NULL ELSE {created} + interval '1 day' END"},
        source=source,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark generator needs PostgreSQL (set DATABASE_URL).")
    counts = generate(args.scale)
    for name, value in counts.items():
        print(f"{name:>22}: {value}")


if __name__ == "__main__":
    main()
