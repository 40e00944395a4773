"""`{% workflow_panel coi %}`: the workflow panel of a COI page (steps I may take now, relatives, history)."""

from __future__ import annotations

from typing import Any

from django import template

from certificates.access import Person
from certificates.statuses import COIStatus
from certificates.workflow.models import CheckResult
from certificates.workflow.offer import history, relatives, steps_for
from core.collation import sorted_names
from directory.models import ActivityKind, Operator, Status

register = template.Library()


@register.inclusion_tag("certificates/_workflow.html", takes_context=True)
def workflow_panel(context: dict[str, Any], coi: Any) -> dict[str, Any]:
    person = Person.of_request(context["request"])
    steps = steps_for(person, coi)
    found = relatives(person, coi)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "coi": coi,
        "steps": steps,
        "relatives": found,
        "history": history(coi),
        "signatures": list(coi.signatures.all()),
        "checks": getattr(coi, "checks", None),
        "irregularities": list(coi.irregularities.all()),
        "check_results": CheckResult.choices,
        "decisions": _decisions(coi),
        "consignees": _consignees() if {"extract", "split"} & set(steps) else [],
    }


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
