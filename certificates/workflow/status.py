"""The one function that assigns a COI's status: every step (submission included) calls it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from certificates.access import Person
from certificates.models import Certificate
from certificates.workflow.history import record
from certificates.workflow.step_notices import tell
from certificates.workflow_records import Said
from core.notify import NoticeKind


def change_status(
    person: Person,
    coi: Certificate,
    new_status: str,
    step: str,
    *,
    role: str,
    note: str = "",
    also: tuple[str, ...] = (),
    said: list[Said] | None = None,
) -> Certificate:
    """Save the new status and write its history entry (the one place a status is assigned). `also`: fields the
    step set on the COI just before (its number, its submission time), saved in the same UPDATE."""
    old = coi.status
    coi.status = new_status
    coi.save(update_fields=["status", *also, "updated_at"])
    record(person, coi, step, role=role, old_status=old, new_status=new_status, note=note, said=said)
    return coi


def change_status_and_tell(
    person: Person,
    coi: Certificate,
    new_status: str,
    step: str,
    *,
    role: str,
    note: str = "",
    also: tuple[str, ...] = (),
    said: list[Said] | None = None,
    told: Iterable[str],
    title: str,
    text: str = "",
    params: dict[str, Any] | None = None,
    kind: str = NoticeKind.CERTIFICATE,
) -> Certificate:
    """A step's usual end: the new status and its history entry (`change_status`), then the staff of the parties
    holding the roles `told` are notified (`step_notices.tell`: `title` untranslated, formatted with `params`;
    `text` as the person typed it), the person who took the step aside. `also` as for `change_status`."""
    change_status(person, coi, new_status, step, role=role, note=note, also=also, said=said)
    tell(coi, told, title, text, params=params, actor=person.user, kind=kind)
    return coi
