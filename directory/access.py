"""Who a person acts for: their Valid memberships, read fresh on every request.

Every page and API call asks here; a suspended member loses access at the next request because
nothing about memberships is cached in the session except which one the person chose to act for.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from core.compiled import CompiledQuery
from directory.models import Membership, MembershipKind, RflGrant, Status

ACTING_SESSION_KEY = "acting_membership_id"


def _valid_memberships_of(user_id: int) -> QuerySet[Membership]:
    """With `rfl_granted` on each: whether the person holds a not revoked RFL grant for its operator (read in the
    same query: the RFL role needs no query of its own)."""
    granted = RflGrant.objects.filter(
        user_id=OuterRef("user_id"), operator_id=OuterRef("operator_id"), revoked_at__isnull=True
    )
    return (
        Membership.objects.filter(user_id=user_id, status=Status.VALID)
        .select_related("operator", "control_body_code__control_body", "authority")
        .annotate(rfl_granted=Exists(granted))
    )


# Read on every page: its SQL is built once per process (core.compiled), the rows are read on every request.
_compiled_valid_memberships = CompiledQuery(_valid_memberships_of)


def valid_memberships(user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return _valid_memberships_of(user.pk)


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The person's Valid memberships (with their operator, control body code and authority), read once per
    request however many parts of the page ask (menu, acting membership, COI roles)."""
    cached = getattr(request, "_valid_memberships", None)
    if cached is None or cached[0] is not request.user:
        user = request.user
        found = _compiled_valid_memberships(user.pk) if getattr(user, "is_authenticated", False) else []
        cached = (user, found)
        request._valid_memberships = cached  # type: ignore[attr-defined]
    return cached[1]


def operator_ids(user: Any) -> set[int]:
    """Operators the person acts for, only while both the membership and the operator are Valid."""
    return set(
        valid_memberships(user)
        .filter(kind=MembershipKind.OPERATOR, operator__status=Status.VALID)
        .values_list("operator_id", flat=True)
    )


def control_body_code_ids(user: Any) -> set[int]:
    return set(
        valid_memberships(user).filter(kind=MembershipKind.CONTROL_BODY).values_list("control_body_code_id", flat=True)
    )


def authority_ids(user: Any) -> set[int]:
    return set(valid_memberships(user).filter(kind=MembershipKind.AUTHORITY).values_list("authority_id", flat=True))


def rfl_point_ids(user: Any) -> set[int]:
    """Points of entry where the person holds the RFL role (granted by the Commission, not revoked)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        RflGrant.objects.filter(user=user, revoked_at__isnull=True, operator_id__in=operator_ids(user)).values_list(
            "point_of_entry_id", flat=True
        )
    )


def acting_membership(request: HttpRequest) -> Membership | None:
    """The membership the person chose to act for (the first Valid one when none was chosen)."""
    memberships = request_memberships(request)
    chosen = request.session.get(ACTING_SESSION_KEY)
    for membership in memberships:
        if membership.pk == chosen:
            return membership
    return memberships[0] if memberships else None
