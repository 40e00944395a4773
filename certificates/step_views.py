"""Pages for the COI's life after submission: one named view per step, a POST (thin: read the form, call the
workflow's function, redirect; `step_view` says how), and the workflow panel shown on the COI's page (steps I
may take now, relatives, history). A refusal shows the reason with its status: 403, 409 or 422; 404 where the
COI is not visible."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from certificates import views
from certificates.access import Person, get_visible
from certificates.models import Certificate
from certificates.workflow import after_signature, certification, extracts, release
from core.errors import DomainError, NotFound

# What a step's view does with the person, the COI's id and the posted form.
StepAction = Callable[[Person, int, Any], Any]


def _checks(post: Any) -> dict[str, str]:
    return {k: post.get(k, "") for k in ("documentary", "physical", "documentary_remarks", "physical_remarks")}


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


def _code(post: Any) -> str:
    return str(post.get("code", "")).strip()


def step_view(
    message: str, *, show_result: bool = False, on_extract: str = ""
) -> Callable[[StepAction], Callable[..., HttpResponse]]:
    """Make one step's page from its action `(person, COI id, posted form) -> what the step returns`: a POST by
    a logged-in person; 404 where the COI is not visible; a refusal shows the COI's page with the step's form
    as typed and the reason, with its status; success says `message` (translated when shown) and goes back to
    the COI, or to the new COI the step made when `show_result`; `on_extract` is the message on an extract of
    2021/2307 (which signs its boxes 12 and 13 through the steps of boxes 30 and 31)."""

    def decorate(action: StepAction) -> Callable[..., HttpResponse]:
        @login_required
        @require_POST
        @wraps(action)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            try:
                result = action(Person.of(request.user), pk, request.POST)
            except NotFound:
                raise Http404
            except DomainError as exc:
                # Back to the COI's page, styled and whole, the step's form as typed and the reason at its field.
                name = request.path.rstrip("/").rsplit("/", 1)[-1]  # the step's name, as in offer.STEPS
                return views.detail_page(request, pk, refused={"step": name, "values": request.POST, "error": exc})
            extract = isinstance(result, Certificate) and bool(result.base_id)
            messages.success(request, _(on_extract if on_extract and extract else message))
            if show_result and isinstance(result, Certificate):
                return redirect("certificates:detail", pk=result.pk)
            return redirect("certificates:detail", pk=pk)

        return view

    return decorate


# One view per step, in the order of the COI's life ----------------------------------------------------


@step_view(gettext_noop("Checks recorded."))
def record_checks(person: Person, pk: int, post: Any) -> Any:
    return certification.record_checks(person, pk, **_checks(post))


@step_view(gettext_noop("Box 18 signed."))
def sign_18(person: Person, pk: int, post: Any) -> Any:
    checks = _checks(post) if post.get("documentary") else None
    return certification.sign_box_18(
        person,
        pk,
        place=post.get("place", ""),
        code=_code(post),
        checks=checks,
        late_reason=post.get("late_reason", ""),
    )


@step_view(gettext_noop("Box 20 signed."))
def decide(person: Person, pk: int, post: Any) -> Any:
    return certification.decide(
        person,
        pk,
        decision=post.get("decision", ""),
        place=post.get("place", ""),
        reason=post.get("reason", ""),
        code=_code(post),
    )


@step_view(gettext_noop("Box 21 signed."))
def sign_21(person: Person, pk: int, post: Any) -> Any:
    """Box 21: in order unless `in_order` is posted as "no", then with its `remark`."""
    return certification.sign_box_21(
        person,
        pk,
        place=post.get("place", ""),
        code=_code(post),
        in_order=post.get("in_order", "yes") != "no",
        remark=post.get("remark", ""),
    )


@step_view(gettext_noop("Replacement created: check its boxes, then sign box 18."), show_result=True)
def replace(person: Person, pk: int, post: Any) -> Any:
    return after_signature.replace(person, pk, note=post.get("note", ""))


@step_view(gettext_noop("OFIS irregularity flagged."))
def flag(person: Person, pk: int, post: Any) -> Any:
    return after_signature.flag_irregularity(person, pk, description=post.get("description", ""))


@step_view(gettext_noop("COI deleted."))
def delete(person: Person, pk: int, post: Any) -> Any:
    return after_signature.delete(person, pk, reason=post.get("reason", ""))


@step_view(gettext_noop("Extract drafted: check boxes 9 and 12, then submit it for endorsement."), show_result=True)
def extract(person: Person, pk: int, post: Any) -> Any:
    return extracts.initiate_extract(person, pk, consignee=post.get("consignee"), quantities=_quantities(post))


@step_view(gettext_noop("Extract submitted for endorsement."))
def submit_extract(person: Person, pk: int, post: Any) -> Any:
    return extracts.submit_extract(person, pk)


@step_view(gettext_noop("Extract split off and endorsed."))
def split(person: Person, pk: int, post: Any) -> Any:
    part = {"consignee": post.get("consignee"), "quantities": _quantities(post)}
    return extracts.split(person, pk, parts=[part], place=post.get("place", ""), code=_code(post))


@step_view(gettext_noop("COI marked as depleted."))
def deplete(person: Person, pk: int, post: Any) -> Any:
    return extracts.deplete(person, pk, note=post.get("note", ""))


# The steps of the 2021/2306 form (certificates/workflow/release.py) ---------------------------------


@step_view(gettext_noop("Box 23 signed: consignment verified before the special customs procedure."))
def verify_23(person: Person, pk: int, post: Any) -> Any:
    return release.verify_box_23(person, pk, place=post.get("place", ""), code=_code(post))


@step_view(gettext_noop("Box 25 signed."))
def sign_25(person: Person, pk: int, post: Any) -> Any:
    return release.sign_box_25(
        person, pk, documentary=post.get("documentary", ""), selected=post.get("selected", ""),
        place=post.get("place", ""), code=_code(post),
    )  # fmt: skip


@step_view(gettext_noop("Box 30 signed."), on_extract=gettext_noop("Box 12 of the extract signed."))
def decide_30(person: Person, pk: int, post: Any) -> Any:
    return release.decide_box_30(
        person, pk, decision=post.get("decision", ""), reason=post.get("reason", ""), place=post.get("place", ""),
        code=_code(post),
    )  # fmt: skip


@step_view(gettext_noop("Box 31 signed."), on_extract=gettext_noop("Box 13 of the extract signed."))
def sign_31(person: Person, pk: int, post: Any) -> Any:
    return release.sign_box_31(
        person, pk, in_accordance=post.get("in_accordance", ""), remark=post.get("remark", ""),
        place=post.get("place", ""), code=_code(post),
    )  # fmt: skip


@login_required
def panel(request: HttpRequest, pk: int, error: DomainError | None = None) -> HttpResponse:
    """The workflow panel on a page of its own (also what a refused step shows, with the reason)."""
    try:
        coi = get_visible(Person.of(request.user), pk)
    except NotFound:
        raise Http404
    status = error.status if error else 200
    return render(request, "certificates/workflow_page.html", {"coi": coi, "error": error}, status=status)
