"""What the pages and the API offer a person on one COI now: the steps the table allows them, read from
`certificates/matrix.py` (hiding a button is comfort; the workflow's functions check again), and the COI's
relatives (its base, its extracts with what remains of each lot, what it replaces, what replaces it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from certificates.access import Person, roles_on, visible_filter
from certificates.matrix import Action, allowed
from certificates.models import Certificate
from certificates.workflow.extracts import Lot, is_depleted, lots, released_in_parts
from certificates.workflow_records import HistoryEntry

# Step name (in URLs and the API) -> the table's action that allows it.
STEPS: dict[str, Action] = {
    "checks": Action.SIGN_18,
    "sign-18": Action.SIGN_18,
    "decide": Action.SIGN_20,
    "sign-21": Action.SIGN_21,
    "replace": Action.REPLACE,
    "flag": Action.FLAG_OFIS,
    "delete": Action.DELETE,
    "extract": Action.INITIATE_EXTRACT,
    "submit-extract": Action.SUBMIT_EXTRACT,
    "split": Action.SPLIT,
    "deplete": Action.DEPLETE,
    # Reg. (EU) 2021/2306 (certificates/workflow/release.py)
    "verify-23": Action.VERIFY_23,
    "sign-25": Action.SIGN_25,
    "decide-30": Action.SIGN_30,
    "sign-31": Action.SIGN_31,
}


def steps_for(person: Person, coi: Certificate) -> list[str]:
    roles = roles_on(person, coi)
    steps = [step for step, action in STEPS.items() if allowed(coi, roles, action)]
    if {"extract", "split", "deplete"} & set(steps) and is_depleted(coi):
        steps = [s for s in steps if s not in ("extract", "split", "deplete")]
    if "replace" in steps and Certificate.objects.filter(replaces=coi).exists():
        steps.remove("replace")
    return steps


@dataclass
class Relatives:
    base: Certificate | None = None
    extracts: list[Certificate] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    depleted: bool = False
    replaces: Certificate | None = None
    replaced_by: Certificate | None = None


def relatives(person: Person, coi: Certificate) -> Relatives:
    """The COI's relatives the person may see (a relative they may not see is not shown)."""
    visible = Certificate.objects.filter(visible_filter(person))
    # One query for every relative: the base, the extracts, what it replaces and what replaced it.
    related = Q(base=coi) | Q(replaces=coi)
    for pk in (coi.base_id, coi.replaces_id):
        if pk:
            related |= Q(pk=pk)
    found_rows = list(visible.filter(related).order_by("pk"))
    found = Relatives(
        base=next((c for c in found_rows if c.pk == coi.base_id), None) if coi.base_id else None,
        extracts=[c for c in found_rows if c.base_id == coi.pk],
        replaces=next((c for c in found_rows if c.pk == coi.replaces_id), None) if coi.replaces_id else None,
        replaced_by=next((c for c in found_rows if c.replaces_id == coi.pk), None),
    )
    if released_in_parts(coi) or found.extracts:
        found.lots = lots(coi)
        found.depleted = is_depleted(coi)
    return found


def history(coi: Certificate) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(certificate=coi).order_by("at", "pk"))
