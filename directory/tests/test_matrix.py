"""Every validator x every request kind: who may decide, who sees it in their queue, who gets a 404."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.errors import DomainError, NotFound
from directory import matrix, operators, services
from directory.models import ActivityKind, Membership, Status
from directory.tests.factories import UserFactory

VALIDATORS = [
    "inao_agent",
    "ecocert_agent",
    "other_cb_agent",
    "commission_admin",
    "border_agent",
    "acme_admin",
    "atlas_admin",
    "outsider",
    "requester",
]

# request kind -> the only actors who decide it (the guides' section 2 and 3); everyone else gets a 404,
# and the requester, who sees their own request, is refused.
EXPECTED = {
    "join_eu_operator": {"inao_agent", "acme_admin"},
    "join_third_country_operator": {"ecocert_agent", "atlas_admin"},
    "new_eu_operator": {"inao_agent"},
    "new_third_country_operator": {"ecocert_agent"},
    "join_control_body": {"commission_admin"},  # MA-BIO-154: Morocco, which no competent authority covers
    "join_control_body_in_france": {"inao_agent"},  # FR-BIO-01: "examinée et validée par l'INAO" (guide 001, 2.2)
    "join_authority": {"commission_admin"},
}


def make_request(w: SimpleNamespace, kind: str, requester: object) -> Membership:
    if kind == "join_eu_operator":
        return services.request_membership(requester, w.acme, message="I work at ACME")
    if kind == "join_third_country_operator":
        return services.request_membership(requester, w.atlas)
    if kind == "join_control_body":
        return services.request_membership(requester, w.ma154)
    if kind == "join_control_body_in_france":
        return services.request_membership(requester, w.fr01)
    if kind == "join_authority":
        return services.request_membership(requester, w.inao)
    eu = kind == "new_eu_operator"
    details = operators.OperatorDetails(
        name="New Bio", country="FR" if eu else "MA", city="Lille" if eu else "Fès", address="1 rue Neuve"
    )
    activity = operators.NewActivity(kind=ActivityKind.OPERATOR, control_body_code=w.fr01 if eu else w.ma154)
    return operators.create_operator_with_request(requester, details, [], [activity])


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("who", VALIDATORS)
def test_it_follows_the_matrix(world: SimpleNamespace, kind: str, who: str) -> None:
    requester = UserFactory()
    membership = make_request(world, kind, requester)
    actor = requester if who == "requester" else getattr(world, who)
    allowed = who in EXPECTED[kind]

    in_queue = matrix.decidable_memberships(actor, [Status.REQUESTED]).filter(pk=membership.pk).exists()
    assert in_queue is allowed
    if allowed:
        services.decide_membership(actor, membership.pk, "validate")
        membership.refresh_from_db()
        assert membership.status == Status.VALID
        assert membership.decided_by == actor
    elif who == "requester":
        with pytest.raises(DomainError) as refused:
            services.decide_membership(actor, membership.pk, "validate")
        assert refused.value.code == "own_request"
    else:
        with pytest.raises(NotFound):
            services.decide_membership(actor, membership.pk, "validate")
        with pytest.raises(NotFound):
            services.visible_membership(actor, membership.pk)
    membership.refresh_from_db()
    assert (membership.status == Status.VALID) is allowed
