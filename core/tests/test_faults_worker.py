"""The task worker killed mid-task (issue 26 point 1), with real processes (the deployment of
core/tests/conftest.py: gunicorn, PostgreSQL, the S3 store, a real mail server, `manage.py db_worker`).

Steps queue their PDF renders and emails; one worker (a fixed `--worker-id`, as a deployment gives each slot)
is killed (SIGKILL) three times: while it renders a PDF; while the mail server holds its answer to an email
(a message whose sender is gone is not accepted); and after the mail server accepted an email and the worker
kept it as sent, before the task is marked done (the test keeps the task's row locked). Started again under
its id, the worker runs each interrupted task again: every email is in the mail server once, every COI has
one PDF per language. Figures (tasks, kills, emails and PDFs lost or doubled) are printed.
"""

from __future__ import annotations

import signal
import subprocess
from collections import Counter
from typing import Any

import psycopg
import pytest
import requests

from core.tests.conftest import Inbox, Store
from core.tests.test_several_servers import wait_for

pytestmark = pytest.mark.servers
WORKER = "faults-worker-1"
TASKS = "SELECT id::text, task_path, status, args_kwargs FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at"


def _tasks(site: dict) -> list[tuple[str, str, str, Any]]:
    with psycopg.connect(site["db"]) as conn:
        return [tuple(row) for row in conn.execute(TASKS).fetchall()]  # type: ignore[misc]


def _running(site: dict, path: str) -> str | None:
    return next((pk for pk, task, status, _a in _tasks(site) if status == "RUNNING" and task.endswith(path)), None)


def _kill(worker: subprocess.Popen[bytes]) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)


def test_it_runs_a_killed_workers_task_again_and_its_effect_happens_once(
    fault_site: dict, fault_inbox: tuple[Inbox, int], fault_store: Store
) -> None:
    site, inbox = fault_site, fault_inbox[0]
    cois = site["drafts"]["worker"]
    with psycopg.connect(site["db"]) as conn:
        conn.execute("DELETE FROM django_tasks_database_dbtaskresult")
    received_before = len(inbox.messages)
    headers = {"Authorization": f"Bearer {site['token']}"}
    for pk in cois:  # each submission queues its PDF render and its notices (no worker runs yet)
        answer = requests.post(f"{site['url']}/api/v1/certificates/{pk}/submit", headers=headers, timeout=60)
        assert answer.status_code == 200, answer.text[:300]
    queued = _tasks(site)  # the notices' task queues the emails when it runs
    assert sum(task.endswith("tell_later") for _p, task, _s, _a in queued) == len(cois)
    killed: dict[str, str] = {}

    def worker() -> subprocess.Popen[bytes]:
        return site["worker"]("--worker-id", WORKER)

    # 1. Killed while it renders a PDF.
    running = worker()
    killed["rendering a PDF"] = wait_for(lambda: _running(site, "prerender"), 120, "a PDF render running")
    _kill(running)
    # 2. Killed while the mail server holds its answer to an email: the message is not accepted.
    inbox.hold = 15.0
    running = worker()
    killed["sending an email"] = wait_for(lambda: inbox.holding and _running(site, "send_email"), 120, "an email")
    _kill(running)
    # 3. Killed once the email is accepted and kept as sent, before its task is marked done.
    inbox.hold = 2.0
    running = worker()
    task = wait_for(lambda: inbox.holding and _running(site, "send_email"), 120, "an email")
    lock = psycopg.connect(site["db"])
    lock.execute("SELECT id FROM django_tasks_database_dbtaskresult WHERE id = %s FOR UPDATE", [task])
    with psycopg.connect(site["db"]) as conn:
        sent = "SELECT count(*) FROM core_sentemail WHERE key = %s"
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )

        def kept_and_waiting() -> bool:
            return conn.execute(sent, [task]).fetchone()[0] == 1 and conn.execute(waiting).fetchone()[0] >= 1

        wait_for(kept_and_waiting, 60, "the email accepted and kept as sent, the task not yet marked done")
    killed["after the email was accepted"] = task
    _kill(running)
    lock.close()
    # Started again under its id: the interrupted tasks run again.
    inbox.hold = 0.0
    running = worker()
    try:
        wait_for(lambda: all(status == "SUCCESSFUL" for _p, _t, status, _a in _tasks(site)), 120, "every task done")
    finally:
        running.terminate()
        running.wait(timeout=30)

    done = _tasks(site)
    emails = [(a["args"][0], a["args"][1]) for _pk, task, _s, a in done if task.endswith("send_email")]
    received = Counter(inbox.messages[received_before:])
    wanted = Counter(emails)
    pdfs = {pk: sorted(k.rsplit("/", 1)[1].split("-")[0] for k in fault_store.keys(f"coi-pdf/{pk}/")) for pk in cois}
    statuses = Counter(status for _p, _t, status, _a in _tasks(site))
    lost = sum(max(0, n - received[s]) for s, n in wanted.items())
    doubled = sum(max(0, received[s] - n) for s, n in wanted.items())
    print(
        f"tasks {len(done)} ({len(queued)} queued by the steps, {len(emails)} emails), worker killed "
        f"{len(killed)} times ({', '.join(killed)}); tasks now {dict(statuses)}; emails received "
        f"{sum(received.values())} of {len(emails)}: lost {lost}, doubled {doubled}; PDFs per COI {pdfs}"
    )
    assert len(killed) == 3, killed
    assert statuses == {"SUCCESSFUL": len(done)} and len(done) == len(queued) + len(emails)
    assert emails and max(wanted.values()) == 1  # each person told once of each submission: no notice task twice
    assert received == wanted, (received, wanted)  # each email once: none lost, none twice
    assert pdfs == {pk: ["en", "fr"] for pk in cois}  # one PDF per language: the render that was killed ran again
