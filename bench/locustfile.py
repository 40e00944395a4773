"""The load: what people do all day, weighted. Run by bench/run.py (locust headless, a second process).

Reads BENCH_CONFIG (a JSON file written by run.py): session cookies, an API token, COI ids and numbers.
BENCH_ONLY=<action> runs one action alone (to compare the detail page with the bare view).
Each response's X-Query-Count header is summed per action into BENCH_QUERIES_OUT.
"""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from typing import Any

from locust import HttpUser, between, events, task

CONFIG: dict[str, Any] = json.loads(open(os.environ["BENCH_CONFIG"]).read())  # noqa: SIM115
ONLY = os.environ.get("BENCH_ONLY", "")
QUERIES: dict[str, list[int]] = defaultdict(list)


@events.request.add_listener
def _count_queries(name: str, response: Any, exception: Any, **kwargs: Any) -> None:
    if response is not None and exception is None:
        header = response.headers.get("X-Query-Count")
        if header is not None:
            QUERIES[name].append(int(header))


@events.quitting.add_listener
def _write_queries(environment: Any, **kwargs: Any) -> None:
    out = os.environ.get("BENCH_QUERIES_OUT")
    if out:
        with open(out, "w") as f:
            json.dump(QUERIES, f)


def weighted(weight: int, name: str) -> Any:
    """A task with its weight, or weight 1 alone when BENCH_ONLY names it, or never when another is named."""

    def decorate(func: Any) -> Any:
        if ONLY:
            return task(1)(func) if name == ONLY else func
        return task(weight)(func) if weight else func

    return decorate


class Person(HttpUser):
    wait_time = between(0, 0)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", CONFIG["importer_session"])
        self.client.cookies.set("django_language", "en")

    def _get(self, url: str, name: str, **kwargs: Any) -> None:
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @weighted(20, "list")
    def list_filtered(self) -> None:
        status = random.choice(["first_consignee_signed", "consignment_verified", "basis_for_extract", ""])
        self._get(f"/certificates/?status={status}&country=MA&page={random.randint(1, 5)}", "list")

    @weighted(15, "search")
    def search_number(self) -> None:
        self._get(f"/certificates/?number={random.choice(CONFIG['numbers'])}", "search")

    @weighted(30, "detail")
    def detail(self) -> None:
        self._get(f"/certificates/{random.choice(CONFIG['visible_ids'])}/", "detail")

    @weighted(5, "pdf")
    def pdf(self) -> None:
        if CONFIG.get("pdf_path"):
            self._get(CONFIG["pdf_path"].format(id=random.choice(CONFIG["visible_ids"])), "pdf")

    @weighted(15, "api_list")
    def api_list(self) -> None:
        self._get(
            "/api/v1/certificates?status=first_consignee_signed&country=MA",
            "api_list",
            headers={"Authorization": f"Bearer {CONFIG['importer_token']}"},
        )

    @weighted(10, "draft_edit")
    def draft_edit(self) -> None:
        coi = random.choice(CONFIG["draft_ids"])
        with self.client.patch(
            f"/api/v1/certificates/{coi}",
            json={"national_reference": f"bench {random.randint(1, 10**9)}"},
            headers={"Authorization": f"Bearer {CONFIG['exporter_token']}"},
            name="draft_edit",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    @weighted(5, "sign")
    def sign(self) -> None:
        if not CONFIG.get("sign_path") or not CONFIG.get("sign_ids"):
            return
        coi = CONFIG["sign_ids"].pop() if CONFIG["sign_ids"] else None
        if coi is None:
            return
        with self.client.post(
            CONFIG["sign_path"].format(id=coi),
            json=CONFIG.get("sign_payload", {}),
            headers={"Authorization": f"Bearer {CONFIG['cb_token']}"},
            name="sign",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    @weighted(0, "bare")
    def bare(self) -> None:
        self._get(f"/bench/bare/{random.choice(CONFIG['visible_ids'])}", "bare")
