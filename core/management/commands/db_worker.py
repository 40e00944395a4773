"""`manage.py db_worker`: django-tasks' database worker (django_tasks_db), which first takes back the tasks a
killed worker left running, so that they run again (issue 26).

A worker that is killed (SIGKILL, the machine lost) leaves its task marked RUNNING, and django-tasks never
runs it again: its email is never sent, its PDF never kept. At start, this worker puts back in the queue:
- every task left RUNNING by a worker of the same `--worker-id` (the previous process of this slot: give each
  worker its own fixed id, e.g. `--worker-id web1-1`; two live workers never share one);
- every task left RUNNING for longer than `TASKS_RUNNING_LIMIT_SECONDS` (an hour by default), whatever its
  worker (one killed and never started again under its id).
Each task's effect happens once all the same: a PDF is kept under its version's name (stored once), an
email is kept as sent by its task's id (`core.tasks.send_email`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker
from django_tasks_db.models import DBTaskResult


def take_back(worker_id: str, now: datetime.datetime | None = None) -> list[str]:
    """Put back in the queue the tasks left RUNNING by `worker_id`, or for longer than the limit; their ids."""
    limit = (now or timezone.now()) - datetime.timedelta(seconds=settings.TASKS_RUNNING_LIMIT_SECONDS)
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(status=TaskResultStatus.RUNNING)
        left = [
            task.pk
            for task in running
            if (task.worker_ids and task.worker_ids[-1] == worker_id) or (task.started_at and task.started_at < limit)
        ]
        DBTaskResult.objects.filter(pk__in=left).update(status=TaskResultStatus.READY, started_at=None)
    return [str(pk) for pk in left]


class Command(DatabaseWorker):
    help = "Run the task worker; tasks a killed worker left running are first put back in the queue."

    def handle(self, *args: Any, worker_id: str, **options: Any) -> None:
        taken = take_back(worker_id)
        if taken:
            self.stdout.write(f"Put back in the queue, left running by a worker killed: {', '.join(taken)}")
        super().handle(*args, worker_id=worker_id, **options)
