"""Requests, decisions and their side effects: the first administrator, notices and emails, history."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail

from core.errors import Conflict, DomainError, Invalid, NotFound
from core.models import Notice
from directory import access, operators, services
from directory.models import ActivityKind, Decision, IdentifierType, Membership, Status
from directory.tests.factories import OperatorFactory, PointOfEntryFactory, UserFactory, member_of


def new_operator(w: SimpleNamespace, person: object, **details: str) -> Membership:
    fields = {"name": "Bio Nouveau", "country": "FR", "city": "Toulouse", "address": "1 rue Neuve", **details}
    return operators.create_operator_with_request(
        person,
        operators.OperatorDetails(**fields),
        [operators.NewIdentifier(IdentifierType.EORI, "FR 51234567900017")],
        [operators.NewActivity(ActivityKind.IMPORTER, w.fr01)],
        operators.ContactInfo("Operator n. 11111", "name@domain.example", "+33 1 23 45 67 89"),
    )


def test_it_makes_the_first_validated_person_the_administrator(world: SimpleNamespace) -> None:
    founder, colleague = UserFactory(), UserFactory()
    first = new_operator(world, founder)
    second = services.request_membership(colleague, first.operator)
    services.decide_membership(world.inao_agent, first.pk, "validate")
    first.refresh_from_db()
    first.operator.refresh_from_db()
    assert first.is_admin and first.operator.status == Status.VALID
    assert first.operator.activities.get().status == Status.VALID
    assert first.operator.identifiers.get().value == "FR51234567900017"
    services.decide_membership(founder, second.pk, "validate")
    second.refresh_from_db()
    assert second.status == Status.VALID and not second.is_admin


def test_it_rejects_with_a_reason_and_closes_the_new_operator(world: SimpleNamespace) -> None:
    membership = new_operator(world, UserFactory())
    with pytest.raises(Invalid):
        services.decide_membership(world.inao_agent, membership.pk, "reject")
    services.decide_membership(world.inao_agent, membership.pk, "reject", "Not certified organic")
    membership.refresh_from_db()
    membership.operator.refresh_from_db()
    assert membership.status == Status.REJECTED and membership.reason == "Not certified organic"
    assert membership.operator.status == Status.REJECTED
    assert list(Decision.objects.filter(membership=membership).values_list("old_status", "new_status")) == [
        ("requested", "rejected"),
        ("", "requested"),
    ]


def test_it_tells_the_person_in_their_language(world: SimpleNamespace) -> None:
    person = UserFactory(language="fr")
    membership = services.request_membership(person, world.acme)
    mail.outbox.clear()
    services.decide_membership(world.acme_admin, membership.pk, "validate")
    notice = Notice.objects.get(user=person)
    assert notice.text == "Votre rôle pour ACME Bio Imports FR : Valide"
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert mail.outbox[0].subject == notice.text
    assert "/directory/roles/" in mail.outbox[0].body


def test_it_tells_the_validators_that_a_request_waits(world: SimpleNamespace) -> None:
    services.request_membership(UserFactory(), world.acme)
    told = set(Notice.objects.values_list("user", flat=True))
    assert told == {world.inao_agent.pk, world.acme_admin.pk}


def test_it_refuses_a_second_request_and_reopens_a_closed_one(world: SimpleNamespace) -> None:
    person = UserFactory()
    membership = services.request_membership(person, world.acme)
    with pytest.raises(Conflict):
        services.request_membership(person, world.acme)
    services.decide_membership(world.acme_admin, membership.pk, "reject", "Unknown to us")
    again = services.request_membership(person, world.acme, message="I am new here")
    assert again.pk == membership.pk and again.status == Status.REQUESTED and again.reason == ""


def test_it_suspends_and_access_ends_at_the_next_request(world: SimpleNamespace) -> None:
    member = member_of(world.acme)
    assert access.operator_ids(member.user) == {world.acme.pk}
    services.decide_membership(world.acme_admin, member.pk, "suspend", "Left the company")
    assert access.operator_ids(member.user) == set()
    services.decide_membership(world.inao_agent, member.pk, "validate")
    assert access.operator_ids(member.user) == {world.acme.pk}


def test_it_keeps_an_operator_administrator_out_of_another_operator(world: SimpleNamespace) -> None:
    other_person = member_of(world.other, status=Status.REQUESTED)
    with pytest.raises(NotFound):
        services.decide_membership(world.acme_admin, other_person.pk, "validate")
    with pytest.raises(NotFound):
        services.set_admin(world.acme_admin, Membership.objects.get(user=world.outsider).pk, False)
    with pytest.raises(NotFound):
        operators.add_identifier(world.acme_admin, world.other.pk, operators.NewIdentifier("vat", "FR00123"))


def test_it_gives_and_takes_the_administrator_flag(world: SimpleNamespace) -> None:
    member = member_of(world.acme)
    services.set_admin(world.acme_admin, member.pk, True)
    member.refresh_from_db()
    assert member.is_admin
    services.set_admin(world.inao_agent, member.pk, False)
    member.refresh_from_db()
    assert not member.is_admin
    with pytest.raises(DomainError):
        services.set_admin(world.acme_admin, Membership.objects.get(user=world.acme_admin).pk, False)
    with pytest.raises(Conflict):
        services.set_admin(world.acme_admin, member_of(world.acme, status=Status.REQUESTED).pk, True)


def test_it_sends_new_activities_back_to_the_validator(world: SimpleNamespace) -> None:
    activity = operators.add_activity(
        world.acme_admin, world.acme.pk, operators.NewActivity(ActivityKind.OPERATOR, world.fr01)
    )
    assert activity.status == Status.REQUESTED
    assert not activity.certified_on(activity.valid_from or __import__("datetime").date(2026, 1, 1))
    with pytest.raises(NotFound):
        operators.decide_activity(world.acme_admin, activity.pk, "validate")
    operators.decide_activity(world.inao_agent, activity.pk, "validate")
    activity.refresh_from_db()
    assert activity.status == Status.VALID
    with pytest.raises(Conflict):
        operators.add_activity(
            world.acme_admin, world.acme.pk, operators.NewActivity(ActivityKind.OPERATOR, world.fr01)
        )


def test_it_lets_the_certifying_control_body_decide_a_third_country_activity(world: SimpleNamespace) -> None:
    activity = operators.add_activity(
        world.atlas_admin, world.atlas.pk, operators.NewActivity(ActivityKind.PRODUCER, world.ma154)
    )
    with pytest.raises(NotFound):
        operators.decide_activity(world.other_cb_agent, activity.pk, "validate")
    operators.decide_activity(world.ecocert_agent, activity.pk, "validate")


def test_it_checks_the_activity_code_country_and_the_importer_eori(world: SimpleNamespace) -> None:
    details = operators.OperatorDetails(name="X", country="FR", city="Nice", address="1 rue")
    with pytest.raises(Invalid):
        operators.create_operator_with_request(
            UserFactory(), details, [], [operators.NewActivity(ActivityKind.OPERATOR, world.ma154)]
        )
    with pytest.raises(Invalid):
        operators.create_operator_with_request(
            UserFactory(), details, [], [operators.NewActivity(ActivityKind.IMPORTER, world.fr01)]
        )
    with pytest.raises(Invalid):
        operators.create_operator_with_request(UserFactory(), details, [], [])


def test_it_warns_of_a_duplicate_by_name_and_city_or_eori(world: SimpleNamespace) -> None:
    with pytest.raises(operators.LikelyDuplicate) as warned:
        new_operator(world, UserFactory(), name="acme bio imports fr", city="PARIS")
    assert warned.value.candidates == [world.acme]
    first = new_operator(world, UserFactory())
    with pytest.raises(operators.LikelyDuplicate):
        new_operator(world, UserFactory(), name="Another name")
    assert first.operator.status == Status.REQUESTED


def test_it_lets_only_the_commission_grant_rfl(world: SimpleNamespace) -> None:
    forwarder = OperatorFactory(name="Transit Logistics")
    person = member_of(forwarder).user
    point = PointOfEntryFactory()
    with pytest.raises(NotFound):
        services.grant_rfl(world.inao_agent, person, forwarder, [point])
    with pytest.raises(Invalid):
        services.grant_rfl(world.commission_admin, world.outsider, forwarder, [point])
    grants = services.grant_rfl(world.commission_admin, person, forwarder, [point, world.port])
    assert access.rfl_point_ids(person) == {point.pk, world.port.pk}
    services.revoke_rfl(world.commission_admin, grants[0].pk)
    assert access.rfl_point_ids(person) == {world.port.pk}


def test_it_requests_several_entries_of_one_control_body(world: SimpleNamespace) -> None:
    person = UserFactory()
    memberships = services.request_control_body_codes(person, [world.ma154, world.fr01], message="Inspector")
    assert {m.control_body_code.code for m in memberships} == {"MA-BIO-154", "FR-BIO-01"}
    with pytest.raises(Invalid):
        services.request_control_body_codes(UserFactory(), [world.ma154, world.tn999])


def test_it_lets_the_validator_suspend_an_operator(world: SimpleNamespace) -> None:
    with pytest.raises(NotFound):
        operators.decide_operator(world.acme_admin, world.acme.pk, "suspend")
    operators.decide_operator(world.inao_agent, world.acme.pk, "suspend", "Certificate withdrawn")
    assert access.operator_ids(world.acme_admin) == set()
