"""Requests for the RFL role ("intéressé au chargement", guide 001, 2.3): a freight forwarder or customs
representative asks from the site, for an operator they are a Valid member of, at the points of entry they
choose; only the Commission grants (through `services.grant_rfl`) or refuses, from its queue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, Invalid, NotFound
from core.notify import notify_message
from directory import matrix, services
from directory.models import Authority, Membership, MembershipKind, Operator, PointOfEntry, RflRequest, Status

WAITING_SUBJECT = _("An RFL role request waits for your decision: %(person)s for %(organisation)s")
WAITING_BODY = _("Hello %(name)s,\n\n%(person)s asks for the RFL role for %(organisation)s at %(points)s.\n%(message)s")
REFUSED_SUBJECT = _("Your RFL role request for %(organisation)s is refused")
REFUSED_BODY = _(
    "Hello %(name)s,\n\nThe Commission refused your RFL role request for %(organisation)s.\nReason: %(reason)s"
)


def request_rfl(user: Any, operator: Operator, points: Iterable[PointOfEntry], message: str = "") -> RflRequest:
    """Ask the Commission for the RFL role. Refused (422) without a point of entry or when the person is not a
    Valid member of the operator; refused (409) while an earlier request for that operator waits."""
    points = list(points)
    if not points:
        raise Invalid(_("Select at least one point of entry."))
    if not Membership.objects.filter(user=user, operator=operator, status=Status.VALID).exists():
        raise Invalid(_("The person must be a Valid member of the operator."))
    with transaction.atomic():
        pending = RflRequest.objects.select_for_update().filter(user=user, operator=operator, status=Status.REQUESTED)
        if pending.exists():
            raise Conflict(_("Your RFL role request for %(organisation)s already waits.") % {"organisation": operator})
        request = RflRequest.objects.create(user=user, operator=operator, message=message.strip())
        request.points_of_entry.set(points)
        _tell_commission(request, points)
    return request


def _tell_commission(request: RflRequest, points: list[PointOfEntry]) -> None:
    commission = Membership.objects.filter(
        status=Status.VALID, kind=MembershipKind.AUTHORITY, authority__kind=Authority.Kind.COMMISSION
    ).select_related("user")
    person = request.user.get_full_name() or request.user.email
    for user in {m.user_id: m.user for m in commission}.values():
        params = {
            "name": user.get_full_name(),
            "person": person,
            "organisation": request.operator.name,
            "points": ", ".join(p.code for p in points),
            "message": request.message,
        }
        notify_message(user, WAITING_SUBJECT, WAITING_BODY, params, reverse("directory:queue"))


def pending_requests(user: Any) -> QuerySet[RflRequest]:
    """The RFL role requests waiting for this person's decision: all of them for the Commission, none otherwise."""
    if not matrix.may_grant_rfl(matrix.standing(user)):
        return RflRequest.objects.none()
    return (
        RflRequest.objects.filter(status=Status.REQUESTED)
        .select_related("user", "operator")
        .prefetch_related("points_of_entry")
    )


def decide_rfl_request(actor: Any, pk: int, action: str, reason: str = "") -> RflRequest:
    """Grant (action "validate": one RFL grant per point of entry asked) or refuse ("reject", with a reason)."""
    if not matrix.may_grant_rfl(matrix.standing(actor)):
        raise NotFound(_("This request does not exist."))
    if action not in (matrix.Action.VALIDATE, matrix.Action.REJECT):
        raise Invalid(_("Unknown decision."))
    with transaction.atomic():
        request = RflRequest.objects.select_for_update().filter(pk=pk).first()
        if request is None:
            raise NotFound(_("This request does not exist."))
        request.status = services.new_status(action, request.status, reason)
        request.decided_by, request.decided_at, request.reason = actor, timezone.now(), reason.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if request.status == Status.VALID:
            services.grant_rfl(actor, request.user, request.operator, request.points_of_entry.all())
        else:
            params = {
                "name": request.user.get_full_name(),
                "organisation": request.operator.name,
                "reason": request.reason,
            }
            notify_message(request.user, REFUSED_SUBJECT, REFUSED_BODY, params, reverse("directory:roles"))
    return request
