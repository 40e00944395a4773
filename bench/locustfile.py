"""The load: what people do all day, weighted. Run by bench/run.py (locust headless, a second process).

Reads BENCH_CONFIG (a JSON file written by run.py): session cookies, an API token, COI ids and numbers.
BENCH_ONLY=<action> runs one action alone (to compare the detail page with the bare view).
Each response's X-Query-Count and X-Cpu-Ms headers are kept per action into BENCH_QUERIES_OUT
({"queries": {action: [...]}, "cpu_ms": {action: [...]}}).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import struct
import time
import uuid
from collections import defaultdict
from typing import Any

from locust import HttpUser, between, events, task

CONFIG: dict[str, Any] = json.loads(open(os.environ["BENCH_CONFIG"]).read())  # noqa: SIM115
ONLY = os.environ.get("BENCH_ONLY", "")
QUERIES: dict[str, list[int]] = defaultdict(list)
CPU_MS: dict[str, list[float]] = defaultdict(list)
CSRF = "benchcsrftokenbenchcsrftoken0123"  # a CSRF secret set as the cookie and sent back in the header


@events.request.add_listener
def _count_queries(name: str, response: Any, exception: Any, **kwargs: Any) -> None:
    if response is not None and exception is None:
        header = response.headers.get("X-Query-Count")
        if header is not None:
            QUERIES[name].append(int(header))
        cpu = response.headers.get("X-Cpu-Ms")
        if cpu is not None:
            CPU_MS[name].append(float(cpu))


@events.quitting.add_listener
def _write_queries(environment: Any, **kwargs: Any) -> None:
    out = os.environ.get("BENCH_QUERIES_OUT")
    if out:
        with open(out, "w") as f:
            json.dump({"queries": QUERIES, "cpu_ms": CPU_MS}, f)


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 code (30 s, 6 digits, SHA-1), as an authenticator app shows it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


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
        status = random.choice(list(CONFIG["list_pages"]))
        page = random.randint(1, CONFIG["list_pages"][status])
        self._get(f"/certificates/?status={status}&country=MA&page={page}", "list")

    @weighted(15, "search")
    def search_number(self) -> None:
        self._get(f"/certificates/?number={random.choice(CONFIG['numbers'])}", "search")

    @weighted(30, "detail")
    def detail(self) -> None:
        self._get(f"/certificates/{random.choice(CONFIG['visible_ids'])}/", "detail")

    @weighted(5, "pdf")
    def pdf(self) -> None:
        self._get(CONFIG["pdf_path"].format(id=random.choice(CONFIG["pdf_ids"])), "pdf")

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
        """The issuing control body records its checks and signs box 18 with a current TOTP code."""
        if not CONFIG["sign_jobs"]:
            return
        token, secret, coi = CONFIG["sign_jobs"].pop()
        payload = {
            "box": "18",
            "place": "Agadir",
            "code": totp(secret),
            "checks": {"documentary": "acceptable", "physical": "acceptable"},
        }
        with self.client.post(
            f"/api/v1/certificates/{coi}/sign",
            json=payload,
            headers={"Authorization": f"Bearer {token}"},
            name="sign",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    # The desk (issue 23, point 8), as the exporter's browser: pages, not the API. Run alone, 2 users.
    def _desk(self) -> None:
        self.client.cookies.set("sessionid", CONFIG["exporter_session"])
        self.client.cookies.set("csrftoken", CSRF)

    @weighted(0, "desk: new COI form")
    def desk_new_form(self) -> None:
        """The new COI's form, first load, for one product chosen."""
        self._desk()
        self._get(f"/certificates/new/form/?cn={CONFIG['new_cn']}", "desk: new COI form")

    @weighted(0, "desk: draft save")
    def desk_draft_save(self) -> None:
        """ "Save as draft" on the edit page with a changed box 7 (the POST and the page it leads to)."""
        self._desk()
        coi = random.choice(CONFIG["desk_draft_ids"])
        with self.client.post(
            f"/certificates/{coi}/edit/",
            data={"national_reference": f"desk {random.randint(1, 10**9)}", "action": "save"},
            headers={"X-CSRFToken": CSRF, "Referer": self.host},
            name="desk: draft save",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @weighted(0, "desk: submission")
    def desk_submit(self) -> None:
        """ "Submit for certification" on a complete draft (the POST and the COI page it leads to)."""
        if not CONFIG["submit_ids"]:
            return
        self._desk()
        coi = CONFIG["submit_ids"].pop()
        with self.client.post(
            f"/certificates/{coi}/submit/",
            headers={"X-CSRFToken": CSRF, "Referer": self.host},
            name="desk: submission",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or f"/certificates/{coi}/" not in response.url:
                response.failure(f"HTTP {response.status_code} at {response.url}")

    # The customs exchange (issue 24, point 8), as a national single window: machine token, JSON.
    def _customs(self, path: str, body: dict[str, Any], name: str, expected: int) -> None:
        with self.client.post(
            f"/api/customs/v1{path}",
            json={"request_id": str(uuid.uuid4()), **body},
            headers={"Authorization": f"Bearer {CONFIG['customs_token']}"},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != expected:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    @weighted(0, "customs: availability")
    def customs_availability(self) -> None:
        number, eori, cn, _weight, _line = random.choice(CONFIG["customs_docs"])
        body = {"document": number, "importer_eori": eori, "items": [{"cn_code": cn, "net_weight": "1"}]}
        self._customs("/availability", body, "customs: availability", 200)

    @weighted(0, "customs: write-off")
    def customs_write_off(self) -> None:
        number, eori, cn, _weight, _line = random.choice(CONFIG["customs_docs"])
        body = {
            "mrn": f"26FR{random.randint(0, 10**14 - 1):014d}",
            "importer_eori": eori,
            "items": [{"item_number": 1, "document": number, "cn_code": cn, "net_weight": "0.001"}],
        }
        self._customs("/declarations", body, "customs: write-off", 201)

    @weighted(0, "bare")
    def bare(self) -> None:
        self._get(f"/bench/bare/{random.choice(CONFIG['visible_ids'])}", "bare")
