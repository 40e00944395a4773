"""Faults survived (issue 26 point 1), with real processes: gunicorn on production settings, a PostgreSQL
cluster of the test's own (so that it can be restarted), and clients over HTTP that retry as real ones do.

- PostgreSQL restarted: requests during the restart get a clear 503 with `Retry-After`, none a 500 or a
  half-written COI; the same app servers serve again by themselves once it is back.
- An app server killed (SIGKILL) while 12 steps run (8 submissions, 4 box 18 signatures, each signer with
  their own two-factor codes): half of them committed with their answer not yet sent (held right after the
  commit, before anything that runs after it), half waiting inside their transaction for a row the test keeps
  locked. Clients that retry with their `Idempotency-Key` get the first answer (`Idempotent-Replayed`) or
  the step run now; every step is committed whole (status, number, history, signature, notices, emails
  queued, PDF render queued: as many as one step leaves when nothing fails) or not at all, none twice.
The deployment: core/tests/conftest.py. Marked `servers`: `make test` runs it in its own step. Figures (steps tried, lost, doubled) are printed.
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import pytest
import requests

from core.tests.conftest import SECRET, Cluster
from core.tests.test_several_servers import wait_for

pytestmark = pytest.mark.servers
DRAFTS = 8  # submissions under the kill (the deployment, core/tests/conftest.py, has one more: the reference)
SIGNS = 4  # box 18 signatures under the kill (and one more)


@pytest.fixture
def site(fault_site: dict) -> dict:
    return {**fault_site, "drafts": fault_site["drafts"]["kill"]}


def _headers(site: dict, key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {site['token']}", "Accept-Language": "en"}
    return {**headers, "Idempotency-Key": key} if key else headers


def test_it_answers_503_while_postgresql_restarts_and_serves_again_by_itself(
    site: dict, fault_cluster: Cluster
) -> None:
    cluster = fault_cluster
    url = site["url"]
    assert requests.get(f"{url}/api/v1/certificates", headers=_headers(site), timeout=10).status_code == 200
    cluster.stop()
    try:
        answers = [
            requests.get(f"{url}/api/v1/certificates", headers=_headers(site), timeout=10),
            requests.post(
                f"{url}/api/v1/certificates",
                json={"exporter": site["exporter"]},
                headers=_headers(site, "during-restart"),
                timeout=10,
            ),  # fmt: skip
            requests.get(f"{url}/healthz", timeout=10),
        ]
    finally:
        cluster.start()
    print("during the restart:", [a.status_code for a in answers])
    assert [a.status_code for a in answers] == [503] * 3
    assert all(a.headers.get("Retry-After") for a in answers[:2])
    assert answers[1].json()["code"] == "unavailable"
    # Back by itself: the same key now runs the creation once, and its repeat is the same answer.
    created = wait_for(
        lambda: (r := requests.post(f"{url}/api/v1/certificates", json={"exporter": site["exporter"]},
                                    headers=_headers(site, "during-restart"), timeout=10)).status_code == 201 and r,
        30, "the service back",
    )  # fmt: skip
    again = requests.post(f"{url}/api/v1/certificates", json={"exporter": site["exporter"]},
                          headers=_headers(site, "during-restart"), timeout=10)  # fmt: skip
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]


# What one step leaves, per COI, read straight from the database: (status, number, the step's history entries,
# box 18 signatures, notices, emails queued, PDF renders queued).
EFFECTS = """
SELECT c.id, c.status, c.number,
  (SELECT count(*) FROM certificates_historyentry h WHERE h.certificate_id = c.id AND h.step = %(step)s),
  (SELECT count(*) FROM certificates_signature s WHERE s.certificate_id = c.id AND s.box = '18'),
  (SELECT count(*) FROM django_tasks_database_dbtaskresult t WHERE t.task_path LIKE '%%step_notices.tell_later'
     AND t.args_kwargs -> 'args' ->> 0 = c.id::text AND t.enqueued_at > %(since)s),
  (SELECT count(*) FROM django_tasks_database_dbtaskresult t WHERE t.task_path LIKE '%%pdf_store.prerender'
     AND t.args_kwargs -> 'args' ->> 0 = c.id::text AND t.enqueued_at > %(since)s)
