"""A membership holds the organisation of its kind (an operator, a control body code or an authority): the
typed accessors give it, and refuse the others rather than hand back None."""

from __future__ import annotations

import pytest

from directory.tests.factories import AuthorityFactory, ControlBodyCodeFactory, OperatorFactory, member_of

pytestmark = pytest.mark.django_db


def test_it_gives_what_each_kind_of_membership_holds_and_refuses_the_others() -> None:
    operator, code, authority = OperatorFactory(), ControlBodyCodeFactory(), AuthorityFactory()
    of_operator, of_code, of_authority = member_of(operator), member_of(code), member_of(authority)
    assert (of_operator.held_operator, of_code.held_control_body_code, of_authority.held_authority) == (
        operator,
        code,
        authority,
    )
    for membership, others in (
        (of_operator, ("held_control_body_code", "held_authority")),
        (of_code, ("held_operator", "held_authority")),
        (of_authority, ("held_operator", "held_control_body_code")),
    ):
        for other in others:
            with pytest.raises(ValueError, match=f"is of kind {membership.kind}, not"):
                getattr(membership, other)
    assert (of_operator.organisation_name, of_authority.organisation_name) == (operator.name, authority.name)
