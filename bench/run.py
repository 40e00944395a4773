"""`make bench`: generate data at each scale, serve it as production would, load it, print the table.

    python bench/run.py --scales 10000 1000000 [--seconds 30] [--users 16]

For each scale: a PostgreSQL database `opencoi_bench_<scale>` (kept between runs: generating a
million COIs takes minutes), `make serve`'s stack (gunicorn, DEBUG off) with BENCH=1 (which adds an
X-Query-Count header and a bare view), then locust headless from a second process: the mixed load,
and the detail page and bare view alone for the throughput ratio. Results: bench/results/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv-bench" / "bin" / "locust")
RESULTS = ROOT / "bench" / "results"
ACTIONS = ["list", "search", "detail", "pdf", "api_list", "draft_edit", "sign"]
# Alone with 2 users: the readers' pages, the desk's (issue 23, point 8: the filtered list is "list") and the
# customs exchange's two calls (issue 24, point 8).
DESK = ["desk: new COI form", "desk: draft save", "desk: submission"]
CUSTOMS = ["customs: availability", "customs: write-off"]
LIGHT = ["list", "search", "detail", "pdf", "bare", *DESK, *CUSTOMS]
BURST = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_database(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + name))


def ensure_database(server_url: str, name: str) -> bool:
    """Create the database if missing; True when it already held generated data."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return False
    with psycopg.connect(with_database(server_url, name)) as conn:
        try:
            row = conn.execute("SELECT count(*) FROM certificates_certificate WHERE national_reference = 'bench'")
            return bool(row.fetchone()[0])  # type: ignore[index]  # SELECT returns one row
        except psycopg.Error:
            return False


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(scale: int, server_url: str) -> tuple[dict[str, str], dict[str, Any]]:
    name = f"opencoi_bench_{scale}"
    env = {
        **os.environ,
        "DATABASE_URL": with_database(server_url, name),
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(30),
        "DEBUG": "0",
        "BENCH": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AXES_ENABLED": "0",
        "DJANGO_SETTINGS_MODULE": "opencoi.settings",
    }
    generated = ensure_database(server_url, name)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    if not generated:
        manage(env, "load_cn")
        started = time.monotonic()
        out = subprocess.run([PY, "bench/generate.py", "--scale", str(scale)], cwd=ROOT, env=env, text=True,
                             capture_output=True)  # fmt: skip
        if out.returncode:
            raise SystemExit(out.stdout + out.stderr)
        print(out.stdout)
        print(f"generated {scale} COIs in {time.monotonic() - started:.0f} s", flush=True)
    config = json.loads(manage(env, "shell", "-c", "from bench.actors import setup; setup()").strip().splitlines()[-1])
    return env, config


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v0")
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "opencoi.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not answer /healthz")


def load(port: int, config_file: str, seconds: int, users: int, only: str = "") -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        queries_out = Path(tmp) / "queries.json"
        env = {**os.environ, "BENCH_CONFIG": config_file, "BENCH_ONLY": only, "BENCH_QUERIES_OUT": str(queries_out)}
        subprocess.run(
            [LOCUST, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users), "-r", str(users),
             "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv", f"{tmp}/run", "--only-summary",
             "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, capture_output=True,
        )  # fmt: skip
        headers = json.loads(queries_out.read_text()) if queries_out.exists() else {}
        queries, cpu_ms = headers.get("queries", {}), headers.get("cpu_ms", {})
        failures = Path(f"{tmp}/run_failures.csv")
        if failures.exists():
            for row in csv.DictReader(failures.open()):
                print(f"  failure: {row.get('Name')}: {row.get('Error', '')[:300]} (x{row.get('Occurrences')})")
        rows = {}
        with open(f"{tmp}/run_stats.csv") as f:
            for row in csv.DictReader(f):
                if row["Name"] == "Aggregated":
                    continue
                counts = queries.get(row["Name"], [])
                cpu = cpu_ms.get(row["Name"], [])
                rows[row["Name"]] = {
                    "rps": float(row["Requests/s"]),
                    "p50": float(row["50%"]),
                    "p95": float(row["95%"]),
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "queries": statistics.median(counts) if counts else None,
                    "cpu_ms": statistics.mean(cpu) if cpu else None,
                }
        return rows


def _written_off(db_url: str, lines: list[int]) -> Decimal:
    """What customs wrote off the lines, less what it restored (read from the database)."""
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(CASE WHEN kind LIKE '%%write_off' THEN net_weight ELSE -net_weight END), 0) "
            "FROM customs_movement WHERE line_id = ANY(%s)",
            [lines],
        ).fetchone()
    return Decimal(row[0])  # type: ignore[index]  # an aggregate returns one row