FROM certificates_certificate c WHERE c.id = ANY(%(ids)s) ORDER BY c.id
"""


def _effects(site: dict, ids: list[int], step: str, since: Any) -> dict[int, tuple]:
    with psycopg.connect(site["db"]) as conn:
        rows = conn.execute(EFFECTS, {"ids": ids, "step": step, "since": since}).fetchall()
    return {row[0]: row[1:] for row in rows}


def _now(site: dict) -> Any:
    with psycopg.connect(site["db"]) as conn:
        return conn.execute("SELECT now()").fetchone()[0]


def test_it_commits_each_step_whole_and_once_when_the_app_server_is_killed_and_clients_retry(site: dict) -> None:
    """Twelve steps at once (8 submissions, 4 box 18 signatures), then SIGKILL: half of them committed with
    their answer held (`X-Test-Answer-Delay`, right after the commit), half waiting inside their transaction
    for a row this test keeps locked. Each client then retries with its Idempotency-Key."""
    from accounts.two_factor import current_code

    url = site["url"]
    submit_ref, *drafts = site["drafts"]
    sign_ref, *to_sign = site["submitted"]
    sign_tokens = dict(zip(site["submitted"], site["signer_tokens"], strict=True))

    def request(pk: int, key: str, **extra: Any) -> requests.Response:
        if pk in sign_tokens:
            body = {"box": "18", "place": "Agadir", "checks": {"documentary": "acceptable", "physical": "not_done"}}
            body["code"] = extra.pop("code", None) or current_code(SECRET)
            headers = {"Authorization": f"Bearer {sign_tokens[pk]}", "Accept-Language": "en", "Idempotency-Key": key}
            return requests.post(f"{url}/api/v1/certificates/{pk}/sign", json=body, headers={**headers, **extra},
                                 timeout=120)  # fmt: skip
        return requests.post(f"{url}/api/v1/certificates/{pk}/submit", headers={**_headers(site, key), **extra},
                             timeout=120)  # fmt: skip

    # The reference: what one submission and one signature leave when nothing fails.
    since = _now(site)
    assert request(submit_ref, "reference-submit").status_code == 200
    assert request(sign_ref, "reference-sign").status_code == 200
    expected = {
        **_effects(site, [submit_ref], "submit", since),
        **_effects(site, [sign_ref], "sign_18", since),
    }  # fmt: skip
    ref = {"submit": expected[submit_ref][2:], "sign_18": expected[sign_ref][2:]}
    assert all(n > 0 for n in ref["submit"][2:]) and all(n > 0 for n in ref["sign_18"][2:]), ref

    held = drafts[: DRAFTS // 2] + to_sign[: SIGNS // 2]  # committed, answer held
    blocked = drafts[DRAFTS // 2 :] + to_sign[SIGNS // 2 :]  # waiting inside their transaction
    steps = held + blocked
    since = _now(site)
    first: dict[int, Any] = {}
    codes = {pk: current_code(SECRET) for pk in to_sign}

    def step(pk: int) -> None:
        extra = {"X-Test-Answer-Delay": "60"} if pk in held else {}
        try:
            first[pk] = request(pk, f"kill-{pk}", code=codes.get(pk), **extra)
        except requests.RequestException as lost:
            first[pk] = lost

    lock = psycopg.connect(site["db"])
    lock.execute("SELECT id FROM certificates_certificate WHERE id = ANY(%s) FOR UPDATE", [blocked])
    threads = [threading.Thread(target=step, args=(pk,)) for pk in steps]
    for thread in threads:
        thread.start()
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"

    def ready() -> bool:
        with psycopg.connect(site["db"]) as conn:
            done = conn.execute(
                "SELECT count(*) FROM certificates_certificate WHERE (id = ANY(%s) AND status = 'issuing_body_signed')"
                " OR (id = ANY(%s) AND status = 'description_completed')",
                [to_sign[: SIGNS // 2], drafts[: DRAFTS // 2]],
            ).fetchone()[0]  # fmt: skip
            return done == len(held) and conn.execute(waiting).fetchone()[0] == len(blocked)

    wait_for(ready, 90, "the held steps committed and the others waiting inside their transaction")
    site["kill"]()
    lock.close()  # the killed server's transactions can no longer commit: they are rolled back
    for thread in threads:
        thread.join()
    lost = [pk for pk in steps if isinstance(first[pk], Exception)]
    print("first answers:", {pk: getattr(a, "status_code", type(a).__name__) for pk, a in first.items()})
    between = {
        **_effects(site, drafts, "submit", since),
        **_effects(site, to_sign, "sign_18", since),
    }  # fmt: skip
    site["start"]()

    retried: dict[int, requests.Response] = {}
    new_code = []
    for pk in lost:
        retried[pk] = request(pk, f"kill-{pk}", code=codes.get(pk))
        if retried[pk].status_code == 422 and pk in sign_tokens and pk in blocked and "code" in retried[pk].text:
            # The signature was not made and its code expired meanwhile: a new code is a new request (new key).
            new_code.append(pk)
            retried[pk] = request(pk, f"kill-{pk}-new-code", code=current_code(SECRET))
    after = {
        **_effects(site, drafts, "submit", since),
        **_effects(site, to_sign, "sign_18", since),
    }  # fmt: skip
    replayed = [pk for pk, answer in retried.items() if answer.headers.get("Idempotent-Replayed") == "true"]
    committed_before = [pk for pk in steps if between[pk][2] > 0]
    rolled_back = [pk for pk in steps if between[pk][2] == 0]
    doubled = [pk for pk in steps if after[pk][2] > 1 or after[pk][3] > 1]
    step_of = {pk: "sign_18" if pk in sign_tokens else "submit" for pk in steps}
    whole = [pk for pk in steps if after[pk][2:] == ref[step_of[pk]] and after[pk][1]]
    print(
        f"steps tried {len(steps)} ({len(drafts)} submissions, {len(to_sign)} box 18 signatures); committed before "
        f"the kill {len(committed_before)}, rolled back {len(rolled_back)}; answers lost {len(lost)}, retried "
        f"{len(retried)}, replayed {len(replayed)}, run on retry {len(retried) - len(replayed)} ({len(new_code)} signatures with a new code); committed whole "
        f"{len(whole)}, lost {len(steps) - len(whole)}, doubled {len(doubled)}"
    )
    assert sorted(lost) == sorted(steps), "every answer was on its way or its step in progress when the server died"
    for pk in held:  # committed whole before the kill
        assert between[pk][2:] == ref[step_of[pk]], (pk, between[pk], ref[step_of[pk]])
    for pk in blocked:  # not at all
        assert between[pk][2:] == (0, 0, 0, 0), (pk, between[pk])
        assert between[pk][0] == ("description_completed" if pk in sign_tokens else "draft"), (pk, between[pk])
    assert sorted(replayed) == sorted(held), "the committed steps' retries get their first answer"
    for pk, answer in retried.items():
        assert answer.status_code == 200, answer.text[:300]  # the first answer, or the step run now: never a 409
        assert answer.json()["number"] == after[pk][1]
    assert not doubled
    assert sorted(whole) == sorted(steps), {pk: (after[pk], ref[step_of[pk]]) for pk in steps}
