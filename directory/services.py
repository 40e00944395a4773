"""The directory's actions: requests to join, decisions, administrator flag, RFL grants.

Each takes the acting person first, checks `directory/matrix.py`, changes the status under a row lock,
writes a `Decision` row and tells the person (`core.notify.notify_message`). Creating operators and their
activities and identifiers lives in `directory/operators.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Invalid, NotFound
from core.notify import notify_message
from directory import matrix
from directory.models import (
    Authority,
    ControlBodyCode,
    Decision,
    Membership,
    MembershipKind,
    Operator,
    PointOfEntry,
    RflGrant,
    Status,
)

Organisation = Operator | ControlBodyCode | Authority

DECIDED_SUBJECT = _("Your role for %(organisation)s: %(status)s")
DECIDED_BODY = _(
    "Hello %(name)s,\n\nYour role for %(organisation)s is now: %(status)s.\n%(reason)s\n"
    "You can see your roles on your profile page."
)
WAITING_SUBJECT = _("A request waits for your decision: %(person)s for %(organisation)s")
WAITING_BODY = _("Hello %(name)s,\n\n%(person)s asks to act for %(organisation)s.\n%(message)s")


def _kind_of(organisation: Organisation) -> str:
    if isinstance(organisation, Operator):
        return MembershipKind.OPERATOR
    if isinstance(organisation, ControlBodyCode):
        return MembershipKind.CONTROL_BODY
    return MembershipKind.AUTHORITY


def _open(organisation: Organisation) -> bool:
    if isinstance(organisation, Operator):
        return organisation.status not in Status.closed()
    if isinstance(organisation, ControlBodyCode):
        return organisation.active
    return True


def organisation_label(membership: Membership) -> str:
    return membership.organisation_name


def request_membership(
    user: Any,
    organisation: Organisation,
    *,
    message: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Membership:
    """Ask to act for an organisation. A closed earlier request (rejected, deleted) is opened again."""
    if not _open(organisation):
        raise NotFound(_("This organisation does not exist."))
    kind = _kind_of(organisation)
    field: dict[str, Operator | ControlBodyCode | Authority | None] = {
        "operator": None,
        "control_body_code": None,
        "authority": None,
    }
    field[{"operator": "operator", "control_body": "control_body_code", "authority": "authority"}[kind]] = organisation
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user=user, **{k: v for k, v in field.items() if v is not None})
            .first()
        )
        if membership is not None and membership.status not in Status.closed():
            raise Conflict(
                _("You already have a role for %(organisation)s (%(status)s).")
                % {"organisation": membership.organisation_name, "status": membership.get_status_display()}
            )
        old = membership.status if membership else ""
        membership = membership or Membership(user=user, kind=kind, **field)
        membership.status = Status.REQUESTED
        membership.is_admin = False
        membership.message, membership.contact_email, membership.contact_phone = (
            message.strip(),
            contact_email.strip(),
            contact_phone.strip(),
        )
        membership.requested_at = timezone.now()
        membership.decided_by, membership.decided_at, membership.reason = None, None, ""
        membership.save()
        Decision.objects.create(
            membership=membership, actor=user, old_status=old, new_status=Status.REQUESTED, note=membership.message
        )
        _tell_deciders(membership)
    return membership


def _tell_deciders(membership: Membership) -> None:
    url = reverse("directory:queue")
    seen: set[int] = set()
    for decider in matrix.deciders_of(membership):
        if decider.user_id in seen:
            continue
        seen.add(decider.user_id)
        notify_message(
            decider.user,
            WAITING_SUBJECT,
            WAITING_BODY,
            {
                "name": decider.user.get_full_name(),
                "person": membership.user.get_full_name() or membership.user.email,
                "organisation": membership.organisation_name,
                "message": membership.message,
            },
            url,
        )


def request_control_body_codes(user: Any, codes: Iterable[ControlBodyCode], **contact: str) -> list[Membership]:
    """One request per country entry (code) of a control body; all of one body."""
    codes = list(codes)
    if not codes:
        raise Invalid(_("Select at least one country entry of the control body."))
    if len({code.control_body_id for code in codes}) > 1:
        raise Invalid(_("Select the entries of one control body at a time."))
    with transaction.atomic():
        return [request_membership(user, code, **contact) for code in codes]


def visible_membership(actor: Any, pk: int) -> Membership:
    """The membership if this person may see it; NotFound otherwise, exactly as if it did not exist."""
    membership = (
        Membership.objects.select_related("user", "operator", "control_body_code__control_body", "authority")
        .filter(pk=pk)
        .first()
    )
    if membership is None or not matrix.may_see_membership(matrix.standing(actor), membership):
        raise NotFound(_("This request does not exist."))
    return membership


def _locked_membership(actor: Any, pk: int) -> tuple[Membership, matrix.Standing]:
    membership = visible_membership(actor, pk)
    st = matrix.standing(actor)
    if membership.user_id == st.user_id:
        raise DomainError(_("Nobody decides their own request."), code="own_request")
    if not matrix.may_decide_membership(st, membership):
        raise NotFound(_("This request does not exist."))
    Membership.objects.select_for_update().filter(pk=pk).first()
    membership.refresh_from_db()
    return membership, st


def new_status(action: str, old: str, reason: str) -> str:
    if action not in matrix.TRANSITIONS:
        raise Invalid(_("Unknown decision."))
    sources, new = matrix.TRANSITIONS[action]
    if old not in sources:
        raise Conflict(_("This decision does not apply to a role that is %(status)s.") % {"status": Status(old).label})
    if action in matrix.REASON_REQUIRED and not reason.strip():
        raise Invalid(_("Give the reason of the rejection."))
    return new


def decide_membership(actor: Any, pk: int, action: str, reason: str = "") -> Membership:
    """Validate, reject, suspend or delete a person's role. The first validated person of an operator is its admin."""
    with transaction.atomic():
        membership, _st = _locked_membership(actor, pk)
        old = membership.status
        membership.status = new_status(action, old, reason)
        membership.decided_by, membership.decided_at, membership.reason = actor, timezone.now(), reason.strip()
        fields = ["status", "decided_by", "decided_at", "reason"]
        if membership.operator_id:
            operator = Operator.objects.select_for_update().get(pk=membership.operator_id)
            if membership.status == Status.VALID and not _has_admin(operator, membership):
                membership.is_admin = True
                fields.append("is_admin")
            if operator.status == Status.REQUESTED:
                _follow_first_request(actor, operator, membership)
        membership.save(update_fields=fields)
        Decision.objects.create(
            membership=membership, actor=actor, old_status=old, new_status=membership.status, note=membership.reason
        )
        _tell_person(membership)
    return membership


