"""Pages for the COI's life after submission: one named view per step, a POST (thin: read the form, call the
workflow's function, redirect; `step_view` says how), and the workflow panel shown on the COI's page (steps I
may take now, relatives, history). A refusal shows the reason with its status: 403, 409 or 422; 404 where the
COI is not visible."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import lookups, views
from certificates.access import Person, get_visible
from certificates.coi_forms import form_of
from certificates.models import Certificate
from certificates.workflow.steps import STEPS, Input, Kind, Result, WorkflowStep
from core.errors import DomainError, Invalid, NotFound


def _quantities(post: Any) -> dict[int, tuple[str, str]]:
    """`packages_<line id>` and `weight_<line id>` fields, the lines left empty skipped."""
    found = {}
    for key in post:
        if key.startswith("packages_") and key[9:].isascii() and key[9:].isdigit():  # not "packages_²"
            line = int(key[9:])
            packages, weight = post.get(key, "").strip(), post.get(f"weight_{line}", "").strip()
            if packages or weight:
                found[line] = (packages, weight)
    return found


def _yes_no(post: Any, name: str, default: Any) -> Any:
    """A yes/no select: "yes" (or true, on, 1) is true, nothing chosen the input's default, anything else false."""
    value = str(post.get(name, "")).strip().lower()
    if not value:
        return default
    return value in ("yes", "true", "on", "1")


# How a page's form gives each kind of input (`steps.Kind`): absent (the API's only) when None.
READERS: dict[Kind, Callable[[Any, Input], Any] | None] = {
    Kind.TEXT: lambda post, i: post.get(i.name, i.default),
    Kind.CHOICE: lambda post, i: post.get(i.name, i.default),
    Kind.YES_NO: lambda post, i: _yes_no(post, i.name, i.default),
    Kind.CONSIGNEE: lambda post, i: post.get(i.name),
    Kind.QUANTITIES: lambda post, i: _quantities(post),
    Kind.CHECKS: lambda post, i: (
        {n.name: post.get(n.name, "") for n in i.nested} if post.get(i.nested[0].name) else None
    ),
    Kind.PARTS: lambda post, i: [{"consignee": post.get("consignee"), "quantities": _quantities(post)}],
    Kind.BOXES_9: None,
}


def read_form(step: WorkflowStep, post: Any) -> dict[str, Any]:
    """The step function's keywords from a posted form, by the kinds of the step's inputs (the TOTP code stripped)."""
    found = {}
    for item in step.inputs:
        reader = READERS[item.kind]
        if reader is not None:
            found[item.name] = reader(post, item)
    if step.two_factor:
        found["code"] = str(post.get("code", "")).strip()
    return found


def _search_chosen(post: Any) -> None:
    """A consignee search typed and left without a choice refuses the step (nothing is done), at the picker."""
    unresolved = lookups.unresolved(post, {k: v for k, v in lookups.searches(post).items() if k == "consignee"})
    if unresolved:
        raise Invalid(unresolved["consignee"], code="search")


def done_message(step: WorkflowStep, result: Certificate | None, pk: int) -> str:
    """The step's message once done, naming each box by its number on the form of the COI it leaves (the new
    extract's boxes for an extract, the signed box's for a signature)."""
    coi = result if result is not None else Certificate.objects.get(pk=pk)
    on_extract = bool(step.done_on_extract and coi.base_id)
    text = _(step.done_on_extract if on_extract else step.done)
    coi_form = form_of(coi)
    boxes = coi_form.boxes_for(coi)
    numbers = {
        "n": coi_form.signed_number(coi, step.signs) if step.signs else "",
        "entry": next((b.number for b in boxes if "point_of_entry" in b.fields), ""),
        "consignee": next((b.number for b in boxes if "first_consignee" in b.fields), ""),
    }
    return text % numbers if "%(" in text else text


def step_view(step: WorkflowStep) -> Callable[..., HttpResponse]:
    """One step's page, from its declaration: a POST by a logged-in person; 404 where the COI is not visible; a
    refusal shows the COI's page with the step's form as typed and the reason, with its status; success says the
    step's `done` message and goes back to the COI, or to the new COI the step made."""

    picks = any(i.kind in (Kind.CONSIGNEE, Kind.PARTS) for i in step.inputs)

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            if picks:
                _search_chosen(request.POST)
            result = step.function(Person.of(request.user), pk, **read_form(step, request.POST))
        except NotFound:
            raise Http404
        except DomainError as exc:
            # Back to the COI's page, styled and whole, the step's form as typed and the reason at its field.
            return views.detail_page(request, pk, refused={"step": step.slug, "values": request.POST, "error": exc})
        messages.success(request, done_message(step, result if isinstance(result, Certificate) else None, pk))
        if step.result == Result.NEW and isinstance(result, Certificate):
            return redirect("certificates:detail", pk=result.pk)
        return redirect("certificates:detail", pk=pk)

    view.__name__ = view.__qualname__ = step.url_name
    view.__doc__ = str(step.help)
    return view


def step_urls(declared: Iterable[WorkflowStep] = STEPS.values()) -> list[URLPattern]:
    """One page per step, `<id>/workflow/<slug>/`, named `workflow_<slug with _>` (see `steps.STEPS`)."""
    return [path(f"<id:pk>/workflow/{s.slug}/", step_view(s), name=s.url_name) for s in declared]


@login_required
def panel(request: HttpRequest, pk: int, error: DomainError | None = None) -> HttpResponse:
    """The workflow panel on a page of its own (also what a refused step shows, with the reason)."""
    try:
        coi = get_visible(Person.of(request.user), pk)
    except NotFound:
        raise Http404
    status = error.status if error else 200
    return render(request, "certificates/workflow_page.html", {"coi": coi, "error": error}, status=status)
