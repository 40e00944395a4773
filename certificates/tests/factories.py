"""Factories the certificates tests add to the directory's: codes found by code, activities open-ended, a port."""

from __future__ import annotations

import datetime

import factory

from accounts.tests.factories import UserFactory
from directory.models import (
    ActivityKind,
    Authority,
    ControlBodyCode,
    Membership,
    MembershipKind,
    Operator,
    OperatorActivity,
    PointOfEntry,
    RflGrant,
    Status,
)
from directory.tests.factories import AuthorityFactory, ControlBodyFactory, OperatorFactory
from reference.loader import load_codes
from reference.models import CnCode


class ControlBodyCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlBodyCode
        django_get_or_create = ("code",)

    control_body = factory.SubFactory(ControlBodyFactory)
    code = factory.Sequence(lambda n: f"MA-BIO-{n % 1000:03d}")
    categories = "ABCDEF"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorActivity

    operator = factory.SubFactory(OperatorFactory)
    kind = ActivityKind.IMPORTER
    control_body_code = factory.SubFactory(ControlBodyCodeFactory)
    status = Status.VALID
    valid_from = datetime.date(2020, 1, 1)
    valid_until = None


class PointOfEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointOfEntry

    code = factory.Sequence(lambda n: f"FRLEH{n}")
    name = "Le Havre"
    country = "FR"
    authority = factory.SubFactory(AuthorityFactory, kind=Authority.Kind.ENTRY)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    kind = MembershipKind.OPERATOR
    status = Status.VALID


def member_of(organisation: Operator | ControlBodyCode | Authority, **user_fields: str) -> object:
    """A person with a Valid membership of the organisation."""
    user = UserFactory(**user_fields)
    if isinstance(organisation, Operator):
        MembershipFactory(user=user, kind=MembershipKind.OPERATOR, operator=organisation)
    elif isinstance(organisation, ControlBodyCode):
        MembershipFactory(user=user, kind=MembershipKind.CONTROL_BODY, control_body_code=organisation)
    else:
        MembershipFactory(user=user, kind=MembershipKind.AUTHORITY, authority=organisation)
    return user


def rfl_grant(user: object, operator: Operator, point: PointOfEntry) -> RflGrant:
    return RflGrant.objects.create(user=user, operator=operator, point_of_entry=point)


def cn_code(code: str) -> CnCode:
    """A real code of the shipped CN (with its chapter, heading and subheading, texts and categories as loaded)."""
    return load_codes(code)[code]