def _has_admin(operator: Operator, but: Membership) -> bool:
    return operator.members.filter(status=Status.VALID, is_admin=True).exclude(pk=but.pk).exists()


def _follow_first_request(actor: Any, operator: Operator, membership: Membership) -> None:
    """A new operator is sent with its first request: validating the request validates the profile and
    its activities; rejecting or deleting the last open request closes the profile too."""
    if membership.status == Status.VALID:
        new: str = Status.VALID
    elif operator.members.exclude(pk=membership.pk).exclude(status__in=Status.closed()).exists():
        return
    else:
        new = membership.status
    set_operator_status(actor, operator, new, membership.reason)
    for activity in operator.activities.filter(status=Status.REQUESTED):
        set_activity_status(actor, activity, new, membership.reason)


def set_operator_status(actor: Any, operator: Operator, new: str, reason: str = "") -> None:
    old = operator.status
    operator.status, operator.status_reason = new, reason
    operator.save(update_fields=["status", "status_reason"])
    Decision.objects.create(operator=operator, actor=actor, old_status=old, new_status=new, note=reason)


def set_activity_status(actor: Any, activity: Any, new: str, reason: str = "") -> None:
    old = activity.status
    activity.status = new
    activity.save(update_fields=["status"])
    Decision.objects.create(activity=activity, actor=actor, old_status=old, new_status=new, note=reason)


def _tell_person(membership: Membership) -> None:
    reason = format_lazy(_("Reason: {}"), membership.reason) if membership.reason else ""
    notify_message(
        membership.user,
        DECIDED_SUBJECT,
        DECIDED_BODY,
        {
            "name": membership.user.get_full_name(),
            "organisation": membership.organisation_name,
            "status": Status(membership.status).label,
            "reason": reason,
        },
        reverse("directory:roles"),
    )


def is_office_administrator(actor: Any, membership: Membership) -> bool:
    """Whether the person is a Valid administrator of the customs office (an authority of kind customs) this
    membership is of: the one who, besides the Commission, gives and takes its staff's administrator flag."""
    if membership.kind != MembershipKind.AUTHORITY or membership.held_authority.kind != Authority.Kind.CUSTOMS:
        return False
    return Membership.objects.filter(
        user=actor, kind=MembershipKind.AUTHORITY, authority=membership.held_authority, status=Status.VALID,
        is_admin=True,
    ).exists()  # fmt: skip


def _flagged_membership(actor: Any, pk: int) -> Membership:
    """The membership whose administrator flag the person changes, locked: as its decider (`_locked_membership`),
    or as an administrator of its customs office (`is_office_administrator`), never their own."""
    found = Membership.objects.select_related("user", "authority").filter(pk=pk).first()
    if found is None or not is_office_administrator(actor, found):
        return _locked_membership(actor, pk)[0]
    if found.user_id == actor.pk:
        raise DomainError(_("Nobody changes their own administrator flag."), code="own_request")
    Membership.objects.select_for_update().filter(pk=pk).first()
    found.refresh_from_db()
    return found


