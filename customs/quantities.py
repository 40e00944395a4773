"""Quantity management of Implementing Reg. (EU) 2024/2145: every function here changes what remains of a document,
under one transaction holding the row lock of each document it touches (taken in the order of their ids, so two
declarations quoting the same documents never wait on each other in a circle).

- `declare` (Art. 6): each item of a declaration writes off its net weight against the document's lines of its CN
  code, in box-13 order, all items or none, never more than remains, whatever the concurrency;
- `restore` (Art. 6(4) and Art. 7): an invalidation, or goods not released, gives back exactly what the items had
  written off, once: the same invalidation twice restores once;
- `amend` (Art. 7): each amended item gives back what it wrote off and writes off its new quantity, at once;
- `adjust` (Art. 8): a customs office, or the document's competent authority, writes off or restores a quantity
  of one line by hand, with its reason; a restoration never gives a line more than its own net weight.

Each change writes a history entry of the COI (`Step.CUSTOMS_*`): a new version of its page and PDF.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from certificates.models import Certificate, HistoryEntry
from certificates.statuses import COIStatus
from certificates.workflow_records import Said, Step, msgid
from core import text
from core.typography import quantity
from customs import documents
from customs.documents import Document
from customs.identifiers import normalised_identifier
from customs.models import CustomsClient, CustomsOffice, DeclarationItem, Movement, Restoration
from customs.rules import (
    CoversCnCode,
    DocumentExists,
    ImporterMatches,
    Refusal,
    Refused,
    StatusAllowsRelease,
    WithinRemaining,
    cn_matches,
)

ZERO = documents.ZERO


@dataclass(frozen=True)
class Caller:
    """Who calls the exchange: a customs office, through one of its machine clients or one of its staff."""

    office: CustomsOffice
    client: CustomsClient | None = None
    user: Any = None

    @property
    def name(self) -> str:
        who = self.client.name if self.client else (self.user.get_full_name() or self.user.email if self.user else "")
        return f"{who} ({self.office.code})" if who else self.office.code


@dataclass(frozen=True)
class Item:
    """One item of a declaration quoting one document: CN code (8 digits, or 10 of TARIC), net weight in kg."""

    number: int
    document: str
    cn_code: str
    net_weight: Decimal


# Check availability (Art. 5) ------------------------------------------------------------------------------


def refusals(doc: Document, eori: str, items: Sequence[tuple[str, Decimal]]) -> list[Refusal]:
    """Why the document cannot be relied on for these (CN code, net weight) items of that importer; [] if it can.
    The items are taken from the lines in their order, as `declare` takes them (first lots first): an item is
    refused when what the earlier items left of the lines of its CN code is less than its weight, whatever the
    codes (08013200 and its TARIC 0801320010, or two codes under one line's heading, share that line)."""
    found = [r for r in [StatusAllowsRelease.refusal(doc.coi, doc.customs_status)] if r]
    found += [r for r in [ImporterMatches.refusal(doc.coi, eori, doc.importer_eoris)] if r]
    left = [lot.remaining for lot in doc.lots]
    codes = [lot.cn_code for lot in doc.lots]
    for i, (cn_code, weight) in enumerate(items):
        refusal = CoversCnCode.refusal(doc.coi, cn_code, codes, i)
        if refusal:
            found.append(refusal)
            continue
        matching = [n for n, code in enumerate(codes) if cn_matches(cn_code, code)]
        refusal = WithinRemaining.refusal(doc.coi, cn_code, weight, sum((left[n] for n in matching), ZERO), i)
        if refusal:
            found.append(refusal)
            continue
        for n in matching:
            taken = min(weight, max(left[n], ZERO))
            left[n] -= taken
            weight -= taken
    return found


def available(reference: str, eori: str, items: Sequence[tuple[str, Decimal]]) -> tuple[Document | None, list[Refusal]]:
    coi = documents.find(reference)
    if coi is None:
        return None, [Refusal(DocumentExists.code, str(DocumentExists.message(reference)))]
    doc = documents.document(coi)
    return doc, refusals(doc, eori, items)


# Automatic quantity management (Art. 6) -------------------------------------------------------------------


def declare(
    caller: Caller,
    *,
    mrn: str,
    importer_eori: str,
    items: Sequence[Item],
    request_id: str,
    declared_at: datetime.datetime | None = None,
    contingency: bool = False,
) -> list[DeclarationItem]:
    """Write off every item, or none (Refused, with the item's position)."""
    with transaction.atomic():
        locked = _lock_documents(item.document for item in items)
        written = _write_off(caller, locked, mrn, importer_eori, items, request_id, declared_at, contingency)
    return written


def _write_off(
    caller: Caller,
    locked: dict[str, Certificate],
    mrn: str,
    importer_eori: str,
    items: Sequence[Item],
    request_id: str,
    declared_at: datetime.datetime | None,
    contingency: bool,
) -> list[DeclarationItem]:
    docs: dict[str, Document] = {}
    positions: dict[str, list[int]] = {}
    seen: set[tuple[int, str]] = set()
    for i, item in enumerate(items):
        coi = locked.get(item.document)
        if coi is None:
            raise Refused(DocumentExists.message(item.document), code=DocumentExists.code, status=404, item=i)
        if (item.number, item.document) in seen:
            raise Refused(
                _("Item %(item)s quotes %(number)s twice in this request.")
                % {"item": item.number, "number": coi.number},
                code="item_repeated",
                status=422,
                item=i,
            )
        seen.add((item.number, item.document))
        docs.setdefault(item.document, documents.document(coi))
        positions.setdefault(item.document, []).append(i)
        if DeclarationItem.objects.filter(
            mrn=mrn, item_number=item.number, certificate=coi, restored_at__isnull=True
        ).exists():
            raise Refused(
                _("Item %(item)s of declaration %(mrn)s has already written off %(number)s.")
                % {"item": item.number, "mrn": mrn, "number": coi.number},
                code="item_already_written_off",
                item=i,
            )
    # Each document's items together, in their order: never more than remains of it (Art. 6(1)(b)).
    found = []
    for reference, at in positions.items():
        quoted = [(items[n].cn_code, items[n].net_weight) for n in at]
        for refusal in refusals(docs[reference], importer_eori, quoted):
            found.append((at[refusal.item] if refusal.item is not None else at[0], refusal))
    if found:
        position, first = min(found, key=lambda f: f[0])
        raise Refused(first.detail, code=first.code, item=position)
    now = timezone.now()
    written = []
    for item in items:
        doc = docs[item.document]
        row = DeclarationItem.objects.create(
            office=caller.office, client=caller.client, user=caller.user, mrn=mrn, item_number=item.number,
            certificate=doc.coi, cn_code=item.cn_code, net_weight=item.net_weight, importer_eori=importer_eori,
            declared_at=declared_at or now, recorded_at=now, request_id=request_id, contingency=contingency,
        )  # fmt: skip
        _take(caller, doc, row, now)
        written.append(row)
    for doc in {id(d): d for d in docs.values()}.values():
        mine = [w for w in written if w.certificate_id == doc.coi.pk]
        said: list[Said] = [
            (WRITTEN_OFF, {"mrn": w.mrn, "item": w.item_number, "weight": _kg(w.net_weight), "cn": w.cn_code})
            for w in mine
        ]
        _history(caller, doc.coi, Step.CUSTOMS_WRITE_OFF, [*said, (CONTINGENCY, {})] if contingency else said)
    return written


def _take(caller: Caller, doc: Document, row: DeclarationItem, at: datetime.datetime) -> None:
    """The item's weight from the document's lines of its CN code, first lots first; `doc` is kept up to date,
    so the next item of the same declaration sees what this one took."""
    wanted = row.net_weight
    moves: list[Movement] = []
    for lot in doc.lots:
        if wanted <= 0:
            break
        if not cn_matches(row.cn_code, lot.cn_code) or lot.remaining <= 0:
            continue
        taken = min(wanted, lot.remaining)
        moves.append(Movement.objects.create(
            certificate=doc.coi, line=lot.line, kind=Movement.Kind.WRITE_OFF, net_weight=taken, item=row, at=at,
            office=caller.office, user=caller.user, actor_name=caller.name,
        ))  # fmt: skip
        moves[-1].net_weight = taken.quantize(ZERO)  # as the database gives it back (numeric(16, 3): "0.500")
        lot.remaining = (lot.remaining - taken).quantize(ZERO)  # as `documents.document` would read it again
        wanted -= taken
    assert wanted == 0, "checked by WithinRemaining under the lock"
    # The answer reads the item's movements and its document as they now are, under the lock still held until the
    # exchange's answer is kept (`customs.exchange.once`): they are not read again.
    row._prefetched_objects_cache = {"movements": _as_read(row.movements.all(), moves)}  # type: ignore[attr-defined]  # Django's prefetch cache
    row.document = doc  # type: ignore[attr-defined]  # read by `written_document`


def _as_read(queryset: Any, rows: list[Any]) -> Any:
    """`queryset` as if it had read `rows` (prefetch_related's way of keeping them)."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def written_document(row: DeclarationItem) -> Document | None:
    """The document an item just wrote off (`declare`, `amend`), as it is after the write-off; None for another."""
    return getattr(row, "document", None)


# Post-clearance amendment or invalidation (Art. 7), goods not released (Art. 6(4)) --------------------------


def restore(
    caller: Caller, *, mrn: str, because: str, item_numbers: Iterable[int] | None = None
) -> list[DeclarationItem]:
    """Give back what the declaration's items (all, or those numbered) had written off; those already restored
    are left alone, so the same invalidation twice restores once. NotFound-like Refused when the declaration
    never wrote anything off here."""
    numbers = None if item_numbers is None else set(item_numbers)
    with transaction.atomic():
        items = _items_of(caller, mrn, numbers)
        _lock(sorted({i.certificate_id for i in items}))
        restored = _give_back(caller, items, because, timezone.now())
    return restored


def amend(caller: Caller, *, mrn: str, importer_eori: str, items: Sequence[Item], request_id: str) -> dict[str, Any]:
    """Each amended item (by number and document) gives back what it wrote off and writes off its new net
    weight (0: nothing), all at once or nothing; items not sent are left as they are."""
    with transaction.atomic():
        _amendable(caller, mrn)
        previous = [
            row
            for row in _items_of(caller, mrn, {i.number for i in items}, active_only=True)
            if any(row.item_number == i.number and row.certificate.number == i.document for i in items)
        ]
        locked = _lock_documents([i.document for i in items])
        now = timezone.now()
        restored = _give_back(caller, previous, Restoration.AMENDMENT, now)
        new = _write_off(
            caller, locked, mrn, importer_eori, [i for i in items if i.net_weight > 0], request_id, None, False
        )
    return {"restored": restored, "written_off": new}


def _amendable(caller: Caller, mrn: str) -> None:
    """Only a declaration that wrote something off here is amended (404 `declaration_not_found`, as for an
    invalidation: an amendment never lodges a new declaration), and not once it is invalidated (Art. 174 UCC: all its
    items given back, by an invalidation; 409 `declaration_invalidated`)."""
    rows = list(
        DeclarationItem.objects.filter(mrn=mrn, office__authority__country=caller.office.member_state).values_list(
            "restored_at", "restored_because"
        )
    )
    if not rows:
        raise Refused(
            _("Declaration %(mrn)s has written nothing off here.") % {"mrn": mrn},
            code="declaration_not_found",
            status=404,
        )
    if all(at is not None for at, _because in rows) and any(b == Restoration.INVALIDATION for _at, b in rows):
        raise Refused(
            _("Declaration %(mrn)s is invalidated: it can no longer be amended.") % {"mrn": mrn},
            code="declaration_invalidated",
        )


def _items_of(
    caller: Caller, mrn: str, numbers: set[int] | None, *, active_only: bool = False
) -> list[DeclarationItem]:
    """The declaration's items written off by an office of the caller's Member State (the MRN is that State's)."""
    qs = DeclarationItem.objects.filter(mrn=mrn, office__authority__country=caller.office.member_state)
    if numbers is not None:
        qs = qs.filter(item_number__in=numbers)
    if not qs.exists() and not active_only:
        raise Refused(
            _("Declaration %(mrn)s has written nothing off here.") % {"mrn": mrn},
            code="declaration_not_found",
            status=404,
        )
    if active_only:
        qs = qs.filter(restored_at__isnull=True)
    return list(qs.select_related("certificate"))


def _give_back(
    caller: Caller, items: list[DeclarationItem], because: str, at: datetime.datetime
) -> list[DeclarationItem]:
    # Read again under the documents' locks: a concurrent invalidation may have restored them meanwhile.
    fresh = list(
        DeclarationItem.objects.filter(pk__in=[i.pk for i in items], restored_at__isnull=True)
        .select_related("certificate")
        .prefetch_related("movements")
    )
    by_coi: dict[int, list[DeclarationItem]] = {}
    for row in fresh:
        for taken in [m for m in row.movements.all() if m.kind == Movement.Kind.WRITE_OFF]:
            Movement.objects.create(
                certificate_id=row.certificate_id, line_id=taken.line_id, kind=Movement.Kind.RESTORATION,
                net_weight=taken.net_weight, item=row, at=at, office=caller.office, user=caller.user,
                actor_name=caller.name, reason=msgid(Restoration(because).label),  # read by restored_because
            )  # fmt: skip
        row.restored_at = at
        row.restored_because = because
        row.save(update_fields=["restored_at", "restored_because"])
        by_coi.setdefault(row.certificate_id, []).append(row)
    for rows in by_coi.values():
        why = {"msgid": msgid(Restoration(because).label)}
        said = [
            (RESTORED, {"mrn": r.mrn, "item": r.item_number, "weight": _kg(r.net_weight), "why": why}) for r in rows
        ]
        _history(caller, rows[0].certificate, Step.CUSTOMS_RESTORATION, said)
    return fresh


# Manual quantity management (Art. 8) ----------------------------------------------------------------------


def reason_refused(reason: str) -> Refused | None:
    """A manual change gives its reason (Art. 8: under the responsibility of who changes it), 1 to 1000
    characters once its surrounding spaces are trimmed: 422 `reason_required` or `reason_too_long`."""
    reason = reason.strip()
    if not reason:
        return Refused(_("Give the reason of the change."), code="reason_required", status=422)
    unreadable = text.refusal(reason, multiline=True)
    if unreadable:
        return Refused(unreadable, code="reason_invalid", status=422)
    if len(reason) > 1000:
        return Refused(_("The reason is at most 1000 characters long."), code="reason_too_long", status=422)
    return None


def adjust(
    coi_pk: int,
    line_pk: int,
    *,
    direction: str,
    net_weight: Decimal,
    reason: str,
    office: CustomsOffice | None = None,
    user: Any = None,
    actor_name: str,
    organisation: str,
) -> Movement:
    """Write off (direction "write_off") or restore ("restore") `net_weight` kg of one line by hand, with the
    reason (required, `reason_refused`). Refused (409) beyond what remains, or beyond the line's own net weight."""
    refused = reason_refused(reason)
    if refused:
        raise refused
    reason = reason.strip()
    if net_weight <= 0:
        raise Refused(_("The net weight must be more than 0 kg."), code="invalid_quantity", status=422)
    with transaction.atomic():
        coi = _lock([coi_pk])[0]
        doc = documents.document(coi)
        lot = next((lot for lot in doc.lots if lot.line.pk == line_pk), None)
        if lot is None:
            raise Refused(_("This document has no such line."), code="line_not_found", status=404)
        if direction == "write_off" and net_weight > lot.remaining:
            raise Refused(
                _("Only %(left)s kg remain of this line.") % {"left": quantity(lot.remaining)},
                code=WithinRemaining.code,
            )
        if direction == "restore" and net_weight > lot.written_off:
            raise Refused(
                _("Only %(taken)s kg of this line were written off: no more can be restored.")
                % {"taken": quantity(lot.written_off)},
                code="restoration_exceeds_written_off",
            )
        kind = Movement.Kind.MANUAL_WRITE_OFF if direction == "write_off" else Movement.Kind.MANUAL_RESTORATION
        movement = Movement.objects.create(
            certificate=coi, line=lot.line, kind=kind, net_weight=net_weight, office=office, user=user,
            actor_name=actor_name, reason=reason,
        )  # fmt: skip
        HistoryEntry.objects.create(
            certificate=coi, actor=user if getattr(user, "pk", None) else None, actor_name=actor_name,
            organisation=organisation, step=Step.CUSTOMS_MANUAL, old_status=coi.status, new_status=coi.status,
            said=[(MANUAL[direction], {"weight": _kg(net_weight), "cn": lot.cn_code, "lot": lot.line.lot_number})],
            note=reason,
        )  # fmt: skip
    return movement


# The words of the history entries (`HistoryEntry.said`): translated in the reader's language when read.
WRITTEN_OFF = gettext_noop("MRN %(mrn)s item %(item)s: %(weight)s kg of %(cn)s")
CONTINGENCY = gettext_noop("recorded during the contingency (Art. 11)")
RESTORED = gettext_noop("MRN %(mrn)s item %(item)s: %(weight)s kg (%(why)s)")
MANUAL = {
    "write_off": gettext_noop("%(weight)s kg of %(cn)s, lot %(lot)s, written off by hand"),
    "restore": gettext_noop("%(weight)s kg of %(cn)s, lot %(lot)s, restored by hand"),
}


# Locks and history ----------------------------------------------------------------------------------------


def _lock_documents(references: Iterable[str]) -> dict[str, Certificate]:
    """The documents of these numbers, each row locked (in id order), by number; unknown numbers are absent."""
    refs = {r for r in (normalised_identifier(r) for r in references) if r}
    # One query: the lock itself, taken in id order (PostgreSQL locks the sorted rows); found as `documents.find`
    # finds them (by number, never a draft), with its related rows (they were found first, one query each).
    return {
        coi.number or "": coi
        for coi in Certificate.objects.select_for_update(of=("self",))
        .select_related(*documents.FOUND_WITH)
        .filter(number__in=refs)
        .exclude(status=COIStatus.DRAFT)
        .order_by("pk")
    }


def _lock(ids: list[int]) -> list[Certificate]:
    """The rows locked in id order, each with what its answer names (`documents.find`'s related rows: the importer,
    the issuing body, the base), read in the locking query (they were read again, one query each, for the answer)."""
    return list(
        Certificate.objects.select_for_update(of=("self",))
        .select_related(*documents.FOUND_WITH)
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _history(caller: Caller, coi: Certificate, step: str, said: list[Said]) -> None:
    HistoryEntry.objects.create(
        certificate=coi, actor=caller.user if getattr(caller.user, "pk", None) else None,
        actor_name=caller.name, organisation=str(caller.office), step=step, old_status=coi.status,
        new_status=coi.status, said=said,
    )  # fmt: skip


def _kg(weight: Decimal) -> dict[str, str]:
    """A weight in a history entry's `said`: written at reading as the reader writes numbers."""
    return {"kg": f"{weight.normalize():f}"}
