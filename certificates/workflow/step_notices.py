"""Who hears of a step, and what they read: an in-app notice and an email (queued) in each person's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django_tasks import task
from django_tasks.base import TaskContext

from accounts.models import User
from certificates.models import Certificate
from certificates.statuses import COIRole
from certificates.workflow_records import Said, read_said
from core.notify import NoticeKind, notify
from core.tasks import first_run, queue_with_the_step
from directory.models import ActivityKind, Membership, OperatorActivity, Status

ALL_PARTIES = frozenset(COIRole.values)


def staff_of(coi: Certificate, roles: Iterable[str], *, importer_body: bool = False) -> list[User]:
    """The people with a Valid membership of the organisations holding those roles on the COI, and with
    `importer_body` the staff of the control body certifying the importer (its Organic Importer activity)."""
    wanted = set(roles)
    operators = [
        getattr(coi, f"{field}_id")
        for role, field in (
            (COIRole.IMPORTER, "importer"),
            (COIRole.EXPORTER, "exporter"),
            (COIRole.FIRST_CONSIGNEE, "first_consignee"),
            (COIRole.RFL, "rfl"),
        )
        if role in wanted
    ]
    authorities = [coi.validating_authority_id] if COIRole.VALIDATING_AUTHORITY in wanted else []
    if COIRole.ENTRY_AUTHORITY in wanted and coi.point_of_entry_id:
        authorities.append(coi.point_of_entry.authority_id)  # type: ignore[union-attr]  # point_of_entry_id checked in the condition
    codes = [coi.control_body_code_id] if COIRole.CONTROL_BODY in wanted else []
    if importer_body and coi.importer_id:
        codes += OperatorActivity.objects.filter(operator_id=coi.importer_id, kind=ActivityKind.IMPORTER).values_list(
            "control_body_code_id", flat=True
        )
    query = Q(operator_id__in=[o for o in operators if o])
    query |= Q(authority_id__in=[a for a in authorities if a])
    query |= Q(control_body_code_id__in=[c for c in codes if c])
    user_ids = Membership.objects.filter(query, status=Status.VALID).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=user_ids, is_active=True))


def _translated(message: str, params: dict[str, Any]) -> str:
    return gettext(message) % params


def _read(said: list[Any], typed: str) -> str:
    return " ".join(part for part in (read_said(said), typed) if part)


translated = lazy(_translated, str)
# The notice's text: the step's own words in the reader's language (`workflow_records.read_said`), then what the
# actor typed, as typed.
read_in_language = lazy(_read, str)


def tell(
    coi: Certificate,
    roles: Iterable[str],
    title: str,
    text: str = "",
    *,
    params: dict[str, Any] | None = None,
    actor: Any = None,
    kind: str = NoticeKind.CERTIFICATE,
    importer_body: bool = False,
    said: list[Said] | None = None,
) -> None:
    """Notify the staff of the parties holding `roles` on the COI (but the actor) of one step.

    `title` is an untranslated message (marked with gettext_noop) formatted with `params`: each person reads
    it in their own language. `text` is what the actor typed (a reason, a description), as typed; `said` the
    step's own words before it (as `HistoryEntry.said`: msgids with their values), read in each one's language.

    The step queues ONE task (`tell_later`), in its own transaction: the notification is committed with the step
    or not at all, and the task worker finds the people, renders each one's notice and email in their language
    and queues the emails, instead of the step's request doing it once per person.
    """
    queue_with_the_step(
        tell_later,
        coi.pk,
        sorted(str(r) for r in roles),
        str(title),
        str(text),
        {key: str(value) for key, value in (params or {}).items()},
        getattr(actor, "pk", None),
        str(kind),
        importer_body,
        [[str(message), values] for message, values in said or ()],
        after_commit=False,  # a queue outside the database runs it at once, as before
    )


@task(takes_context=True)
def tell_later(
    context: TaskContext,
    coi_id: int,
    roles: list[str],
    title: str,
    text: str,
    params: dict[str, str],
    actor_id: int | None,
    kind: str,
    importer_body: bool,
    said: list[Any] | None = None,  # absent from the tasks queued before it existed
) -> int:
    """`tell`'s work, run by the task worker: the notices and the queued emails in one transaction (a worker
    stopped in the middle leaves none, and the task runs again; a worker stopped after that transaction, before
    the task is marked done, leaves them once: `core.tasks.first_run`). Returns how many emails were queued."""
    coi = Certificate.objects.select_related("point_of_entry").filter(pk=coi_id).first()
    if coi is None:
        return 0
    values = {"number": coi.number or str(coi.pk), **params}
    with transaction.atomic():
        if not first_run(context):
            return 0
        people = [u for u in staff_of(coi, roles, importer_body=importer_body) if actor_id is None or u.pk != actor_id]
        return notify(
            people,
            kind=kind,
            template="core/email/notice",
            context={"title": translated(title, values), "text": read_in_language(said, text) if said else text},
            url=reverse("certificates:detail", args=[coi.pk]),
        )