def set_admin(actor: Any, pk: int, is_admin: bool) -> Membership:
    """Give or take the administrator flag of an operator's person (its administrators, or its validator) or of
    a customs office's (its validator, the Commission, or the office's administrators: they issue its machine
    clients, Reg. (EU) 2024/2145). Only a Valid person is made administrator (409); NotFound (404) for anybody
    else, as if the membership did not exist; 403 for one's own flag."""
    with transaction.atomic():
        membership = _flagged_membership(actor, pk)
        customs = (
            membership.kind == MembershipKind.AUTHORITY and membership.held_authority.kind == Authority.Kind.CUSTOMS
        )
        if membership.kind != MembershipKind.OPERATOR and not customs:
            raise Invalid(_("Only the people of an operator or of a customs office have an administrator flag."))
        if is_admin and membership.status != Status.VALID:
            raise Conflict(_("Only a Valid person can be an administrator."))
        if membership.is_admin == is_admin:
            return membership
        membership.is_admin = is_admin
        membership.save(update_fields=["is_admin"])
        note = "admin" if is_admin else "not admin"
        Decision.objects.create(
            membership=membership, actor=actor, old_status=membership.status, new_status=membership.status, note=note
        )
        subject = (
            _("You are now an administrator of %(organisation)s")
            if is_admin
            else _("You are no longer an administrator of %(organisation)s")
        )
        notify_message(
            membership.user,
            subject,
            _("Hello %(name)s,\n\nYour administrator flag for %(organisation)s has changed."),
            {"name": membership.user.get_full_name(), "organisation": membership.organisation_name},
            reverse("directory:roles"),
        )
    return membership


def grant_rfl(actor: Any, person: Any, operator: Operator, points: Iterable[PointOfEntry]) -> list[RflGrant]:
    """The Commission grants 'responsible for the load' to a Valid person of an operator, per point of entry."""
    if not matrix.may_grant_rfl(matrix.standing(actor)):
        raise NotFound(_("This page does not exist."))
    points = list(points)
    if not points:
        raise Invalid(_("Select at least one point of entry."))
    if not Membership.objects.filter(user=person, operator=operator, status=Status.VALID).exists():
        raise Invalid(_("The person must be a Valid member of the operator."))
    grants = []
    with transaction.atomic():
        for point in points:
            grant, created = RflGrant.objects.get_or_create(
                user=person, operator=operator, point_of_entry=point, defaults={"granted_by": actor}
            )
            if not created and grant.revoked_at is not None:
                grant.revoked_at, grant.granted_by, grant.granted_at = None, actor, timezone.now()
                grant.save(update_fields=["revoked_at", "granted_by", "granted_at"])
            grants.append(grant)
        notify_message(
            person,
            _("You are responsible for the load for %(organisation)s at %(points)s"),
            _("Hello %(name)s,\n\nThe Commission gave you the RFL role for %(organisation)s at %(points)s."),
            {
                "name": person.get_full_name(),
                "organisation": operator.name,
                "points": ", ".join(p.code for p in points),
            },
            reverse("directory:roles"),
        )
    return grants


def revoke_rfl(actor: Any, grant_id: int) -> RflGrant:
    if not matrix.may_grant_rfl(matrix.standing(actor)):
        raise NotFound(_("This page does not exist."))
    grant = RflGrant.objects.select_related("user", "operator", "point_of_entry").filter(pk=grant_id).first()
    if grant is None:
        raise NotFound(_("This page does not exist."))
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        notify_message(
            grant.user,
            _("Your RFL role for %(organisation)s at %(points)s is withdrawn"),
            _("Hello %(name)s,\n\nThe Commission withdrew your RFL role for %(organisation)s at %(points)s."),
            {
                "name": grant.user.get_full_name(),
                "organisation": grant.operator.name,
                "points": grant.point_of_entry.code,
            },
            reverse("directory:roles"),
        )
    return grant


def memberships_summary(user: Any) -> list[dict[str, Any]]:
    """Every role of a person, whatever its status (for /api/v1/me and the profile page)."""
    rows = Membership.objects.filter(user=user).select_related(
        "operator", "control_body_code__control_body", "authority"
    )
    return [
        {
            "id": m.pk,
            "organisation_id": m.organisation.pk,
            "organisation_kind": m.kind,
            "organisation_name": m.organisation_name,
            "role": "administrator" if m.is_admin else "member",
            "status": m.status,
            "is_admin": m.is_admin,
        }
        for m in rows
    ]
