"""A task worker killed mid-task (issue 26), in process: what `manage.py db_worker` takes back at its start,
and an email task run again sends nothing twice. The same with real processes: test_faults_worker.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskContext
from django_tasks_db.models import DBTaskResult

from core.management.commands.db_worker import take_back
from core.models import SentEmail
from core.tasks import send_email

pytestmark = pytest.mark.django_db


def _running(worker: str, started: datetime.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING", worker_ids=[worker], started_at=started, args_kwargs={"args": [], "kwargs": {}},
        task_path="core.tasks.send_email", backend_name="default", run_after=started,
    )  # fmt: skip


def test_it_takes_back_what_its_worker_id_or_a_long_dead_worker_left_running_not_a_live_workers_task() -> None:
    now = timezone.now()
    mine = _running("web1-worker-1", now)
    other = _running("web1-worker-2", now)  # another slot, alive
    stale = _running("web2-worker-1", now - datetime.timedelta(hours=2))  # never started again
    taken = take_back("web1-worker-1", now)
    assert sorted(taken) == sorted([str(mine.pk), str(stale.pk)])
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "READY", other.pk: "RUNNING", stale.pk: "READY"}
    assert DBTaskResult.objects.ready().count() == 2  # the worker's next pick


def test_it_sends_an_email_once_when_its_task_runs_again(settings: Any) -> None:
    result = send_email.enqueue("ops@example.org", "COI submitted", "once")  # sent (the immediate backend runs it)
    again = send_email.func(TaskContext(task_result=result), "ops@example.org", "COI submitted", "once")
    assert again == 0
    assert [m.subject for m in mail.outbox] == ["COI submitted"]
    assert SentEmail.objects.get().key == str(result.id)
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<{result.id}@")
