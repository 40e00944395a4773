"""API: tokens for scripts, and who am I."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from accounts.models import ApiToken, User
from accounts.two_factor import code_is_valid, totp_of
from api.schema import StrictIn, column
from core.errors import DomainError
from directory.services import memberships_summary

router = Router(tags=["accounts"])


class TokenIn(StrictIn):
    email: str = column(User, "email", ...)
    password: str = Field(..., max_length=4096)
    totp: str | None = Field(None, max_length=12)
    name: str = column(ApiToken, "name", "script")


class TokenOut(Schema):
    token: str
    name: str


class MyMembershipOut(Schema):
    organisation_id: int
    organisation_kind: str
    organisation_name: str
    role: str
    status: str
    is_admin: bool = False


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    language: str
    two_factor: bool
    memberships: list[MyMembershipOut]


class ErrorOut(Schema):
    detail: str
    code: str | None = None


@router.post("auth/token", auth=None, response={201: TokenOut, 401: ErrorOut}, summary="Get a token for a script")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    """Exchange email, password and, when two-factor is on, a current TOTP code for a personal token."""
    user = authenticate(request, email=payload.email.strip().lower(), password=payload.password)
    if user is None:
        raise DomainError(_("Wrong email or password."), code="bad_credentials", status=401)
    totp = totp_of(user)
    if totp is not None and not (payload.totp and code_is_valid(totp, payload.totp.strip())):
        raise DomainError(_("A valid two-factor code is required."), code="totp_required", status=401)
    token, secret = ApiToken.issue(user, payload.name or "script")
    return Status(201, {"token": secret, "name": token.name})


@router.get("me", response=MeOut, summary="The person calling and their memberships")
def me(request: HttpRequest) -> dict[str, object]:
    user: User = request.user  # type: ignore[assignment]  # authenticated by the API's token or session
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "two_factor": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "memberships": memberships_summary(user),
    }
