"""Pages for the COI's life after submission: one POST per step (thin: read the form, call the workflow's
function, redirect), and the workflow panel shown on the COI's page (steps I may take now, relatives,
history). A refusal shows the reason with its status: 403, 409 or 422; 404 where the COI is not visible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from certificates.access import Person, get_visible
from certificates.models import Certificate
from certificates.workflow import after_signature, extracts, steps
from certificates.workflow.offer import STEPS
from core.errors import DomainError, NotFound


def _checks(post: Any) -> dict[str, str]:
    return {k: post.get(k, "") for k in ("documentary", "physical", "documentary_remarks", "physical_remarks")}


def _quantities(post: Any) -> dict[int, tuple[str, str]]:
    """`packages_<line id>` and `weight_<line id>` fields, the lines left empty skipped."""
    found = {}
    for key in post:
        if key.startswith("packages_") and key[9:].isdigit():
            line = int(key[9:])
            packages, weight = post.get(key, "").strip(), post.get(f"weight_{line}", "").strip()
            if packages or weight:
                found[line] = (packages, weight)
    return found


def _code(post: Any) -> str:
    return post.get("code", "").strip()


def _sign_18(p: Person, pk: int, post: Any) -> Any:
    checks = _checks(post) if post.get("documentary") else None
    return steps.sign_box_18(
        p, pk, place=post.get("place", ""), code=_code(post), checks=checks, late_reason=post.get("late_reason", "")
    )


def _sign_21(p: Person, pk: int, post: Any) -> Any:
    """Box 21: in order unless `in_order` is posted as "no", then with its `remark`."""
    return steps.sign_box_21(
        p,
        pk,
        place=post.get("place", ""),
        code=_code(post),
        in_order=post.get("in_order", "yes") != "no",
        remark=post.get("remark", ""),
    )


# Step -> (function of the person, the COI's id and the posted form; the success message).
HANDLERS: dict[str, tuple[Callable[[Person, int, Any], Any], str]] = {
    "checks": (lambda p, pk, post: steps.record_checks(p, pk, **_checks(post)), gettext_noop("Checks recorded.")),
    "sign-18": (_sign_18, gettext_noop("Box 18 signed.")),
    "decide": (
        lambda p, pk, post: steps.decide(
            p,
            pk,
            decision=post.get("decision", ""),
            place=post.get("place", ""),
            reason=post.get("reason", ""),
            code=_code(post),
        ),
        gettext_noop("Box 20 signed."),
    ),
    "sign-21": (_sign_21, gettext_noop("Box 21 signed.")),
    "replace": (
        lambda p, pk, post: after_signature.replace(p, pk, note=post.get("note", "")),
        gettext_noop("Replacement created: check its boxes, then sign box 18."),
    ),
    "flag": (
        lambda p, pk, post: after_signature.flag_irregularity(p, pk, description=post.get("description", "")),
        gettext_noop("OFIS irregularity flagged."),
    ),
    "delete": (
        lambda p, pk, post: after_signature.delete(p, pk, reason=post.get("reason", "")),
        gettext_noop("COI deleted."),
    ),
    "extract": (
        lambda p, pk, post: extracts.initiate_extract(
            p, pk, consignee=post.get("consignee"), quantities=_quantities(post)
        ),
        gettext_noop("Extract drafted: check boxes 9 and 12, then submit it for endorsement."),
    ),
    "submit-extract": (
        lambda p, pk, post: extracts.submit_extract(p, pk),
        gettext_noop("Extract submitted for endorsement."),
    ),
    "split": (
        lambda p, pk, post: extracts.split(
            p,
            pk,
            parts=[{"consignee": post.get("consignee"), "quantities": _quantities(post)}],
            place=post.get("place", ""),
            code=_code(post),
        ),
        gettext_noop("Extract split off and endorsed."),
    ),
    "deplete": (
        lambda p, pk, post: extracts.deplete(p, pk, note=post.get("note", "")),
        gettext_noop("COI marked as depleted."),
    ),
}


@login_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in STEPS:
        raise Http404
    person = Person.of(request.user)
    handler, message = HANDLERS[name]
    try:
        result = handler(person, pk, request.POST)
    except NotFound:
        raise Http404
    except DomainError as exc:
        return panel(request, pk, error=exc)
    messages.success(request, _(message))
    target = result[0] if isinstance(result, list) else result
    if isinstance(target, Certificate) and name in ("replace", "extract"):
        return redirect("certificates:detail", pk=target.pk)
    return redirect("certificates:detail", pk=pk)


@login_required
def panel(request: HttpRequest, pk: int, error: DomainError | None = None) -> HttpResponse:
    """The workflow panel on a page of its own (also what a refused step shows, with the reason)."""
    try:
        coi = get_visible(Person.of(request.user), pk)
    except NotFound:
        raise Http404
    status = error.status if error else 200
    return render(request, "certificates/workflow_page.html", {"coi": coi, "error": error}, status=status)