def burst(port: int, config: dict[str, Any], db_url: str, n: int = BURST) -> str:
    """`n` write-offs of one document's goods (its lines of one CN code) sent at once, each sized so that 15 fit
    in what remains: the sum written off is read from the database afterwards and checked against the lot (issue
    24, points 3 and 8)."""
    number, eori, cn, weight, lines = config["burst"]
    lot = Decimal(weight)
    before = _written_off(db_url, lines)
    part = ((lot - before) / 15).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
    start = threading.Barrier(n)
    answers: list[tuple[int, str]] = [(0, "")] * n

    def declare(i: int) -> None:
        body = {"request_id": f"burst-{uuid.uuid4()}", "mrn": f"26FR{secrets.randbelow(10**14):014d}",
                "importer_eori": eori,
                "items": [{"item_number": 1, "document": number, "cn_code": cn, "net_weight": str(part)}]}  # fmt: skip
        request = urllib.request.Request(  # noqa: S310  # the local server
            f"http://127.0.0.1:{port}/api/customs/v1/declarations", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {config['customs_token']}", "Content-Type": "application/json"},
        )  # fmt: skip
        start.wait(30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                answers[i] = (response.status, "")
        except urllib.error.HTTPError as error:
            answers[i] = (error.code, json.loads(error.read() or b"{}").get("code", ""))

    threads = [threading.Thread(target=declare, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    accepted = sum(1 for status, _code in answers if status == 201)
    refused = sorted({f"{status} {code}".strip() for status, code in answers if status != 201})
    written = _written_off(db_url, lines) - before
    ok = written == accepted * part and before + written <= lot
    return (
        f"{n} write-offs of {part} kg sent at once on {cn} of {number}, {lot} kg ({before} kg written off before): "
        f"{accepted} accepted, {n - accepted} refused ({', '.join(refused) or 'none'}); "
        f"{written} kg written off by them, {before + written} of {lot} kg in all: "
        + ("the sum is the accepted ones' and within the lot" if ok else "WRONG: the sum is not the accepted ones'")
    )


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in meminfo if "MemTotal" in line), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB RAM, {platform.platform()}, Python {platform.python_version()}"


def table(results: dict[int, dict[str, Any]]) -> str:
    out = [
        "| scale | action | req/s | p50 ms | p95 ms | SQL queries/req | app CPU ms/req | errors / requests |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scale, result in results.items():
        for action in [*ACTIONS, "detail alone", "bare alone", *(f"{a}, 2 users" for a in LIGHT)]:
            row = result.get(action)
            if not row:
                continue
            q = "" if row["queries"] is None else f"{row['queries']:g}"
            cpu = "" if row.get("cpu_ms") is None else f"{row['cpu_ms']:.1f}"
            out.append(f"| {scale:,} | {action} | {row['rps']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} | {q} | "
                       f"{cpu} | {row['errors']} / {row['requests']} |")  # fmt: skip
    return "\n".join(out)


def ratios(results: dict[int, dict[str, Any]]) -> str:
    """One line per scale: the COI page's throughput over the bare view's, both measured alone in the same run
    (16 users, no pause), and the app server's mean CPU milliseconds per COI page."""
    lines = []
    for scale, result in results.items():
        detail, bare = result.get("detail alone"), result.get("bare alone")
        if not (detail and bare and bare["rps"]):
            continue
        cpu = detail.get("cpu_ms")
        cpu_text = "?" if cpu is None else f"{cpu:.1f}"
        bare_cpu = "?" if bare.get("cpu_ms") is None else f"{bare['cpu_ms']:.1f}"
        lines.append(
            f"- {scale:,} COIs: COI page / bare view: {detail['rps'] / bare['rps']:.2f} "
            f"({detail['rps']:.1f} / {bare['rps']:.1f} req/s); CPU ms per COI page: {cpu_text} "
            f"(bare view: {bare_cpu}); errors: {detail['errors'] + bare['errors']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[10000])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--prepare-only", action="store_true", help="generate the databases, do not load them")
    args = parser.parse_args()
    server_url = os.environ["BENCH_DATABASE_URL"]
    if args.prepare_only:
        for scale in args.scales:
            prepare(scale, server_url)
        return
    results: dict[int, dict[str, Any]] = {}
    load_averages: list[str] = []
    bursts: list[str] = []
    for scale in args.scales:
        env, config = prepare(scale, server_url)
        before = os.getloadavg()
        port = free_port()
        server = serve(env, port, args.workers)
        try:
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                json.dump(config, f)
            results[scale] = load(port, f.name, args.seconds, args.users)
            results[scale]["detail alone"] = load(port, f.name, args.seconds // 2, args.users, "detail")["detail"]
            results[scale]["bare alone"] = load(port, f.name, args.seconds // 2, args.users, "bare")["bare"]
            # At light load (2 people at once) latency is the cost of one request, not time spent queueing.
            for action in LIGHT:
                found = load(port, f.name, 10, 2, action)
                if action in found:
                    results[scale][f"{action}, 2 users"] = found[action]
            bursts.append(f"{scale:,} COIs: " + burst(port, config, env["DATABASE_URL"]))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        after = os.getloadavg()
        load_averages.append(f"{scale:,} COIs: {before[0]:.1f} at the start, {after[0]:.1f} at the end")
        print(table({scale: results[scale]}), flush=True)
        print(ratios({scale: results[scale]}), flush=True)
        print(bursts[-1], flush=True)
    text = table(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d-%H%M")
    load_text = (
        f"locust headless, {args.users} users, {args.seconds} s mixed + {args.seconds // 2} s each alone; "
        f"gunicorn {args.workers} workers, DEBUG off"
    )
    # The machine may be shared: its load average (1 minute) says how much else ran while measuring.
    shared = "; ".join(load_averages)
    report = (
        f"# OpenCOI benchmark {stamp}\n\nMachine: {machine()}\n\nLoad average (1 min): {shared}.\n\n"
        f"Load: {load_text}.\n\n{ratios(results)}\n\nParallel burst of write-offs (customs exchange):\n\n"
        + "".join(f"- {line}\n" for line in bursts)
        + f"\n{text}\n"
    )
    path = RESULTS / f"bench-{stamp}.md"
    path.write_text(report)
    print("\n" + report)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
