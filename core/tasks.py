"""Background tasks (Django's tasks API through django-tasks; the database backend on one machine).

Emails leave through the queue so a slow mail server never slows a page: the task row is written in
the same transaction as the change it reports, and the worker (`manage.py db_worker`) sends it.

`queue_with_the_step` is how a step asks for work after it: with the database queue (production's) the task
row is written in the step's own transaction, so it is committed with the step or not at all (a server
killed right after the commit cannot lose it, issue 26); with a queue outside the database it is enqueued
once the step is committed, never before. Inside `queued_together` (every step that writes its history with
`workflow.history.written_together`), the database queue's rows of the step are written when the block ends,
in one INSERT (a step's PDF render and its notice: one query, not two).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import Task, TaskContext
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued

from core.storage import STORE_ERRORS

logger = logging.getLogger(__name__)


# The database queue's tasks queued inside `queued_together`, not written yet (None outside it).
_pending: ContextVar[list[tuple[Task[Any, Any], tuple[Any, ...]]] | None] = ContextVar("tasks_pending", default=None)


def queue_with_the_step(job: Task[Any, Any], *args: Any, after_commit: bool = True) -> None:
    """Enqueue `job(*args)` as part of the current transaction (see the module's docstring). With a queue outside
    the database, enqueued once the step is committed, or at once with `after_commit=False` (as `job.enqueue`)."""
    if isinstance(task_backends[job.backend], DatabaseBackend):
        pending = _pending.get()
        if pending is None:
            job.enqueue(*args)
        else:
            pending.append((job, args))
    elif after_commit:
        transaction.on_commit(partial(job.enqueue, *args))
    else:
        job.enqueue(*args)


@contextmanager
def queued_together() -> Iterator[None]:
    """The database queue's tasks that `queue_with_the_step` queues inside the block are written when it ends, in
    one INSERT, in their order (each row as the backend's `enqueue` writes it). Inside another block, joins it;
    left by an exception, writes nothing (the step's transaction is rolled back)."""
    if _pending.get() is not None:
        yield
        return
    pending: list[tuple[Task[Any, Any], tuple[Any, ...]]] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending:
        _write(pending)


def _write(pending: list[tuple[Task[Any, Any], tuple[Any, ...]]]) -> None:
    """The rows `DatabaseBackend.enqueue` writes one INSERT each (`_task_to_db_task`, with its pre_save handler's
    `run_after`: bulk_create sends no signal), in one INSERT."""
    from django_tasks_db.models import DBTaskResult, get_date_max  # noqa: PLC0415  # models are not ready when this module loads

    rows: list[DBTaskResult[Any, Any]] = []
    for job, args in pending:
        backend = task_backends[job.backend]
        backend.validate_task(job)
        rows.append(
            DBTaskResult(
                id=backend._get_id(),  # type: ignore[attr-defined]  # the backend's own id for a row
                args_kwargs=normalize_json({"args": args, "kwargs": {}}),
                priority=job.priority,
                task_path=job.module_path,
                queue_name=job.queue_name,
                run_after=get_date_max() if job.run_after is None else job.run_after,
                backend_name=backend.alias,
            )
        )
    DBTaskResult.objects.bulk_create(rows)
    for row in rows:
        task_enqueued.send(type(task_backends[row.backend_name]), task_result=row.task_result)


def first_run(context: TaskContext) -> bool:
    """True the first time a task's effect is committed: called inside the transaction that writes the effect, it
    records the task's id (`core.models.DoneTask`), so a task run again after its worker was killed between that
    commit and the task's "done" returns False and writes nothing twice. Two runs at once: the second waits on
    the unique key and fails with IntegrityError (its transaction rolls back; the first's effect stands)."""
    from core.models import DoneTask  # noqa: PLC0415  # models are not ready when the tasks module loads

    key = str(context.task_result.id)
    if DoneTask.objects.filter(key=key).exists():
        return False
    DoneTask.objects.create(key=key, task_path=context.task_result.task.module_path)
    return True


def retry_later(job: Task[Any, Any], attempt: int, *args: Any) -> bool:
    """Enqueue `job(*args, attempt=attempt + 1)` after a pause that doubles with each attempt
    (`STORE_RETRY_SECONDS`, 60 s by default, at most an hour), up to `STORE_RETRY_ATTEMPTS` (12); False when
    the attempts are spent (the caller logs what is given up)."""
    if attempt >= settings.STORE_RETRY_ATTEMPTS:
        return False
    pause = min(float(settings.STORE_RETRY_SECONDS) * 2**attempt, 3600.0)
    job.using(run_after=timezone.now() + datetime.timedelta(seconds=pause)).enqueue(*args, attempt=attempt + 1)
    return True


@task(queue_name="default", takes_context=True)
def send_email(context: TaskContext, to: str, subject: str, body: str) -> int:
    """Send one email; once per task, even when the task runs again because its worker was killed: what was
    handed to the mail server is kept (`core.models.SentEmail`, keyed by the task's id) and not sent again.
    (Only a worker killed between the mail server's acceptance and that row's write can still send it twice;
    the message's Message-ID, the same at each run, lets a mail client show it once.) Returns how many were
    sent (0 when an earlier run had sent it)."""
    from core.models import SentEmail  # noqa: PLC0415  # models are not ready when the tasks module loads

    key = str(context.task_result.id)
    if SentEmail.objects.filter(key=key).exists():
        return 0
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "opencoi.example"
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers={"Message-ID": f"<{key}@{domain}>"}
    )
    sent = message.send()
    SentEmail.objects.create(key=key, to=to[:254], subject=subject[:300])
    return sent


@task(queue_name="default")
def delete_stored_file(name: str, attempt: int = 0) -> bool:
    """Delete a file of the store once the row that named it is deleted (queued in the same transaction:
    `queue_with_the_step`); while the store does not answer, tried again later (`retry_later`)."""
    try:
        default_storage.delete(name)
    except STORE_ERRORS:
        if not retry_later(delete_stored_file, attempt, name):
            logger.error("The stored file %s could not be deleted: the store did not answer; given up.", name)
        return False
    return True
