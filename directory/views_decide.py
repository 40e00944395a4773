"""Pages that decide: the validator's queue, an operator's page and its users, the Commission's RFL page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.collation import sorted_names
from core.errors import Invalid
from directory import matrix, operators, services
from directory.access import valid_memberships
from directory.forms import ActivityForm, DecisionForm, IdentifierForm, RflForm
from directory.models import Membership, MembershipKind, Operator, RflGrant, Status
from directory.views import back, domain_pages


def _decision(request: HttpRequest) -> tuple[str, str]:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("Unknown decision."))
    return form.cleaned_data["action"], form.cleaned_data["reason"]


@domain_pages
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for this person's decision: people's requests (with new operators) and activities."""
    pending = matrix.decidable_memberships(request.user, [Status.REQUESTED]).order_by("requested_at")
    pending = pending.prefetch_related("operator__identifiers", "operator__activities__control_body_code")
    context = {
        "pending": pending,
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


@domain_pages
def organisations(request: HttpRequest) -> HttpResponse:
    """Organisations > the operators this person administers or validates, with their pending requests."""
    mine = valid_memberships(request.user).filter(kind=MembershipKind.OPERATOR).values("operator_id")
    shown = Operator.objects.filter(Q(pk__in=mine) | Q(pk__in=matrix.decidable_operators(request.user).values("pk")))
    shown = shown.annotate(pending=Count("members", filter=Q(members__status=Status.REQUESTED))).order_by("name")
    return render(request, "directory/organisations.html", {"operators": sorted_names(shown[:200], lambda o: o.name)})


@domain_pages
def operator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    operator, st = operators.visible_operator(request.user, pk)
    context = {
        "operator": operator,
        "may_edit": matrix.may_edit_operator(st, operator),
        "may_decide": matrix.may_decide_operator(st, operator),
        "actions": matrix.actions_from(operator.status),
        "activity_form": ActivityForm(),
        "identifier_form": IdentifierForm(),
    }
    return render(request, "directory/operator_detail.html", context)


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
        raise Invalid(_("Choose the activity and the control body that certifies it."))
    operators.add_activity(request.user, pk, activity)
    messages.success(request, _("The activity is added; it waits for the validator's decision."))
    return redirect("directory:operator", pk=pk)


@domain_pages
@require_POST
def add_identifier(request: HttpRequest, pk: int) -> HttpResponse:
    form = IdentifierForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("type"):
        raise Invalid(_("Choose the identifier's type and give its value."))
    operators.add_identifier(request.user, pk, operators.NewIdentifier(**form.cleaned_data))
    messages.success(request, _("The identifier is added."))
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
            services.grant_rfl(request.user, person, form.cleaned_data["operator"], form.cleaned_data["points"])
            messages.success(request, _("The RFL role is granted."))
            return redirect("directory:rfl")
    grants = RflGrant.objects.filter(revoked_at__isnull=True).select_related("user", "operator", "point_of_entry")
    return render(request, "directory/rfl.html", {"form": form, "grants": grants})


@domain_pages
@require_POST
def rfl_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.revoke_rfl(request.user, pk)
    messages.success(request, _("The RFL role is withdrawn."))
    return redirect("directory:rfl")
