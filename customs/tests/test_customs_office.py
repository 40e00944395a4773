"""The customs office: an authority of kind "customs" with its office code; its staff are validated as every
authority's (by the Commission) and may call the exchange with their personal token; a machine client's revoked
token is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ApiToken
from accounts.tests.factories import UserFactory
from certificates.tests.factories import AuthorityFactory, member_of
from customs.models import CustomsClient, CustomsOffice
from directory import matrix
from directory.models import Authority, Membership, MembershipKind

from .conftest import EORI, Exchange


def ask(secret, number):
    return Exchange(secret).post("/availability", {"document": number, "importer_eori": EORI,
                                                   "items": [{"cn_code": "08013200", "net_weight": "1"}]})  # fmt: skip


def test_its_staff_are_validated_by_the_commission(office):
    request = Membership.objects.create(user=UserFactory(), kind=MembershipKind.AUTHORITY, authority=office.authority)
    assert matrix.WHO_DECIDES[matrix.membership_subject(request)] == {matrix.Decider.COMMISSION}


def test_its_valid_staff_call_the_exchange_with_their_own_token(office, released):
    agent = member_of(office.authority, email="agent@douane-lehavre.example")
    _t, secret = ApiToken.issue(agent, "poste de travail")
    assert ask(secret, released.number).json()["available"] is True


def test_a_revoked_machine_token_is_refused(office, released):
    client, secret = CustomsClient.issue(office, "old system")
    CustomsClient.objects.filter(pk=client.pk).update(revoked_at=timezone.now())
    assert ask(secret, released.number).status_code == 401


@pytest.mark.parametrize(
    ("kind", "country", "code"),
    [(Authority.Kind.COMPETENT, "FR", "FR000690"), (Authority.Kind.CUSTOMS, "MA", "MA000690"),
     (Authority.Kind.CUSTOMS, "FR", "BE000690"), (Authority.Kind.CUSTOMS, "FR", "FR-0690")],
)  # fmt: skip
def test_it_refuses_an_office_that_is_not_a_member_state_s_customs(db, kind, country, code):
    office = CustomsOffice(authority=AuthorityFactory(kind=kind, country=country), code=code)
    with pytest.raises(ValidationError):
        office.full_clean()
