"""Who decides what in the directory: one table, read by services, pages, API and tests alike.

The guides' rules (seed 001, sections 2 and 3):
- an operator in a member state, and its people, are validated by that state's competent authority;
- a third-country operator, and its people, by the control body (code) that certifies its activities;
- control-body staff by the competent authority of the country where they work for the body (the country
  of the code, e.g. INAO for FR-BIO-01: "examinée et validée par l'INAO", 2.2), by the Commission where no
  competent authority covers that country (a third country, or a member state without one here);
- authority staff by the Commission;
- once an operator is Valid, its administrator decides later requests to join it;
- nobody decides their own request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from directory.access import valid_memberships
from directory.models import (
    Authority,
    Membership,
    MembershipKind,
    Operator,
    OperatorActivity,
    Status,
)
from reference.countries import EU_MEMBER_STATES, is_member_state


class Decider:
    """The standings from which a person may decide something."""

    COMPETENT_AUTHORITY = "competent_authority"
    CERTIFYING_CONTROL_BODY = "certifying_control_body"
    OPERATOR_ADMIN = "operator_admin"
    COMMISSION = "commission"


class Subject:
    """What is decided."""

    EU_OPERATOR_PERSON = "eu_operator_person"
    THIRD_COUNTRY_OPERATOR_PERSON = "third_country_operator_person"
    CONTROL_BODY_PERSON = "control_body_person"  # working in a country a competent authority covers
    UNCOVERED_CONTROL_BODY_PERSON = "uncovered_control_body_person"  # working where none does
    AUTHORITY_PERSON = "authority_person"
    # An operator's profile and its activities (validate, reject, suspend, delete).
    EU_OPERATOR_PROFILE = "eu_operator_profile"
    THIRD_COUNTRY_OPERATOR_PROFILE = "third_country_operator_profile"
    # Adding activities and identifiers to an operator.
    EU_OPERATOR_DETAILS = "eu_operator_details"
    THIRD_COUNTRY_OPERATOR_DETAILS = "third_country_operator_details"
    RFL = "rfl"


# The matrix. A person's request (and the administrator flag of an operator's person) is decided from
# these standings; the operator's administrator only once the operator itself is Valid.
WHO_DECIDES: dict[str, frozenset[str]] = {
    Subject.EU_OPERATOR_PERSON: frozenset({Decider.COMPETENT_AUTHORITY, Decider.OPERATOR_ADMIN}),
    Subject.THIRD_COUNTRY_OPERATOR_PERSON: frozenset({Decider.CERTIFYING_CONTROL_BODY, Decider.OPERATOR_ADMIN}),
    Subject.CONTROL_BODY_PERSON: frozenset({Decider.COMPETENT_AUTHORITY}),
    Subject.UNCOVERED_CONTROL_BODY_PERSON: frozenset({Decider.COMMISSION}),
    Subject.AUTHORITY_PERSON: frozenset({Decider.COMMISSION}),
    Subject.EU_OPERATOR_PROFILE: frozenset({Decider.COMPETENT_AUTHORITY}),
    Subject.THIRD_COUNTRY_OPERATOR_PROFILE: frozenset({Decider.CERTIFYING_CONTROL_BODY}),
    Subject.EU_OPERATOR_DETAILS: frozenset({Decider.COMPETENT_AUTHORITY, Decider.OPERATOR_ADMIN}),
    Subject.THIRD_COUNTRY_OPERATOR_DETAILS: frozenset({Decider.CERTIFYING_CONTROL_BODY, Decider.OPERATOR_ADMIN}),
    Subject.RFL: frozenset({Decider.COMMISSION}),
}


class Action:
    VALIDATE = "validate"
    REJECT = "reject"
    SUSPEND = "suspend"
    DELETE = "delete"

    CHOICES = [
        (VALIDATE, _("Validate")),
        (REJECT, _("Reject")),
        (SUSPEND, _("Suspend")),
        (DELETE, _("Delete")),
    ]


# Each decision: the statuses it applies to, and the status it gives.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.VALIDATE: (frozenset({Status.REQUESTED, Status.SUSPENDED}), Status.VALID),
    Action.REJECT: (frozenset({Status.REQUESTED}), Status.REJECTED),
    Action.SUSPEND: (frozenset({Status.VALID}), Status.SUSPENDED),
    Action.DELETE: (frozenset({Status.REQUESTED, Status.VALID, Status.SUSPENDED}), Status.DELETED),
}
REASON_REQUIRED = frozenset({Action.REJECT})


def actions_from(status: str) -> list[str]:
    return [action for action, (sources, _new) in TRANSITIONS.items() if status in sources]


@dataclass(frozen=True)
class Standing:
    """What one person may act as, read from their Valid memberships on this request."""

    user_id: int | None
    competent_countries: frozenset[str]
    commission: bool
    code_ids: frozenset[int]
    admin_operator_ids: frozenset[int]


def standing(user: object, memberships: Iterable[Membership] | None = None) -> Standing:
    """What the person may act as, from their Valid memberships (read here unless given, e.g. the request's
    `access.request_memberships`)."""
    competent: set[str] = set()
    commission = False
    codes: set[int] = set()
    admin_of: set[int] = set()
    for m in valid_memberships(user) if memberships is None else memberships:
        if m.kind == MembershipKind.AUTHORITY and m.held_authority.kind == Authority.Kind.COMPETENT:
            competent.add(m.held_authority.country)
        elif m.kind == MembershipKind.AUTHORITY and m.held_authority.kind == Authority.Kind.COMMISSION:
            commission = True
        elif m.kind == MembershipKind.CONTROL_BODY and m.held_control_body_code.active:
            codes.add(m.held_control_body_code.pk)
        elif m.kind == MembershipKind.OPERATOR and m.is_admin and m.held_operator.status == Status.VALID:
            admin_of.add(m.held_operator.pk)
    return Standing(
        getattr(user, "pk", None),
        frozenset(competent & EU_MEMBER_STATES),
        commission,
        frozenset(codes),
        frozenset(admin_of),
    )


def operator_code_ids(operator: Operator) -> set[int]:
    """The control body codes certifying the operator's activities (those not closed)."""
    return {a.control_body_code_id for a in operator.activities.all() if a.status not in Status.closed()}


