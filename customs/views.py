"""The COI's customs page: every write-off and restoration of the exchange, for the COI's parties and
authorities (`certificates.access`: anybody else gets a 404), and the competent authority's manual quantity
management with its reason (Implementing Reg. (EU) 2024/2145, Art. 8). The office's machine clients: its
administrators issue (token shown once), list and revoke them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certificates.access import Person, get_visible
from certificates.fields import MAX_WEIGHT, over_decimals
from certificates.models import Certificate
from certificates.statuses import COIStatus
from core.converters import read_id
from core.errors import DomainError, NotFound
from core.typography import read_quantity
from customs import documents, quantities
from customs.access import administered_offices, competent_authority
from customs.forms import MachineClientForm
from customs.models import CustomsClient, CustomsOffice, CustomsRecord, Movement
from directory.matrix import standing
from directory.models import Authority, Membership, MembershipKind, Status
from directory.services import set_admin


def _visible(request: HttpRequest, pk: int) -> tuple[Person, Certificate]:
    person = Person.of_request(request)
    try:
        return person, get_visible(person, pk)
    except NotFound:
        raise Http404


@login_required
def coi_quantities(request: HttpRequest, pk: int) -> HttpResponse:
    person, coi = _visible(request, pk)
    authority = competent_authority(person, coi)
    manager = authority is not None
    errors: dict[str, str] = {}
    typed = {"line": "", "direction": "write_off", "net_weight": "", "reason": ""}
    if request.method == "POST":
        if not manager:
            raise Http404
        typed = {k: request.POST.get(k, "").strip() for k in typed}
        errors = _adjust(request, authority, coi, typed)
        if not errors:
            messages.success(request, _("The quantity has been changed."))
            return redirect("customs:quantities", pk=pk)
    doc = documents.document(coi)
    movements = (
        Movement.objects.filter(certificate=coi)
        .select_related("item", "office__authority", "line")
        .order_by("at", "pk")
    )
    records = CustomsRecord.objects.filter(certificate=coi, deleted_at__isnull=True).select_related("office__authority")
    context = {
        "coi": coi, "doc": doc, "movements": movements, "records": records if manager else [], "manager": manager,
        "typed": typed, "errors": errors, "status_label": _status_label(doc.customs_status),
    }  # fmt: skip
    return render(request, "customs/coi_quantities.html", context, status=422 if errors else 200)


def _status_label(status: str) -> str:
    return str(COIStatus(status).label)


def _adjust(
    request: HttpRequest, authority: Authority | None, coi: Certificate, typed: dict[str, str]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    weight = read_quantity(typed["net_weight"])  # "9 071,8"; "1e3", "NaN", "1_000" refused, kept as typed
    if weight is None or weight <= 0 or over_decimals(weight) or weight >= MAX_WEIGHT:
        errors["net_weight"] = _("Give a net weight in kg, more than 0, with at most 3 decimals.")
    if typed["direction"] not in ("write_off", "restore"):
        errors["direction"] = _("Choose whether to write off or to restore.")
    refused = quantities.reason_refused(typed["reason"])
    if refused:
        errors["reason"] = str(refused.message)
    line = read_id(typed["line"])
    if line is None:
        errors["line"] = _("Choose the line.")
    if errors or weight is None or line is None:
        return errors
    user = request.user
    try:
        quantities.adjust(
            coi.pk, line, direction=typed["direction"], net_weight=weight, reason=typed["reason"],
            user=user, actor_name=user.get_full_name() or user.email,  # type: ignore[union-attr]  # logged in
            organisation=authority.name if authority else "",
        )  # fmt: skip
    except DomainError as exc:
        field = "line" if exc.code == "line_not_found" else "reason" if exc.code.startswith("reason_") else "net_weight"
        errors[field] = str(exc.message)
    return errors


# The office's machine clients ------------------------------------------------------------------------------


def _administered(request: HttpRequest, code: str) -> CustomsOffice:
    """The office of that code when the person is its Valid administrator (`administered_offices`); 404 for
    anybody else, as if it did not exist."""
    office = next((o for o in administered_offices(request.user) if o.code == code.upper()), None)
    if office is None:
        raise Http404
    return office


@login_required
@never_cache
def machine_clients(request: HttpRequest, code: str) -> HttpResponse:
    """The office's machine clients (name, prefix, created, last used, revoked); a new one's token is shown on
    this answer only (only its SHA-256 is kept: `core.tokens`)."""
    office = _administered(request, code)
    form = MachineClientForm(request.POST if request.method == "POST" else None)
    secret = None
    if request.method == "POST" and form.is_valid():
        client, secret = CustomsClient.issue(office, form.cleaned_data["name"], by=request.user)
        messages.success(request, _("The machine client “%(name)s” is issued.") % {"name": client.name})
        form = MachineClientForm()
    context = {"office": office, "form": form, "secret": secret, "clients": office.clients.all()}
    return render(request, "customs/machine_clients.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def revoke_client(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    office = _administered(request, code)
    client = get_object_or_404(CustomsClient, pk=pk, office=office, revoked_at__isnull=True)
    client.revoke()
    messages.success(request, _("The machine client “%(name)s” is revoked: its token is refused from now on.")
                     % {"name": client.name})  # fmt: skip
    return redirect("customs:clients", code=office.code)


def _staff_office(request: HttpRequest, code: str) -> CustomsOffice:
    """The office of that code, for whom may give and take its staff's administrator flag (its Valid
    administrators, or the Commission, who validates its staff; `directory.services.set_admin` decides each
    change); 403 for the office's other people, 404 for anybody else, as if the office did not exist."""
    office = CustomsOffice.objects.select_related("authority").filter(code=code.upper()).first()
    if office is None:
        raise Http404
    if office in administered_offices(request.user) or standing(request.user).commission:
        return office
    if (
        request.user.is_authenticated
        and Membership.objects.filter(user=request.user, authority=office.authority).exists()
    ):
        raise PermissionDenied(
            _("Only an administrator of %(office)s changes its administrators.") % {"office": office}
        )
    raise Http404


@login_required
@never_cache
def office_staff(request: HttpRequest, code: str) -> HttpResponse:
    """The office's people (Valid, requested, suspended) and their administrator flag, with a button to give or take
    it for each other Valid person."""
    office = _staff_office(request, code)
    people = (
        Membership.objects.filter(authority=office.authority, kind=MembershipKind.AUTHORITY)
        .exclude(status=Status.DELETED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return render(request, "customs/office_staff.html", {"office": office, "people": people})


@login_required
@require_POST
def set_office_admin(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    office = _staff_office(request, code)
    if not Membership.objects.filter(pk=pk, authority=office.authority).exists():
        raise Http404
    try:
        membership = set_admin(request.user, pk, request.POST.get("is_admin") == "1")
    except NotFound as refused:
        raise Http404 from refused
    except DomainError as refused:
        messages.error(request, str(refused))
    else:
        done = (
            _("%(person)s is now an administrator of %(office)s.")
            if membership.is_admin
            else _("%(person)s is no longer an administrator of %(office)s.")
        )
        messages.success(request, done % {"person": membership.user.get_full_name(), "office": office})
    return redirect("customs:staff", code=office.code)
