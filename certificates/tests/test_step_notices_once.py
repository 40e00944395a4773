"""A step's notices are written once even when their task runs again (issue 26 point 1: the worker killed after
`tell_later` committed the notices and queued the emails, before the task was marked done)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django_tasks.base import TaskContext

from certificates.statuses import COIRole
from certificates.workflow.step_notices import tell_later
from core.models import Notice

pytestmark = pytest.mark.django_db


def test_it_tells_a_steps_parties_once_when_its_task_runs_again(world: Any) -> None:
    coi = world.draft()
    mail.outbox.clear()
    before = Notice.objects.count()
    args = (
        coi.pk,
        [COIRole.IMPORTER, COIRole.CONTROL_BODY],
        "COI %(number)s submitted",
        "",
        {},
        None,
        "certificate",
        False,
    )
    result = tell_later.enqueue(*args)  # the tests' immediate backend runs it at once
    told = Notice.objects.count() - before
    assert told >= 2 and result.return_value == len(mail.outbox) >= 2
    assert tell_later.func(TaskContext(task_result=result), *args) == 0  # run again, as after a killed worker
    assert Notice.objects.count() - before == told
    assert len(mail.outbox) == result.return_value