def standings_over_operator(st: Standing, operator: Operator) -> set[str]:
    found: set[str] = set()
    if is_member_state(operator.country):
        if operator.country in st.competent_countries:
            found.add(Decider.COMPETENT_AUTHORITY)
    elif st.code_ids & operator_code_ids(operator):
        found.add(Decider.CERTIFYING_CONTROL_BODY)
    if operator.pk in st.admin_operator_ids:
        found.add(Decider.OPERATOR_ADMIN)
    return found


def covered_countries() -> frozenset[str]:
    """Member states where a competent authority is in the directory: their control-body staff go to it."""
    countries = Authority.objects.filter(kind=Authority.Kind.COMPETENT).values_list("country", flat=True)
    return frozenset(countries) & EU_MEMBER_STATES


def membership_subject(membership: Membership) -> str:
    code = membership.control_body_code
    if membership.kind == MembershipKind.CONTROL_BODY and code is not None:
        if code.country in covered_countries():
            return Subject.CONTROL_BODY_PERSON
        return Subject.UNCOVERED_CONTROL_BODY_PERSON
    if membership.kind == MembershipKind.AUTHORITY:
        return Subject.AUTHORITY_PERSON
    if is_member_state(membership.held_operator.country):
        return Subject.EU_OPERATOR_PERSON
    return Subject.THIRD_COUNTRY_OPERATOR_PERSON


def operator_subject(operator: Operator, *, details: bool = False) -> str:
    eu = is_member_state(operator.country)
    if details:
        return Subject.EU_OPERATOR_DETAILS if eu else Subject.THIRD_COUNTRY_OPERATOR_DETAILS
    return Subject.EU_OPERATOR_PROFILE if eu else Subject.THIRD_COUNTRY_OPERATOR_PROFILE


def standings_over_membership(st: Standing, membership: Membership) -> set[str]:
    if membership.kind == MembershipKind.OPERATOR:
        return standings_over_operator(st, membership.operator)  # type: ignore[arg-type]  # the membership's kind says which organisation it holds
    found = {Decider.COMMISSION} if st.commission else set()
    code = membership.control_body_code
    if code is not None and code.country in st.competent_countries:
        found.add(Decider.COMPETENT_AUTHORITY)
    return found


def may_see_membership(st: Standing, membership: Membership) -> bool:
    """Its person, and whoever the matrix names for it, see a request; for anyone else it does not exist."""
    if membership.user_id == st.user_id:
        return True
    return bool(WHO_DECIDES[membership_subject(membership)] & standings_over_membership(st, membership))


def may_decide_membership(st: Standing, membership: Membership) -> bool:
    return membership.user_id != st.user_id and may_see_membership(st, membership)


def may_decide_operator(st: Standing, operator: Operator) -> bool:
    return bool(WHO_DECIDES[operator_subject(operator)] & standings_over_operator(st, operator))


