"""API: the directory. Search and read organisations, request to join, create an operator, decide requests.

The rules are `directory/matrix.py`'s, applied by `directory/services.py` and `directory/operators.py`:
an endpoint parses and calls them, exactly as the pages do.
"""

import dataclasses
import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Reply
from ninja.pagination import paginate
from pydantic import create_model

from api.schema import BoundedPages, Country, CountryOrNone, Id, StrictIn, column, refused_at
from core.errors import Invalid, NotFound
from directory import matrix, operators, services
from directory.messages import API_MESSAGES
from directory.models import (
    ActivityKind,
    Authority,
    ControlBodyCode,
    IdentifierType,
    Membership,
    Operator,
    OperatorActivity,
    OperatorIdentifier,
    PointOfEntry,
    Status,
)

router = Router(tags=["directory"])
MESSAGE_LENGTH = 2000  # the page's message and remarks boxes hold as much


class IdentifierOut(Schema):
    type: str
    value: str


class ActivityOut(Schema):
    id: int
    kind: str
    control_body_code: str = Field(..., alias="control_body_code.code")
    identifier: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    status: str


class OperatorOut(Schema):
    id: int
    name: str
    country: str
    region: str
    postcode: str
    city: str
    address: str
    phone: str
    email: str
    website: str
    status: str
    identifiers: list[IdentifierOut]
    activities: list[ActivityOut]


class ControlBodyCodeOut(Schema):
    id: int
    code: str
    country: str
    categories: str
    control_body_id: int
    control_body_name: str = Field(..., alias="control_body.name")
    head_office_country: str = Field(..., alias="control_body.country")


class AuthorityOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    city: str


class PointOfEntryOut(Schema):
    id: int
    code: str
    name: str
    country: str
    authority_id: int


class MembershipOut(Schema):
    id: int
    person_email: str = Field(..., alias="user.email")
    person_name: str = Field(..., alias="user.get_full_name")
    kind: str
    organisation_id: int = Field(..., alias="organisation.pk")
    organisation_name: str
    status: str
    is_admin: bool
    message: str
    contact_email: str
    contact_phone: str
    requested_at: datetime.datetime
    reason: str


class CreatedOperatorOut(MembershipOut):
    """The request made with a new operator, and warnings that do not stop it (an EORI of another country)."""

    warnings: list[str] = []

    @staticmethod
    def resolve_warnings(obj: Membership) -> list[str]:
        return obj.operator.eori_warnings if obj.operator is not None else []


class ContactIn(StrictIn):
    multiline = frozenset({"message", "remarks"})

    message: str = Field("", max_length=MESSAGE_LENGTH)
    contact_email: str = column(Membership, "contact_email")
    contact_phone: str = column(Membership, "contact_phone")


class JoinIn(ContactIn):
    """One of: an operator, one or several codes of one control body, an authority."""

    operator_id: Id | None = None
    control_body_code_ids: list[Id] = []
    authority_id: Id | None = None


class IdentifierIn(StrictIn):
    type: IdentifierType
    value: str = column(OperatorIdentifier, "value", ...)


class ActivityIn(StrictIn):
    multiline = frozenset({"remarks"})

    kind: ActivityKind
    control_body_code: str = column(ControlBodyCode, "code", ...)
    identifier: str = column(OperatorActivity, "identifier")
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    remarks: str = Field("", max_length=MESSAGE_LENGTH)


# The operator's details as the API takes them: `directory.operators.OperatorDetails`' fields (text, the
# required ones required), but its map position, which only the page sets.
DETAILS = [f for f in dataclasses.fields(operators.OperatorDetails) if f.name not in ("latitude", "longitude")]
OperatorDetailsIn = create_model(
    "OperatorDetailsIn",
    __base__=ContactIn,
    **{
        f.name: (str, column(Operator, f.name, ... if f.default is dataclasses.MISSING else f.default)) for f in DETAILS
    },  # type: ignore[call-overload]  # pydantic's create_model takes field definitions as keywords
)


class OperatorIn(OperatorDetailsIn):  # type: ignore[misc,valid-type]  # a pydantic model made from the dataclass
    identifiers: list[IdentifierIn] = []
    activities: list[ActivityIn]
    confirm_duplicate: bool = False


class DuplicateOut(Schema):
    detail: str
    code: str
    candidates: list[OperatorOut]


class DecisionIn(StrictIn):
    action: Literal["validate", "reject", "suspend", "delete"]
    reason: str = column(Membership, "reason")


class AdminIn(StrictIn):
    is_admin: bool


@router.get("operators", response=list[OperatorOut], summary="Search Valid operators of a country")
@paginate(BoundedPages, page_size=20)
def search_operators(
    request: HttpRequest, country: Country, kind: ActivityKind | None = None, q: str = ""
) -> QuerySet[Operator]:
    """Country mandatory; activity type; text over name, identifiers and approval numbers."""
    return operators.search_operators(country, kind or "", q)


@router.get("operators/{id:operator_id}", response=OperatorOut, summary="Read an operator")
def read_operator(request: HttpRequest, operator_id: int) -> Operator:
    """A Valid operator is public to every person; any other only to its members and validators."""
    operator = operators.with_details(Operator.objects.filter(pk=operator_id, status=Status.VALID)).first()
    return operator or operators.visible_operator(request.user, operator_id)[0]


