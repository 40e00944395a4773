"""The history of a COI: one entry per step, with the boxes changed as people read them (old and new).

Written by the workflow's steps (`certificates/workflow/`) and by the box edits after submission
(`certificates/services.update_boxes`), always inside the step's own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from certificates.access import Person, roles_on
from certificates.boxes import BOX_OF_FIELD, BoxData, as_data
from certificates.coi_forms import form_of
from certificates.models import Certificate, Document
from certificates.queries import detail_queryset
from certificates.statuses import COIRole
from certificates.workflow_records import HistoryEntry, Said, Step, history_written
from core.tasks import queued_together
from directory.models import Authority, Operator, PointOfEntry

ROLE_ORDER = [
    COIRole.CONTROL_BODY,
    COIRole.VALIDATING_AUTHORITY,
    COIRole.ENTRY_AUTHORITY,
    COIRole.IMPORTER,
    COIRole.RFL,
    COIRole.FIRST_CONSIGNEE,
    COIRole.EXPORTER,
]
NAMED = {
    "exporter": Operator,
    "importer": Operator,
    "first_consignee": Operator,
    "rfl": Operator,
    "validating_authority": Authority,
    "point_of_entry": PointOfEntry,
}


def person_name(user: Any) -> str:
    full = f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}".strip()
    return full or str(getattr(user, "email", "") or user)


def organisation_of(coi: Certificate, role: str) -> str:
    """The organisation the person acts for in that role on this COI, as the history shows it."""
    if role == COIRole.CONTROL_BODY and coi.control_body_code_id:
        code = coi.control_body_code
        return f"{code.control_body.name} ({code.code})"  # type: ignore[union-attr]  # the code's control body is always set
    if role == COIRole.ENTRY_AUTHORITY and coi.point_of_entry_id:
        return coi.point_of_entry.authority.name  # type: ignore[union-attr]  # point_of_entry_id checked above
    field = {
        COIRole.IMPORTER: "importer",
        COIRole.EXPORTER: "exporter",
        COIRole.FIRST_CONSIGNEE: "first_consignee",
        COIRole.RFL: "rfl",
        COIRole.VALIDATING_AUTHORITY: "validating_authority",
    }.get(role)  # type: ignore[call-overload]  # role is a COIRole value
    organisation = getattr(coi, field, None) if field else None
    return str(getattr(organisation, "name", "") or "")


# The entries recorded inside `written_together`, not written yet (None outside it).
_pending: ContextVar[list[HistoryEntry] | None] = ContextVar("history_pending", default=None)


@contextmanager
def written_together() -> Iterator[None]:
    """The history entries `record` makes inside the block are written when it ends, in one INSERT, and the new
    versions of their COIs' PDFs are queued as one task (`history_written`, see `outputs/pdf_store.py`): a step
    that writes several entries, on one COI or several (box 18 with its checks, an extract and its base, a split,
    a replacement), costs one query for them all. Each entry keeps its own time and their order. The tasks the
    step queues (its notices, its PDFs' render) are written after them in one INSERT too (`core.tasks.
    queued_together`). Inside another block, joins it; left by an exception, writes nothing (the step's
    transaction is rolled back)."""
    if _pending.get() is not None:
        yield
        return
    pending: list[HistoryEntry] = []
    token = _pending.set(pending)
    with queued_together():
        try:
            yield
        finally:
            _pending.reset(token)
        if pending:
            HistoryEntry.objects.bulk_create(pending)
            history_written.send(sender=HistoryEntry, entries=pending)


def record(
    person: Person,
    coi: Certificate,
    step: str,
    *,
    role: str = "",
    old_status: str = "",
    new_status: str = "",
    changes: list[dict[str, str]] | None = None,
    note: str = "",
    said: list[Said] | None = None,
) -> HistoryEntry:
    """One history entry; saving it makes a new version of the COI's PDF (see `outputs/pdf_store.py`). Inside
    `written_together`, written when the block ends (until then unsaved: no pk). `said`: the entry's own words,
    msgids (gettext_noop) with their values, read in the reader's language (`HistoryEntry.said`); `note`: what
    the person typed."""
    entry = HistoryEntry(
        certificate=coi,
        actor=person.user if getattr(person.user, "pk", None) else None,
        actor_name=person_name(person.user),
        organisation=organisation_of(coi, role) if role else "",
        role=role,
        step=step,
        old_status=old_status,
        new_status=new_status or old_status,
        changes=changes or [],
        note=note,
        said=said or [],
    )
    pending = _pending.get()
    if pending is None:
        entry.save(force_insert=True)
    else:
        pending.append(entry)
    return entry


def role_of(roles: set[str]) -> str:
    """The role a person with these roles on the COI acts as in its history."""
    return next((r for r in ROLE_ORDER if r in roles), "")


def record_edit(
    person: Person, coi: Certificate, roles: set[str], before: BoxData, after: BoxData
) -> list[dict[str, str]]:
    """A box edit after submission: the history keeps each changed field with its old and new value (returned)."""
    changes = diff(before, after, form_of(coi).typed_box_of_field)
    if changes:
        record(person, coi, Step.EDIT, role=role_of(roles), old_status=coi.status, changes=changes)
    return changes


def document_step(person: Person, coi: Certificate, document: Document, step: str) -> None:
    """An accompanying document attached or withdrawn after submission: who, when, and which document."""
    roles = roles_on(person, coi)
    role = next((r for r in ROLE_ORDER if r in roles), "")
    note = f"{document} ({document.original_name})"
    record(person, coi, step, role=role, old_status=coi.status, note=note)


def diff(before: BoxData, after: BoxData, box_of_field: dict[str, str] | None = None) -> list[dict[str, str]]:
    """What changed, box by box (`box_of_field`: the COI's form's; the guides' form by default)."""
    changes = []
    for field, box in (BOX_OF_FIELD if box_of_field is None else box_of_field).items():
        if before.get(field) == after.get(field):  # the same value reads the same (no name looked up)
            continue
        old, new = readable(field, before.get(field)), readable(field, after.get(field))
        if old != new:
            changes.append({"box": box, "field": field, "old": old, "new": new})
    return changes


def snapshot(coi: Certificate) -> BoxData:
    """The boxes as they are now (as_data of a COI read with its lines and containers)."""
    return as_data(detail_queryset().get(pk=coi.pk))


def readable(field: str, value: Any) -> str:
    """A value as a person reads it: names for organisations, one line per lot for box 13."""
    if value in (None, "", []):
        return ""
    if field in NAMED:
        found = NAMED[field]._default_manager.filter(pk=value).first()
        return str(getattr(found, "name", None) or found or value)
    if field == "commodities":
        return "; ".join(_line_text(c["cn_code"], line) for c in value for line in c["lines"]) or " ".join(
            c["cn_code"] for c in value
        )
    if field == "containers":
        return "; ".join(f"{c['number']} ({c['seals']})" if c["seals"] else c["number"] for c in value)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _line_text(cn_code: str, line: dict[str, Any]) -> str:
    weight = line.get("net_weight")
    weight_text = (
        f"{weight.normalize():f}" if weight is not None and hasattr(weight, "normalize") else str(weight or "")
    )
    parts = [cn_code, line.get("trade_name") or "", line.get("lot_number") or ""]
    parts += [f"{line.get('packages') or 0} {line.get('packaging_type') or ''}".strip()]
    parts += [f"{weight_text} {line.get('net_weight_unit') or ''}".strip()]
    return " ".join(p for p in parts if p)