def may_edit_operator(st: Standing, operator: Operator) -> bool:
    return bool(WHO_DECIDES[operator_subject(operator, details=True)] & standings_over_operator(st, operator))


def may_decide_activity(st: Standing, activity: OperatorActivity) -> bool:
    """An activity is decided by the operator's validator; abroad, by the control body certifying that activity."""
    operator = activity.operator
    if is_member_state(operator.country):
        return operator.country in st.competent_countries
    return activity.control_body_code_id in st.code_ids


def may_grant_rfl(st: Standing) -> bool:
    return Decider.COMMISSION in WHO_DECIDES[Subject.RFL] and st.commission


def _operator_scope(st: Standing, prefix: str = "") -> Q:
    """Operators whose people and profile this person validates, as a filter (for queues and lists)."""
    q = Q(pk__in=[])
    if st.competent_countries:
        q |= Q(**{f"{prefix}country__in": st.competent_countries})
    if st.code_ids:
        open_statuses = [Status.REQUESTED, Status.VALID, Status.SUSPENDED]
        certified = Q(
            **{
                f"{prefix}activities__control_body_code_id__in": st.code_ids,
                f"{prefix}activities__status__in": open_statuses,
            }
        )
        q |= certified & ~Q(**{f"{prefix}country__in": EU_MEMBER_STATES})
    return q


def decidable_memberships(user: object, statuses: list[str] | None = None) -> QuerySet[Membership]:
    """The requests this person may decide (the queue), the person's own excluded."""
    st = standing(user)
    scope = Q(pk__in=[])
    operator_scope = _operator_scope(st, "operator__")
    scope |= Q(kind=MembershipKind.OPERATOR) & operator_scope
    if st.admin_operator_ids:
        scope |= Q(kind=MembershipKind.OPERATOR, operator_id__in=st.admin_operator_ids)
    if st.competent_countries:
        scope |= Q(kind=MembershipKind.CONTROL_BODY, control_body_code__country__in=st.competent_countries)
    if st.commission:
        scope |= Q(kind=MembershipKind.AUTHORITY)
        scope |= Q(kind=MembershipKind.CONTROL_BODY) & ~Q(control_body_code__country__in=covered_countries())
    ids = Membership.objects.filter(scope).exclude(user_id=st.user_id).values("pk")  # type: ignore[misc]  # a standing is a saved person's
    qs = Membership.objects.filter(pk__in=ids)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return qs.select_related("user", "operator", "control_body_code__control_body", "authority")


def decidable_operators(user: object) -> QuerySet[Operator]:
    ids = Operator.objects.filter(_operator_scope(standing(user))).values("pk")
    return Operator.objects.filter(pk__in=ids)


def decidable_activities(user: object) -> QuerySet[OperatorActivity]:
    """Activities awaiting a decision, added to operators already Valid (a new operator's go with it)."""
    st = standing(user)
    scope = Q(pk__in=[])
    if st.competent_countries:
        scope |= Q(operator__country__in=st.competent_countries)
    if st.code_ids:
        scope |= Q(control_body_code_id__in=st.code_ids) & ~Q(operator__country__in=EU_MEMBER_STATES)
    return (
        OperatorActivity.objects.filter(scope, status=Status.REQUESTED, operator__status=Status.VALID)
        .select_related("operator", "control_body_code__control_body")
        .order_by("operator__name", "kind")
    )


def deciders_of(membership: Membership) -> QuerySet[Membership]:
    """The Valid memberships from which someone may decide this request (to tell them it waits)."""
    valid = Membership.objects.filter(status=Status.VALID).exclude(user_id=membership.user_id)
    if membership_subject(membership) == Subject.CONTROL_BODY_PERSON:
        country = membership.held_control_body_code.country
        return valid.filter(
            kind=MembershipKind.AUTHORITY, authority__kind=Authority.Kind.COMPETENT, authority__country=country
        ).select_related("user")
    if membership.kind != MembershipKind.OPERATOR:
        return valid.filter(kind=MembershipKind.AUTHORITY, authority__kind=Authority.Kind.COMMISSION)
    operator: Operator = membership.operator  # type: ignore[assignment]  # the membership's kind says which organisation it holds
    if is_member_state(operator.country):
        scope = Q(
            kind=MembershipKind.AUTHORITY, authority__kind=Authority.Kind.COMPETENT, authority__country=operator.country
        )
    else:
        scope = Q(kind=MembershipKind.CONTROL_BODY, control_body_code_id__in=operator_code_ids(operator))
    if operator.status == Status.VALID:
        scope |= Q(kind=MembershipKind.OPERATOR, operator=operator, is_admin=True)
    return valid.filter(scope).select_related("user")
