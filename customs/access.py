"""Who calls the exchange: a machine client's token (`occ_...`, a system, not a person), or a person's own API
token (`oc_...`, accounts) when that person is Valid staff of a customs office (validated as every authority's
staff, by the Commission: `directory/matrix.py`) or of an authority named on the COI (manual management, Art. 8).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from accounts.models import ApiToken
from customs.models import CustomsClient, CustomsOffice
from customs.quantities import Caller
from directory.models import Authority, Status


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
        request.user = user
        office = office_of(user)
        request.customs_caller = Caller(office, user=user) if office else None  # type: ignore[attr-defined]  # set for the operation
        return user
