"""Profile warm COI pages (and list pages) in one process, through Django's whole stack (middlewares, session,
context processors), against a benchmark database: the CPU milliseconds per page and where they go.

    DATABASE_URL=postgres://.../opencoi_bench_10000 python bench/profile_page.py [--requests 300] [--list]

Needs `bench/actors.py`'s people (run `make bench` once). Prints the mean CPU ms per request and the top of a
cProfile sorted by cumulative then own time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencoi.settings")
os.environ.setdefault("BENCH", "1")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("SECRET_KEY", "bench-profile")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from certificates.models import Certificate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--list", action="store_true", help="the list page instead of the COI page")
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args()
    user = User.objects.get(email="bench-importer@bench.example")
    operator = user.memberships.get().operator_id
    visible = Certificate.objects.filter(importer_id=operator).exclude(status="draft")
    ids = list(visible.values_list("id", flat=True)[:50])
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    if args.list:
        urls = [f"/certificates/?status=first_consignee_signed&country=MA&page={p}" for p in range(1, 6)]
    else:
        urls = [f"/certificates/{i}/" for i in ids]
    for url in urls:  # warm the cache and the process
        assert client.get(url).status_code == 200, url
    picks = [random.choice(urls) for _ in range(args.requests)]
    started = time.process_time()
    for url in picks:
        client.get(url)
    cpu = (time.process_time() - started) * 1000 / len(picks)
    print(f"mean CPU ms per request (no profiler): {cpu:.2f}")
    queries = client.get(picks[0]).headers.get("X-Query-Count")
    print(f"queries per request: {queries}")
    profile = cProfile.Profile(time.process_time)  # CPU time only: waiting for PostgreSQL is not the app's cost
    profile.enable()
    for url in picks:
        client.get(url)
    profile.disable()
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
