"""A national single window for customs, as a separate process: it knows OpenCOI only by its HTTP API (the
standard library's urllib, no OpenCOI code). Run by test_single_window.py against a live server:

    python single_window.py BASE_URL TOKEN EORI COI_1 COI_2 PARALLEL

It lodges a declaration of two items quoting two COIs, retries it, amends it, invalidates it twice, then sends a
burst of 20 write-offs of 1,000 kg on COI_2 (PARALLEL at a time), and prints what it saw as one JSON object.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

BASE, TOKEN, EORI, COI_1, COI_2, PARALLEL = (
    sys.argv[1],
    sys.argv[2],
    sys.argv[3],
    sys.argv[4],
    sys.argv[5],
    int(sys.argv[6]),
)
CASHEW = "08013200"


def call(method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{BASE}/api/customs/v1{path}", data=data, method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", "Accept-Language": "en"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def item(n: int, document: str, weight: str) -> dict[str, Any]:
    return {"item_number": n, "document": document, "cn_code": CASHEW, "net_weight": weight}


def remaining(document: str) -> list[str]:
    return [line["remaining"] for line in call("GET", f"/documents/{document}?request_id=r-{document}")[1]["lines"]]


def main() -> None:
    seen: dict[str, Any] = {}
    status, body = call("POST", "/availability", {"request_id": "sw-1", "document": COI_1, "importer_eori": EORI,
                                                   "items": [{"cn_code": CASHEW, "net_weight": "1000"}]})  # fmt: skip
    seen["available"] = (status, body["available"])
    declaration = {"request_id": "sw-2", "mrn": "26FR00000000000100", "importer_eori": EORI,
                   "items": [item(1, COI_1, "1000"), item(2, COI_2, "500")]}  # fmt: skip
    seen["declared"] = call("POST", "/declarations", declaration)[0]
    status, body = call("POST", "/declarations", declaration)  # the answer was lost: the same call again
    seen["retried"] = (status, body.get("replayed"))
    seen["after_declaration"] = [remaining(COI_1), remaining(COI_2)]
    status, body = call("POST", "/declarations/26FR00000000000100/amendment",
                        {"request_id": "sw-3", "importer_eori": EORI, "items": [item(1, COI_1, "800")]})  # fmt: skip
    seen["amended"] = status
    seen["after_amendment"] = [remaining(COI_1), remaining(COI_2)]
    first = call("POST", "/declarations/26FR00000000000100/invalidation", {"request_id": "sw-4"})
    second = call("POST", "/declarations/26FR00000000000100/invalidation", {"request_id": "sw-5"})
    seen["invalidated"] = [first[0], len(first[1]["restored"]), second[0], len(second[1]["restored"])]
    seen["after_invalidation"] = [remaining(COI_1), remaining(COI_2)]

    def burst(i: int) -> int:
        body = {"request_id": f"sw-burst-{i}", "mrn": f"26FR{200 + i:014d}", "importer_eori": EORI,
                "items": [item(1, COI_2, "1000")]}  # fmt: skip
        return call("POST", "/declarations", body)[0]

    with ThreadPoolExecutor(PARALLEL) as pool:
        seen["burst"] = sorted(pool.map(burst, range(20)))
    seen["after_burst"] = remaining(COI_2)
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
