"""`{% workflow_panel coi %}`: the workflow panel of a COI page (steps I may take now, relatives, history)."""

from __future__ import annotations

from typing import Any

from django import template

from certificates.access import Person
from certificates.page_cache import shared_parts
from certificates.statuses import COIStatus
from certificates.workflow.models import CheckResult
from certificates.workflow.offer import Relatives, relatives, steps_for
from core.collation import sorted_names
from directory.models import ActivityKind, Operator, Status

register = template.Library()


@register.inclusion_tag("certificates/_workflow.html", takes_context=True)
def workflow_panel(context: dict[str, Any], coi: Any, parts: dict[str, Any] | None = None) -> dict[str, Any]:
    """The panel: the COI's checks, signatures and timeline (`parts`, shared by every party, from
    `certificates.page_cache`), then what this person may do now and the relatives they may see."""
    person = Person.of_request(context["request"])
    steps = steps_for(person, coi)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "coi": coi,
        "parts": parts or shared_parts(coi),
        "steps": steps,
        "relatives": Relatives() if _alone(coi) else relatives(person, coi),
        # The checks form is filled with what was recorded; read only for those who may record them.
        "checks": getattr(coi, "checks", None) if "checks" in steps else None,
        "check_results": CheckResult.choices,
        "decisions": _decisions(coi),
        "consignees": _consignees() if {"extract", "split"} & set(steps) else [],
    }


def _alone(coi: Any) -> bool:
    """No relative to look for: it names no other COI, none names it (read with its row by
    `page_cache.with_version`), and it is not released in batches (no lots to show)."""
    named_by_others = getattr(coi, "named_by_others", True)
    return not (named_by_others or coi.base_id or coi.replaces_id or coi.release_in_batches)


def _decisions(coi: Any) -> list[tuple[str, str]]:
    return [
        (d, str(COIStatus(d).label))
        for d in COIStatus.box20_decisions()
        if not (coi.base_id and d == COIStatus.BASIS_FOR_EXTRACT)
    ]


def _consignees() -> list[Operator]:
    """Operators that may be an extract's consignee (a Valid first-consignee activity)."""
    return sorted_names(
        Operator.objects.filter(
            status=Status.VALID, activities__kind=ActivityKind.OPERATOR, activities__status=Status.VALID
        )
        .distinct()
        .order_by("name")[:300],
        lambda operator: operator.name,
    )
