"""A control body's staff request goes to the competent authority of the country where the person works for the
body (guide 001, 2.2: "Votre demande sera examinée et validée par l'INAO"), to the Commission only where no
competent authority covers that country."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.errors import NotFound
from core.models import Notice
from directory import matrix, services
from directory.models import Status
from directory.tests.factories import ControlBodyCodeFactory, UserFactory


def test_it_sends_a_request_for_a_french_entry_to_inao_not_to_the_commission(world: SimpleNamespace) -> None:
    membership = services.request_membership(UserFactory(), world.fr01, message="Auditrice à Clermont")
    assert set(Notice.objects.values_list("user", flat=True)) == {world.inao_agent.pk}
    assert list(matrix.decidable_memberships(world.inao_agent, [Status.REQUESTED])) == [membership]
    assert not matrix.decidable_memberships(world.commission_admin, [Status.REQUESTED]).exists()
    with pytest.raises(NotFound):
        services.decide_membership(world.commission_admin, membership.pk, "validate")
    services.decide_membership(world.inao_agent, membership.pk, "validate")
    membership.refresh_from_db()
    assert membership.status == Status.VALID and membership.decided_by == world.inao_agent


def test_it_sends_a_request_where_no_authority_covers_the_country_to_the_commission(world: SimpleNamespace) -> None:
    de = ControlBodyCodeFactory(control_body=world.ecocert, code="DE-BIO-006")  # no German authority here
    for code in (world.ma154, de):
        Notice.objects.all().delete()
        membership = services.request_membership(UserFactory(), code)
        assert set(Notice.objects.values_list("user", flat=True)) == {world.commission_admin.pk}
        assert not matrix.decidable_memberships(world.inao_agent).filter(pk=membership.pk).exists()
        services.decide_membership(world.commission_admin, membership.pk, "validate")


def test_it_sends_each_entry_of_a_multi_country_request_to_its_own_validator(world: SimpleNamespace) -> None:
    france, morocco = services.request_control_body_codes(UserFactory(), [world.fr01, world.ma154])
    assert matrix.decidable_memberships(world.inao_agent).filter(pk=france.pk).exists()
    assert not matrix.decidable_memberships(world.inao_agent).filter(pk=morocco.pk).exists()
    assert matrix.decidable_memberships(world.commission_admin).filter(pk=morocco.pk).exists()
    assert not matrix.decidable_memberships(world.commission_admin).filter(pk=france.pk).exists()
