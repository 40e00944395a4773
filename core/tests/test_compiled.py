"""core/compiled.py: a query whose SQL is built once gives, on every call, what its queryset gives now, and refuses
the queries whose SQL would change with their arguments."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from core.compiled import CompiledQuery
from directory.models import Membership, MembershipKind, Status
from directory.tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db

memberships = CompiledQuery(
    lambda user_id: Membership.objects.filter(user_id=user_id, status=Status.VALID).select_related("operator")
)


def test_it_reads_the_rows_of_now_on_every_call_with_their_related_objects():
    user, other = UserFactory(), UserFactory()
    assert memberships(user.pk) == []
    acme = OperatorFactory(name="ACME Bio Imports FR")
    Membership.objects.create(user=user, kind=MembershipKind.OPERATOR, operator=acme, status=Status.VALID)
    Membership.objects.create(user=other, kind=MembershipKind.OPERATOR, operator=acme, status=Status.VALID)

    found = memberships(user.pk)
    assert [m.user_id for m in found] == [user.pk] and found[0].operator.name == "ACME Bio Imports FR"
    assert found == list(Membership.objects.filter(user=user, status=Status.VALID))

    Membership.objects.filter(user=user).update(status=Status.SUSPENDED)
    assert memberships(user.pk) == []


def test_it_refuses_an_argument_whose_value_the_lookup_changes():
    # `__contains` sends "%value%": the argument is not found in the SQL's parameters as given.
    containing = CompiledQuery(lambda text: Membership.objects.filter(message__contains=text), str)
    with pytest.raises(ValueError, match="not a plain value"):
        containing("urgent")
