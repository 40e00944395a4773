"""The one function that assigns a COI's status: every step (submission included) calls it."""

from __future__ import annotations

from certificates.access import Person
from certificates.models import Certificate
from certificates.workflow.history import record


def change_status(
    person: Person,
    coi: Certificate,
    new_status: str,
    step: str,
    *,
    role: str,
    note: str = "",
    also: tuple[str, ...] = (),
) -> Certificate:
    """Save the new status and write its history entry (the one place a status is assigned). `also`: fields the
    step set on the COI just before (its number, its submission time), saved in the same UPDATE."""
    old = coi.status
    coi.status = new_status
    coi.save(update_fields=["status", *also, "updated_at"])
    record(person, coi, step, role=role, old_status=old, new_status=new_status, note=note)
    return coi
