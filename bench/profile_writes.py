"""Count and profile the writes of `make bench` (issue 26 point 3, issue 23 point 8, issue 24 point 8) in one
process, through Django's whole stack (the bench middleware's X-Query-Count and X-Cpu-Ms), against a benchmark
database, the same requests as bench/locustfile.py sends:

    DATABASE_URL=postgres://.../opencoi_bench_10000 python bench/profile_writes.py [--requests 20] [--profile ACTION]

Runs bench/actors.py's setup() first (its people, tokens, drafts to submit, customs documents). Prints per action the
median queries and CPU ms; with --profile, the top of a cProfile of that action (CPU time), and with --sql the SQL
of one request of each action.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import hashlib
import hmac
import io
import json
import os
import pstats
import random
import statistics
import struct
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencoi.settings")
os.environ.setdefault("BENCH", "1")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("SECRET_KEY", "bench-profile")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.actors import setup  # noqa: E402

CSRF = "benchcsrftokenbenchcsrftoken0123"  # as bench/locustfile.py (which imports locust, not installed here)


def totp(secret: str) -> str:
    """RFC 6238 code now (bench/locustfile.py's)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _config() -> dict[str, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        setup()
    return json.loads(out.getvalue().strip().splitlines()[-1])


class Actions:
    def __init__(self, config: dict[str, Any]) -> None:
        self.c = config
        self.desk = Client(enforce_csrf_checks=True)
        self.desk.cookies["sessionid"] = config["exporter_session"]
        self.desk.cookies["csrftoken"] = CSRF
        self.desk.cookies["django_language"] = "en"
        self.api = Client()  # as locust's Person: the importer's session cookie on every call (the API ignores it)
        self.api.cookies["sessionid"] = config["importer_session"]
        self.api.cookies["django_language"] = "en"

    def draft_edit(self) -> Any:
        coi = random.choice(self.c["draft_ids"])
        return self.api.patch(
            f"/api/v1/certificates/{coi}",
            {"national_reference": f"bench {random.randint(1, 10**9)}"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.c['exporter_token']}",
        )

    def sign(self) -> Any:
        token, secret, coi = self.c["sign_jobs"].pop()
        body = {
            "box": "18",
            "place": "Agadir",
            "code": totp(secret),
            "checks": {"documentary": "acceptable", "physical": "acceptable"},
        }
        return self.api.post(
            f"/api/v1/certificates/{coi}/sign",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    def new_form(self) -> Any:
        return self.desk.get(f"/certificates/new/form/?cn={self.c['new_cn']}")

    def draft_save(self) -> Any:
        coi = random.choice(self.c["desk_draft_ids"])
        return self.desk.post(
            f"/certificates/{coi}/edit/",
            {"national_reference": f"desk {random.randint(1, 10**9)}", "action": "save"},
            HTTP_X_CSRFTOKEN=CSRF,
        )

    def submission(self) -> Any:
        coi = self.c["submit_ids"].pop()
        return self.desk.post(f"/certificates/{coi}/submit/", HTTP_X_CSRFTOKEN=CSRF)

    def _customs(self, path: str, body: dict[str, Any]) -> Any:
        return self.api.post(
            f"/api/customs/v1{path}",
            {"request_id": str(uuid.uuid4()), **body},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.c['customs_token']}",
        )

    def availability(self) -> Any:
        number, eori, cn, _weight, _line = random.choice(self.c["customs_docs"])
        return self._customs(
            "/availability", {"document": number, "importer_eori": eori, "items": [{"cn_code": cn, "net_weight": "1"}]}
        )

    def write_off(self) -> Any:
        number, eori, cn, _weight, _line = random.choice(self.c["customs_docs"])
        return self._customs(
            "/declarations",
            {
                "mrn": f"26FR{random.randint(0, 10**14 - 1):014d}",
                "importer_eori": eori,
                "items": [{"item_number": 1, "document": number, "cn_code": cn, "net_weight": "0.001"}],
            },
        )


NAMES = ["draft_edit", "sign", "new_form", "draft_save", "submission", "availability", "write_off"]


def follow(client: Client, response: Any) -> list[Any]:
    """The response and the pages its redirects lead to (as locust's client follows them)."""
    chain = [response]
    while response.status_code in (301, 302, 303) and len(chain) < 5:
        response = client.get(response["Location"])
        chain.append(response)
    return chain


def _sql_of(request: Any) -> list[str]:
    sent: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        request()
    return sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", nargs="*", default=NAMES)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    actions = Actions(_config())
    for name in args.only:
        run = getattr(actions, name)
        client = actions.desk if name in ("new_form", "draft_save", "submission") else actions.api
        for _ in range(3):  # warm the process and the cache
            follow(client, run())
        rows: list[list[tuple[int, int, float]]] = []
        for _ in range(args.requests):
            rows.append([(r.status_code, int(r["X-Query-Count"]), float(r["X-Cpu-Ms"])) for r in follow(client, run())])
        for step in range(len(rows[0])):
            statuses = {r[step][0] for r in rows if len(r) > step}
            queries = statistics.median(r[step][1] for r in rows if len(r) > step)
            cpu = statistics.median(r[step][2] for r in rows if len(r) > step)
            page = " -> page" * step
            print(f"{name}{page}: status {sorted(statuses)}, {queries:g} queries, {cpu:.1f} ms CPU (median)")
        if args.sql:
            sent = _sql_of(lambda: follow(client, run()))  # noqa: B023 - called at once
            for sql in sent:
                print("   ", sql[:220])
        if args.profile == name:
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(args.requests):
                follow(client, run())
            profile.disable()
            stats = pstats.Stats(profile).strip_dirs()
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
