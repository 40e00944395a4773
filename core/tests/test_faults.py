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
Marked `servers`: `make test` runs it in its own step. Figures (steps tried, lost, doubled) are printed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from core.tests.test_several_servers import GUNICORN, PY, ROOT, free_port, wait_for

pytestmark = pytest.mark.servers
THREADS = 16  # per worker: more than the steps held at once, which the kernel may all hand to one worker
PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
DRAFTS = 8  # submissions under the kill
SIGNS = 4  # box 18 signatures under the kill

SECRET = "JBSWY3DPEHPK3PXP"  # every signer's TOTP secret (each signer has their own used codes)
# Run by one `manage.py shell`: the guide's actors, DRAFTS + 1 complete drafts of the exporter (to submit) and
# SIGNS + 1 submitted COIs (to sign box 18), each signed by its own member of the issuing control body with
# two-factor on; one of each is the reference step run before any fault.
SETUP = """
import json
from django.core.management import call_command
from django.test import override_settings
call_command("migrate", "--noinput", verbosity=0)
call_command("createcachetable")
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    from certificates.tests.conftest import world as world_fixture
    from certificates.tests.factories import member_of
    world = world_fixture.__wrapped__(None)
    body = world.membership(world.control_body).control_body_code
    signers = [member_of(body, email=f"signer{{i}}@ecocert.example") for i in range({signs} + 1)]
from accounts.models import ApiToken
from accounts.two_factor import activate_totp
from certificates.services import create_draft
drafts = [
    create_draft(world.person(world.exporter), world.membership(world.exporter), world.complete_data(),
                 form=world.form)[0].pk
    for _ in range({drafts} + 1)
]
submitted = [world.submitted("exporter").pk for _ in signers]
for user in signers:
    activate_totp(user, {secret!r})
_token, secret = ApiToken.issue(world.exporter, "faults")
signer_tokens = [ApiToken.issue(user, "faults")[1] for user in signers]
print(json.dumps({{"drafts": drafts, "token": secret, "exporter": world.atlas.pk, "submitted": submitted,
                  "signer_tokens": signer_tokens}}))
"""


class Cluster:
    """A PostgreSQL cluster on a fixed port that the test may stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        out = subprocess.run(
            [str(ROOT / "scripts" / "pg.sh"), "start"], capture_output=True, text=True, check=True,
            env={**os.environ, "PGTEST_PORT": str(self.port)},
        )  # fmt: skip
        found = dict(re.findall(r"(PGTEST_\w+)=([^;]+);", out.stdout))
        self.dir, self.url = found["PGTEST_DIR"], found["PGTEST_URL"]
        self.run = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def stop(self) -> None:
        subprocess.run([*self.run, str(PGBIN / "pg_ctl"), "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop"],
                       check=True, capture_output=True)  # fmt: skip

    def start(self) -> None:
        options = f"-k {self.dir} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off"
        subprocess.run(
            [*self.run, str(PGBIN / "pg_ctl"), "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w",
             "-o", options, "start"], check=True, capture_output=True,
        )  # fmt: skip

    def remove(self) -> None:
        subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop", self.dir], check=False)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    found = Cluster()
    yield found
    found.remove()


@pytest.fixture(scope="module")
def site(cluster: Cluster, tmp_path_factory: Any) -> Iterator[dict]:
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "PYTEST", "S3_", "DATABASE"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "core.tests.fault_settings", "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0", "TESTING": "1", "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": cluster.url,
        "VAR_DIR": str(var), "PDF_PRERENDER": "1", "LOG_LEVEL": "ERROR"
    })  # fmt: skip
    done = subprocess.run([PY, "manage.py", "shell", "-c", SETUP.format(drafts=DRAFTS, signs=SIGNS, secret=SECRET)], cwd=ROOT, env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout.strip().splitlines()[-1])
    port = free_port()
    server: dict[str, Any] = {}

    def start() -> None:
        log = (var / "web.log").open("ab")
        server["process"] = subprocess.Popen(
            [GUNICORN, "opencoi.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", str(THREADS)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: _status(f"http://127.0.0.1:{port}/healthz") == 200, 90, "the app server")

    def kill() -> None:
        os.killpg(server["process"].pid, signal.SIGKILL)  # the master and its workers, no goodbye
        server["process"].wait()

    start()
    try:
        yield {"url": f"http://127.0.0.1:{port}", "start": start, "kill": kill, "db": cluster.url, **data}
    finally:
        if server["process"].poll() is None:
            kill()


def _status(url: str) -> int:
    try:
        return requests.get(url, timeout=3).status_code
    except requests.RequestException:
        return 0


def _submitted(site: dict, drafts: list[int]) -> int:
    with psycopg.connect(site["db"]) as conn:
        query = "SELECT count(*) FROM certificates_certificate WHERE id = ANY(%s) AND status = 'description_completed'"
        return int(conn.execute(query, [drafts]).fetchone()[0])


def _headers(site: dict, key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {site['token']}", "Accept-Language": "en"}
    return {**headers, "Idempotency-Key": key} if key else headers


def test_it_answers_503_while_postgresql_restarts_and_serves_again_by_itself(site: dict, cluster: Cluster) -> None:
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
  (SELECT count(*) FROM core_notice n WHERE n.url = '/certificates/' || c.id || '/' AND n.created_at > %(since)s),
  (SELECT count(*) FROM django_tasks_database_dbtaskresult t WHERE t.task_path = 'core.tasks.send_email'
     AND t.args_kwargs::text LIKE '%%/certificates/' || c.id || '/%%' AND t.enqueued_at > %(since)s),
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
        assert between[pk][2:] == (0, 0, 0, 0, 0), (pk, between[pk])
        assert between[pk][0] == ("description_completed" if pk in sign_tokens else "draft"), (pk, between[pk])
    assert sorted(replayed) == sorted(held), "the committed steps' retries get their first answer"
    for pk, answer in retried.items():
        assert answer.status_code == 200, answer.text[:300]  # the first answer, or the step run now: never a 409
        assert answer.json()["number"] == after[pk][1]
    assert not doubled
    assert sorted(whole) == sorted(steps), {pk: (after[pk], ref[step_of[pk]]) for pk in steps}
