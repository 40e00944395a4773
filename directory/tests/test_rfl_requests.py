"""A freight forwarder asks for the RFL role from the site, choosing the points of entry; the Commission grants
or refuses it from its queue (guide 001, 2.3); the help page says how."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from core.models import Notice
from directory import access
from directory.models import RflRequest, Status
from directory.tests.factories import OperatorFactory, PointOfEntryFactory, UserFactory, member_of


@pytest.fixture
def forwarder(world: SimpleNamespace) -> SimpleNamespace:
    transit = OperatorFactory(name="Transit Havrais", city="Le Havre")
    return SimpleNamespace(
        user=member_of(transit, UserFactory(first_name="Fabien", language="fr")).user,
        operator=transit,
        roissy=PointOfEntryFactory(code="FRCDG", name="Roissy"),
    )


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client: Client, forwarder: SimpleNamespace, world: SimpleNamespace) -> object:
    points = [world.port.pk, forwarder.roissy.pk]
    post = {"operator": forwarder.operator.pk, "points": points, "message": "Transitaire au Havre"}
    return client.post("/directory/rfl/request/", post)


def test_it_lets_a_forwarder_ask_and_the_commission_grant_from_its_queue(world, forwarder) -> None:
    client = logged_in(forwarder.user)
    assert "Transitaire : intéressé au chargement" in client.get("/directory/").content.decode()
    response = ask(client, forwarder, world)
    assert response.status_code == 302
    request = RflRequest.objects.get()
    assert request.status == Status.REQUESTED and access.rfl_point_ids(forwarder.user) == set()
    assert Notice.objects.filter(user=world.commission_admin).exists()

    commission = logged_in(world.commission_admin)
    queue = commission.get("/directory/requests/").content.decode()
    assert f'data-testid="rfl-request-{request.pk}"' in queue
    assert "Transit Havrais" in queue and "Roissy (FRCDG)" in queue and "Transitaire au Havre" in queue
    commission.post(f"/directory/rfl/requests/{request.pk}/decide/", {"action": "validate"})
    request.refresh_from_db()
    assert request.status == Status.VALID and request.decided_by == world.commission_admin
    assert access.rfl_point_ids(forwarder.user) == {world.port.pk, forwarder.roissy.pk}
    assert f'data-testid="rfl-request-{request.pk}"' not in commission.get("/directory/requests/").content.decode()


def test_it_lets_the_commission_refuse_with_a_reason_and_tells_the_forwarder(world, forwarder) -> None:
    ask(logged_in(forwarder.user), forwarder, world)
    request = RflRequest.objects.get()
    commission = logged_in(world.commission_admin)
    url = f"/directory/rfl/requests/{request.pk}/decide/"
    commission.post(url, {"action": "reject", "reason": ""})
    request.refresh_from_db()
    assert request.status == Status.REQUESTED
    commission.post(url, {"action": "reject", "reason": "Aucun point d'entrée désigné à ce nom"})
    request.refresh_from_db()
    assert request.status == Status.REJECTED and access.rfl_point_ids(forwarder.user) == set()
    notice = Notice.objects.filter(user=forwarder.user).latest("pk")
    assert "intéressé au chargement" in notice.text and "refusée" in notice.text


def test_it_keeps_the_decision_to_the_commission_alone(world, forwarder) -> None:
    ask(logged_in(forwarder.user), forwarder, world)
    request = RflRequest.objects.get()
    inao = logged_in(world.inao_agent)
    assert f'data-testid="rfl-request-{request.pk}"' not in inao.get("/directory/requests/").content.decode()
    assert inao.post(f"/directory/rfl/requests/{request.pk}/decide/", {"action": "validate"}).status_code == 404
    request.refresh_from_db()
    assert request.status == Status.REQUESTED


def test_it_keeps_what_was_typed_when_a_point_of_entry_is_missing(world, forwarder) -> None:
    client = logged_in(forwarder.user)
    post = {"operator": forwarder.operator.pk, "message": "Transitaire au Havre"}
    response = client.post("/directory/rfl/request/", post)
    page = response.content.decode()
    assert response.status_code == 422
    assert f'<option value="{forwarder.operator.pk}" selected>' in page and "Transitaire au Havre" in page
    assert "Ce champ est obligatoire" in page and not RflRequest.objects.exists()


def test_it_refuses_a_second_request_while_the_first_waits(world, forwarder) -> None:
    client = logged_in(forwarder.user)
    ask(client, forwarder, world)
    response = ask(client, forwarder, world)
    assert response.status_code == 422 and "attend déjà une décision" in response.content.decode()
    assert RflRequest.objects.count() == 1


def test_it_sends_a_person_without_a_company_to_join_one_first(world) -> None:
    page = logged_in(UserFactory(language="fr")).get("/directory/rfl/request/").content.decode()
    assert "Demandez d’abord à être rattaché" in page and 'name="points"' not in page


def test_it_says_how_on_the_help_page(world) -> None:
    page = logged_in(UserFactory(language="fr")).get("/help/registration/").content.decode()
    assert "Demander le rôle d’intéressé au chargement" in page and 'href="/directory/rfl/request/"' in page
