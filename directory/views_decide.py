"""Pages that decide: the validator's queue, an operator's page and its users, the Commission's RFL page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.errors import DomainError, Invalid, NotFound
from core.pages import page_or_404
from core.typography import colon
from directory import matrix, operators, rfl_requests, services
from directory.access import valid_memberships
from directory.forms import ActivityForm, DecisionForm, IdentifierForm, RflForm, RflRequestForm
from directory.models import Membership, MembershipKind, Operator, RflGrant, Status
from directory.views import back, domain_pages


def _decision(request: HttpRequest) -> tuple[str, str]:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:  # longer than the reason's column: refused, never cut
            raise Invalid(f"{form['reason'].label}{colon()} {form.errors['reason'][0]}")
        raise Invalid(_("Unknown decision."))
    return form.cleaned_data["action"], form.cleaned_data["reason"]


@domain_pages
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for this person's decision: people's requests (with new operators) and activities."""
    pending = matrix.decidable_memberships(request.user, [Status.REQUESTED]).order_by("requested_at")
    pending = pending.prefetch_related("operator__identifiers", "operator__activities__control_body_code")
    context = {
        "pending": pending,
        "rfl_requests": rfl_requests.pending_requests(request.user),
        "activities": matrix.decidable_activities(request.user),
        "queue_actions": [matrix.Action.VALIDATE, matrix.Action.REJECT],
    }
    return render(request, "directory/queue.html", context)


@domain_pages
@require_POST
def decide_membership(request: HttpRequest, pk: int) -> HttpResponse:
    action, reason = _decision(request)
    membership = services.decide_membership(request.user, pk, action, reason)
    messages.success(
        request,
        _("%(person)s for %(organisation)s: %(status)s.")
        % {
            "person": membership.user.get_full_name(),
            "organisation": membership.organisation_name,
            "status": membership.get_status_display(),
        },
    )
    return redirect(back(request, "directory:queue"))


@domain_pages
@require_POST
def decide_activity(request: HttpRequest, pk: int) -> HttpResponse:
    action, reason = _decision(request)
    activity = operators.decide_activity(request.user, pk, action, reason)
    messages.success(
        request, _("%(activity)s: %(status)s.") % {"activity": activity, "status": activity.get_status_display()}
    )
    return redirect(back(request, "directory:queue"))


@domain_pages
@require_POST
def decide_operator(request: HttpRequest, pk: int) -> HttpResponse:
    action, reason = _decision(request)
    operator = operators.decide_operator(request.user, pk, action, reason)
    messages.success(
        request, _("%(name)s: %(status)s.") % {"name": operator.name, "status": operator.get_status_display()}
    )
    return redirect(back(request))


ORGANISATIONS_PER_PAGE = 50


@domain_pages
def organisations(request: HttpRequest) -> HttpResponse:
    """Organisations > the operators this person administers or validates, with their pending requests."""
    mine = valid_memberships(request.user).filter(kind=MembershipKind.OPERATOR).values("operator_id")
    shown = Operator.objects.filter(Q(pk__in=mine) | Q(pk__in=matrix.decidable_operators(request.user).values("pk")))
    shown = shown.annotate(pending=Count("members", filter=Q(members__status=Status.REQUESTED))).order_by(
        "name_key", "pk"
    )
    page = page_or_404(shown, ORGANISATIONS_PER_PAGE, request.GET.get("page"))
    return render(request, "directory/organisations.html", {"operators": page.object_list, "page": page})


@domain_pages
def operator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _operator_page(request, pk)