@router.get("operators/{id:operator_id}/members", response=list[MembershipOut], summary="An operator's people")
def operator_members(request: HttpRequest, operator_id: int, status: Status | None = None) -> Any:
    operator, st = operators.visible_operator(request.user, operator_id)
    if not matrix.may_edit_operator(st, operator):
        raise NotFound(API_MESSAGES["no_operator"])
    people = Membership.objects.filter(operator=operator).select_related("user", "operator")
    return people.filter(status=status) if status else people


def _code(value: str) -> ControlBodyCode:
    code = ControlBodyCode.objects.filter(code=value.strip().upper(), active=True).first()
    if code is None:
        raise Invalid(API_MESSAGES["unknown_code"] % {"code": value})
    return code


@router.post(
    "operators",
    response={201: CreatedOperatorOut, 409: DuplicateOut},
    summary="Create an operator with your request to act for it",
)
def create_operator(request: HttpRequest, payload: OperatorIn) -> Reply[Any]:
    details = operators.OperatorDetails(**payload.dict(include={f.name for f in DETAILS}))
    activities = [
        operators.NewActivity(**a.dict(exclude={"control_body_code"}), control_body_code=_code(a.control_body_code))
        for a in payload.activities
    ]
    identifiers = [operators.NewIdentifier(i.type, i.value) for i in payload.identifiers]
    contact = operators.ContactInfo(payload.message, payload.contact_email, payload.contact_phone)
    try:
        membership = operators.create_operator_with_request(
            request.user, details, identifiers, activities, contact, confirm_duplicate=payload.confirm_duplicate
        )
    except operators.LikelyDuplicate as duplicate:
        return Reply(
            409, {"detail": str(duplicate.message), "code": duplicate.code, "candidates": duplicate.candidates}
        )
    return Reply(201, membership)


@router.get("control-bodies", response=list[ControlBodyCodeOut], summary="Search control bodies' country entries")
@paginate(BoundedPages, page_size=50)
def search_control_bodies(request: HttpRequest, country: CountryOrNone = "", q: str = "") -> QuerySet[ControlBodyCode]:
    return operators.search_control_body_codes(country, q)


@router.get("authorities", response=list[AuthorityOut], summary="List authorities")
def list_authorities(
    request: HttpRequest, country: CountryOrNone = "", kind: Authority.Kind | None = None
) -> QuerySet[Authority]:
    qs = Authority.objects.all()
    if country:
        qs = qs.filter(country=country.upper())
    return qs.filter(kind=kind) if kind else qs


@router.get("points-of-entry", response=list[PointOfEntryOut], summary="List points of entry")
def list_points_of_entry(request: HttpRequest, country: CountryOrNone = "") -> QuerySet[PointOfEntry]:
    qs = PointOfEntry.objects.all()
    return qs.filter(country=country.upper()) if country else qs


@router.post("memberships", response={201: list[MembershipOut]}, summary="Request to act for an organisation")
def request_membership(request: HttpRequest, payload: JoinIn) -> Reply[list[Membership]]:
    contact = payload.dict(include={"message", "contact_email", "contact_phone"})
    chosen = [bool(payload.operator_id), bool(payload.control_body_code_ids), bool(payload.authority_id)]
    if sum(chosen) != 1:
        raise Invalid(API_MESSAGES["one_organisation"])
    if payload.operator_id:
        operator = Operator.objects.exclude(status__in=Status.closed()).filter(pk=payload.operator_id).first()
        if operator is None:
            raise refused_at("body", "operator_id", API_MESSAGES["no_operator"])
        return Reply(201, [services.request_membership(request.user, operator, **contact)])
    if payload.authority_id:
        authority = Authority.objects.filter(pk=payload.authority_id).first()
        if authority is None:
            raise refused_at("body", "authority_id", API_MESSAGES["no_authority"])
        return Reply(201, [services.request_membership(request.user, authority, **contact)])
    codes = ControlBodyCode.objects.filter(pk__in=payload.control_body_code_ids, active=True)
    if len(codes) != len(set(payload.control_body_code_ids)):
        raise refused_at("body", "control_body_code_ids", API_MESSAGES["no_code"])
    return Reply(201, services.request_control_body_codes(request.user, codes, **contact))


@router.get("memberships/pending", response=list[MembershipOut], summary="Requests waiting for your decision")
def pending_memberships(request: HttpRequest) -> QuerySet[Membership]:
    return matrix.decidable_memberships(request.user, [Status.REQUESTED]).order_by("requested_at")


@router.post("memberships/{id:membership_id}/decision", response=MembershipOut, summary="Decide a request")
def decide(request: HttpRequest, membership_id: int, payload: DecisionIn) -> Membership:
    return services.decide_membership(request.user, membership_id, payload.action, payload.reason)


@router.post("memberships/{id:membership_id}/admin", response=MembershipOut, summary="Give or take the admin flag")
def set_admin(request: HttpRequest, membership_id: int, payload: AdminIn) -> Membership:
    return services.set_admin(request.user, membership_id, payload.is_admin)
