"""Who calls the exchange: a machine client's token (`occ_...`, a system, not a person), or a person's own API
token (`oc_...`, accounts) when that person is Valid staff of a customs office (validated as every authority's
staff, by the Commission: `directory/matrix.py`) or of an authority named on the COI (manual management, Art. 8).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from accounts.models import ApiToken
from api.auth import speak_as
from certificates.access import Person, roles_on
from certificates.models import Certificate
from certificates.statuses import COIRole
from customs.models import CustomsClient, CustomsOffice
from customs.quantities import Caller
from directory.access import request_memberships
from directory.models import Authority, MembershipKind, Status

# Art. 8: the authorities that may change a COI's quantities by hand, besides customs.
MANAGERS = frozenset({COIRole.VALIDATING_AUTHORITY, COIRole.ENTRY_AUTHORITY})


def office_of(user: Any) -> CustomsOffice | None:
    """The customs office the person is Valid staff of (the first by code, if several)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CustomsOffice.objects.select_related("authority")
        .filter(
            authority__kind=Authority.Kind.CUSTOMS,
            authority__members__user=user,
            authority__members__status=Status.VALID,
        )
        .order_by("code")
        .first()
    )


def administered_offices(user: Any) -> list[CustomsOffice]:
    """The customs offices the person administers: a Valid membership of the office with the administrator flag
    (given by the Commission, who validates the office's staff: `directory.services.set_admin`). Only they issue,
    list and revoke the office's machine clients (the page `customs:clients`)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        CustomsOffice.objects.select_related("authority")
        .filter(
            authority__kind=Authority.Kind.CUSTOMS,
            authority__members__user=user,
            authority__members__kind=MembershipKind.AUTHORITY,
            authority__members__status=Status.VALID,
            authority__members__is_admin=True,
        )
        .order_by("code")
    )


def nav_entries(request: HttpRequest) -> list[tuple[str, str]]:
    """The main menu's entry of each office the person administers (`core.nav`); no query for anybody else."""
    if not any(
        m.kind == MembershipKind.AUTHORITY and m.is_admin and m.held_authority.kind == Authority.Kind.CUSTOMS
        for m in request_memberships(request)
    ):
        return []
    return [
        (_("Machine clients of %(office)s") % {"office": office.code}, reverse("customs:clients", args=[office.code]))
        for office in administered_offices(request.user)
    ]


def competent_authority(person: Person, coi: Certificate) -> Authority | None:
    """The authority on whose behalf the person may write off or restore the COI's quantities by hand (Art. 8):
    the COI's validating authority (box 22's) or the authority of its point of entry (box 10's), when the
    person is Valid staff of it; None for anybody else (its parties included). The one place of this rule, for
    the COI's customs page and the exchange's `POST /documents/{reference}/manual`."""
    if not roles_on(person, coi) & MANAGERS:
        return None
    named = [coi.validating_authority_id, coi.point_of_entry.authority_id if coi.point_of_entry else None]
    pk = next((a for a in named if a is not None and a in person.authorities), None)
    return Authority.objects.filter(pk=pk).first() if pk else None


class ExchangeToken(HttpBearer):
    """Sets `request.customs_caller` (a customs office acting, or None) and `request.user` for a person."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if token.startswith(CustomsClient.PREFIX):
            client = CustomsClient.authenticate(token)
            if client is None:
                return None
            request.customs_caller = Caller(client.office, client=client)  # type: ignore[attr-defined]  # set for the operation
            return client
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        speak_as(request, user)
        office = office_of(user)
        request.customs_caller = Caller(office, user=user) if office else None  # type: ignore[attr-defined]  # set for the operation
        return user
