"""After the first login, a person with no role sees what to do next: request a role as an operator or as an
organic control body (guide 001, 2), then that the request waits; a person who acts for someone does not."""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client

from directory import services
from directory.tests.factories import UserFactory


def home_of(user: object) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_it_shows_a_person_without_a_role_the_two_choices_of_the_guide(world: SimpleNamespace) -> None:
    page = home_of(UserFactory(first_name="Nadia", language="fr"))
    assert "Bienvenue, Nadia." in page and "Étape suivante : demander un rôle" in page
    assert 'href="/directory/operators/search/">Opérateur</a>' in page
    assert 'href="/directory/control-bodies/">Organisme de contrôle biologique</a>' in page


def test_it_shows_a_waiting_request_while_it_waits(world: SimpleNamespace) -> None:
    person = UserFactory(language="fr")
    services.request_membership(person, world.acme)
    page = home_of(person)
    assert "Votre demande attend sa validation" in page and "ACME Bio Imports FR · Demandé" in page


def test_it_shows_nothing_more_to_a_person_who_acts_for_an_organisation(world: SimpleNamespace) -> None:
    page = home_of(world.acme_admin)
    assert 'id="next-step"' not in page
