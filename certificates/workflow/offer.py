"""What the pages and the API offer a person on one COI now: the steps the table allows them, read from
`certificates/matrix.py` (hiding a button is comfort; the workflow's functions check again), and the COI's
relatives (its base, its extracts with what remains of each lot, what it replaces, what replaces it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q

from certificates.access import Person, roles_on, visible_filter
from certificates.coi_forms import form_of
from certificates.matrix import allowed
from certificates.models import Certificate
from certificates.workflow.extracts import Lot, is_depleted, lots, released_in_parts
from certificates.workflow.steps import STEPS as ALL_STEPS
from certificates.workflow.steps import depleted, replaced
from certificates.workflow_records import HistoryEntry
from core.under_lock import known

# The steps' names, in the order of the COI's life (their declarations: `certificates/workflow/steps.py`).
STEPS: tuple[str, ...] = tuple(ALL_STEPS)


def steps_for(person: Person, coi: Certificate, found: Relatives | None = None) -> list[str]:
    """The names of the steps the table lets this person take on this COI now, on its form, but those a step's
    `offered_unless` withholds (a depleted base offers no extract; a COI being replaced, no second replacement).
    `found`: the COI's relatives read just before (`relatives`), which answer those questions without a query."""
    roles = roles_on(person, coi)
    code = form_of(coi).code
    allowed_now = [s for s in ALL_STEPS.values() if code in s.forms and allowed(coi, roles, s.action)]
    withheld: dict[Callable[[Certificate], bool], bool] = {}  # each question asked once
    if found is not None:
        withheld[replaced] = found.replaced
        if found.depleted_known:
            withheld[depleted] = found.depleted
    for s in allowed_now:
        if s.offered_unless is not None and s.offered_unless not in withheld:
            withheld[s.offered_unless] = s.offered_unless(coi)
    return [s.slug for s in allowed_now if not (s.offered_unless and withheld[s.offered_unless])]


@dataclass
class Relatives:
    base: Certificate | None = None
    extracts: list[Certificate] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    depleted: bool = False
    replaces: Certificate | None = None
    replaced_by: Certificate | None = None
    replaced: bool = False  # a replacement exists, whether the person may see it or not
    depleted_known: bool = False  # `depleted` was read


def relatives(person: Person, coi: Certificate, *, with_lots: bool = True, after_step: bool = False) -> Relatives:
    """The COI's relatives the person may see (a relative they may not see is not shown); `with_lots`: and what
    remains of each lot of a base (the API's step answers name only the relatives); `after_step`: `coi` is the
    one a step just took (its answer says what the step's locked read knew, as the step ended)."""
    no_relatives = getattr(coi, "lock_has_relatives", None) if after_step else known(coi, "lock_has_relatives")
    if no_relatives is False and not (coi.base_id or coi.replaces_id):
        found = Relatives()  # a step's locked read: no extract and no replacement
        if with_lots and released_in_parts(coi):
            found.lots = lots(coi)
            found.depleted, found.depleted_known = is_depleted(coi), True
        return found
    # One query for every relative: the base, the extracts, what it replaces and what replaced it, each with
    # whether the person may see it (one they may not see is not shown, but a replacement still counts).
    related = Q(base=coi) | Q(replaces=coi)
    for pk in (coi.base_id, coi.replaces_id):
        if pk:
            related |= Q(pk=pk)
    rows = list(
        Certificate.objects.filter(related)
        .annotate(seen=ExpressionWrapper(visible_filter(person), output_field=BooleanField()))
        .order_by("pk")
    )
    found_rows = [c for c in rows if c.seen]
    found = Relatives(
        replaced=any(c.replaces_id == coi.pk for c in rows),
        base=next((c for c in found_rows if c.pk == coi.base_id), None) if coi.base_id else None,
        extracts=[c for c in found_rows if c.base_id == coi.pk],
        replaces=next((c for c in found_rows if c.pk == coi.replaces_id), None) if coi.replaces_id else None,
        replaced_by=next((c for c in found_rows if c.replaces_id == coi.pk), None),
    )
    if with_lots and (released_in_parts(coi) or found.extracts):
        found.lots = lots(coi)
        found.depleted, found.depleted_known = is_depleted(coi), True
    return found


def history(coi: Certificate) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(certificate=coi).order_by("at", "pk"))