def _operator_page(
    request: HttpRequest,
    pk: int,
    *,
    activity_form: ActivityForm | None = None,
    identifier_form: IdentifierForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The operator's page; after a refused addition, with that form as typed and the reason at it (422)."""
    operator, st = operators.visible_operator(request.user, pk)
    context = {
        "operator": operator,
        "may_edit": matrix.may_edit_operator(st, operator),
        "may_decide": matrix.may_decide_operator(st, operator),
        "actions": matrix.actions_from(operator.status),
        "activity_form": activity_form or ActivityForm(),
        "identifier_form": identifier_form or IdentifierForm(),
    }
    return render(request, "directory/operator_detail.html", context, status=status)


@domain_pages
def operator_users(request: HttpRequest, pk: int) -> HttpResponse:
    """Organisations > Users: the operator's people; `?status=requested` for the pending requests."""
    operator, st = operators.visible_operator(request.user, pk)
    if not matrix.may_edit_operator(st, operator):
        raise Http404
    people = Membership.objects.filter(operator=operator).select_related("user", "operator").order_by("user__last_name")
    status = request.GET.get("status", "")
    if status in Status.values:
        people = people.filter(status=status)
    rows = [(m, matrix.actions_from(m.status) if matrix.may_decide_membership(st, m) else []) for m in people]
    return render(request, "directory/operator_users.html", {"operator": operator, "rows": rows, "status": status})


@domain_pages
@require_POST
def set_admin(request: HttpRequest, pk: int) -> HttpResponse:
    membership = services.set_admin(request.user, pk, request.POST.get("is_admin") == "1")
    messages.success(
        request, _("The administrator flag of %(person)s is saved.") % {"person": membership.user.get_full_name()}
    )
    return redirect(back(request))


@domain_pages
@require_POST
def add_activity(request: HttpRequest, pk: int) -> HttpResponse:
    form = ActivityForm(request.POST)
    activity = form.activity() if form.is_valid() else None
    if activity is None:
        if not form.errors:
            form.add_error("kind", _("Choose the activity and the control body that certifies it."))
        return _operator_page(request, pk, activity_form=form, status=422)
    try:
        operators.add_activity(request.user, pk, activity)
    except NotFound:
        raise
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _operator_page(request, pk, activity_form=form, status=422)
    messages.success(request, _("The activity is added; it waits for the validator's decision."))
    return redirect("directory:operator", pk=pk)


@domain_pages
@require_POST
def add_identifier(request: HttpRequest, pk: int) -> HttpResponse:
    form = IdentifierForm(request.POST)
    if form.is_valid() and not form.cleaned_data.get("type"):
        form.add_error("type", _("Choose the identifier's type and give its value."))
    if not form.is_valid():
        return _operator_page(request, pk, identifier_form=form, status=422)
    try:
        identifier = operators.add_identifier(request.user, pk, operators.NewIdentifier(**form.cleaned_data))
    except NotFound:
        raise
    except DomainError as error:
        form.add_error("value", str(error.message))
        return _operator_page(request, pk, identifier_form=form, status=422)
    messages.success(request, _("The identifier is added."))
    for warning in identifier.operator.eori_warnings:
        messages.warning(request, warning)
    return redirect("directory:operator", pk=pk)


@domain_pages
def rfl(request: HttpRequest) -> HttpResponse:
    """The Commission grants the RFL role to a person of an operator, for one or more points of entry."""
    if not matrix.may_grant_rfl(matrix.standing(request.user)):
        raise Http404
    form = RflForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            form.add_error("email", _("Nobody has an account with this email."))
        else:
            try:
                services.grant_rfl(request.user, person, form.cleaned_data["operator"], form.cleaned_data["points"])
            except NotFound:
                raise
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The RFL role is granted."))
                return redirect("directory:rfl")
    grants = RflGrant.objects.filter(revoked_at__isnull=True).select_related("user", "operator", "point_of_entry")
    status = 422 if form.errors else 200
    return render(request, "directory/rfl.html", {"form": form, "grants": grants}, status=status)


@domain_pages
@require_POST
def rfl_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.revoke_rfl(request.user, pk)
    messages.success(request, _("The RFL role is withdrawn."))
    return redirect("directory:rfl")


@domain_pages
def rfl_request(request: HttpRequest) -> HttpResponse:
    """A freight forwarder asks the Commission for the RFL role, choosing the points of entry (guide 001, 2.3)."""
    form = RflRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rfl_requests.request_rfl(request.user, data["operator"], data["points"], data["message"])
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your RFL role request is sent to the Commission."))
            return redirect("directory:roles")
    status = 422 if form.errors else 200
    return render(request, "directory/rfl_request.html", {"form": form}, status=status)


@domain_pages
@require_POST
def rfl_decide(request: HttpRequest, pk: int) -> HttpResponse:
    action, reason = _decision(request)
    decided = rfl_requests.decide_rfl_request(request.user, pk, action, reason)
    messages.success(
        request,
        _("RFL role for %(person)s (%(organisation)s): %(status)s.")
        % {
            "person": decided.user.get_full_name(),
            "organisation": decided.operator.name,
            "status": decided.get_status_display(),
        },
    )
    return redirect(back(request, "directory:queue"))
