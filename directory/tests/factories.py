"""Factories for the directory's organisations and memberships (other apps' tests import them too).

Everything a factory makes is Valid unless told otherwise, so a test states only what it is about.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory

from accounts.tests.factories import UserFactory
from directory.models import (
    ActivityKind,
    Authority,
    ControlBody,
    ControlBodyCode,
    IdentifierType,
    Membership,
    MembershipKind,
    Operator,
    OperatorActivity,
    OperatorIdentifier,
    PointOfEntry,
    RflGrant,
    Status,
)

__all__ = [
    "AuthorityFactory",
    "ControlBodyCodeFactory",
    "ControlBodyFactory",
    "MembershipFactory",
    "OperatorActivityFactory",
    "OperatorFactory",
    "OperatorIdentifierFactory",
    "PointOfEntryFactory",
    "RflGrantFactory",
    "UserFactory",
    "member_of",
]


class ControlBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlBody

    name = factory.Sequence(lambda n: f"Certifier {n}")
    country = "FR"
    city = "Paris"
    # A fixed address, not one counted from the bodies made so far in the process: what a test reads (a
    # PDF box that wraps or not) must not depend on the tests that ran before it.
    address = "12 rue du Contrôle"


class ControlBodyCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlBodyCode

    class Params:
        country_code = "MA"

    control_body = factory.SubFactory(ControlBodyFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.country_code}-BIO-{100 + n % 900:03d}")
    categories = "ABCDEF"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Authority {n}")
    kind = Authority.Kind.COMPETENT
    country = "FR"
    city = "Paris"
    address = "1 place de l'Autorité"


class PointOfEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointOfEntry

    code = factory.Sequence(lambda n: f"FRP{n:02d}")
    name = factory.Sequence(lambda n: f"Port {n}")
    country = "FR"
    authority = factory.SubFactory(AuthorityFactory, kind=Authority.Kind.ENTRY)


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    name = factory.Sequence(lambda n: f"Operator {n}")
    country = "FR"
    city = "Paris"
    postcode = "75001"
    # Fixed, as ControlBodyFactory's: a counted "189 Big Street" (after test_form_2021_2306.py) wrapped box 11
    # of the PDF where "0 Big Street" (run alone) did not.
    address = "12 Big Street"
    status = Status.VALID


class OperatorIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorIdentifier

    operator = factory.SubFactory(OperatorFactory)
    type = IdentifierType.EORI
    value = "FR43396818700016"


class OperatorActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorActivity

    operator = factory.SubFactory(OperatorFactory)
    kind = ActivityKind.IMPORTER
    control_body_code = factory.SubFactory(
        ControlBodyCodeFactory, country_code=factory.SelfAttribute("..operator.country")
    )
    valid_from = datetime.date(2025, 1, 1)
    valid_until = datetime.date(2027, 12, 31)
    status = Status.VALID


def _organisation_fields(organisation: Any) -> dict[str, Any]:
    if isinstance(organisation, Operator):
        return {"kind": MembershipKind.OPERATOR, "operator": organisation}
    if isinstance(organisation, ControlBodyCode):
        return {"kind": MembershipKind.CONTROL_BODY, "control_body_code": organisation}
    return {"kind": MembershipKind.AUTHORITY, "authority": organisation}


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    kind = MembershipKind.OPERATOR
    operator = factory.SubFactory(OperatorFactory)
    status = Status.VALID


class RflGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RflGrant

    user = factory.SubFactory(UserFactory)
    operator = factory.SubFactory(OperatorFactory)
    point_of_entry = factory.SubFactory(PointOfEntryFactory)


def member_of(organisation: Any, user: Any = None, *, status: str = Status.VALID, is_admin: bool = False) -> Membership:
    """A person's membership of an operator, a control body code or an authority."""
    return Membership.objects.create(
        user=user or UserFactory(),
        status=status,
        is_admin=is_admin,
        **_organisation_fields(organisation),
    )
