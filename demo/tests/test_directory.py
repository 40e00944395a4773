from __future__ import annotations

import pytest

from demo.people import DEMO_ACCOUNTS
from directory import matrix
from directory.access import valid_memberships
from directory.models import Membership, Operator, RflGrant, Status
from directory.tests.conftest import load_accounts_and_directory as load_demo


@pytest.mark.django_db
def test_it_loads_twice_to_the_same_rows() -> None:
    load_demo()
    counts = (Operator.objects.count(), Membership.objects.count(), RflGrant.objects.count())
    load_demo()
    assert (Operator.objects.count(), Membership.objects.count(), RflGrant.objects.count()) == counts


@pytest.mark.django_db
def test_it_gives_every_demo_account_a_valid_role_and_every_validator_a_request() -> None:
    users = load_demo()
    for email, *_rest in DEMO_ACCOUNTS:
        assert valid_memberships(users[email]).exists(), email
    for validator in (
        "agent@inao.example",
        "agent@ecocert.example",
        "admin@commission.example",
        "importer@acme-bio.example",
    ):
        assert matrix.decidable_memberships(users[validator], [Status.REQUESTED]).exists(), validator
    acme = Operator.objects.get(name="ACME Bio Imports FR")
    assert acme.members.get(user=users["importer@acme-bio.example"]).is_admin
    assert RflGrant.objects.filter(user=users["forwarder@transit.example"], point_of_entry__code="FRLEH").exists()
