"""The language switch: French / English on every page, kept for the browser and for the account."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in

pytestmark = pytest.mark.django_db


def switch(client: Client, language: str, next_url: str = "/accounts/signup/") -> object:
    return client.post("/accounts/language/", {"language": language, "next": next_url}, follow=True)


def test_it_shows_french_by_default_and_the_switch_on_every_page(client: Client) -> None:
    page = client.get("/").content.decode()

    assert '<html lang="fr">' in page
    assert "Certificats d’inspection des importations biologiques" in page
    assert 'value="fr" lang="fr"' in page
    assert 'value="en" lang="en"' in page
    # Each language keeps its own name in the switch.
    assert ">Français</button>" in page
    assert ">English</button>" in page


def test_it_switches_a_visitor_to_english_and_back(client: Client) -> None:
    response = switch(client, "en")
    assert response.redirect_chain == [("/accounts/signup/", 302)]
    assert client.cookies["django_language"].value == "en"
    assert "Create an account" in response.content.decode()
    assert "Sign In" in client.get("/accounts/login/").content.decode()

    response = switch(client, "fr")
    assert "Créer un compte" in response.content.decode()
    assert "Connexion" in client.get("/accounts/login/").content.decode()


def test_it_keeps_the_choice_on_the_account(client: Client) -> None:
    person = UserFactory(language="fr", first_name="Fabien")
    log_in(client, person.email, PASSWORD, language="fr")

    response = switch(client, "en", "/")
    assert "Welcome, Fabien." in response.content.decode()
    person.refresh_from_db()
    assert person.language == "en"

    # A new browser, with no cookie, gets the account's language once logged in.
    other_browser = Client()
    assert "Welcome, Fabien." in log_in(other_browser, person.email, PASSWORD, language="fr").content.decode()


def test_it_ignores_an_unknown_language_and_an_outside_next_page(client: Client) -> None:
    response = client.post("/accounts/language/", {"language": "xx", "next": "https://evil.example/"})

    assert response.url == "/"
    assert "django_language" not in response.cookies


def test_it_only_switches_by_post(client: Client) -> None:
    assert client.get("/accounts/language/?language=en").status_code == 405


def test_it_saves_the_email_language_on_the_account_page(client: Client) -> None:
    person = UserFactory(language="en")
    log_in(client, person.email, PASSWORD)

    data = {"first_name": "Claire", "last_name": "Martin", "language": "fr", "save_profile": "1"}
    response = client.post("/accounts/me/", data, follow=True)
    assert "Vos coordonnées sont enregistrées." in response.content.decode()
    person.refresh_from_db()
    assert (person.first_name, person.language) == ("Claire", "fr")
    assert User.objects.get(pk=person.pk).language == "fr"
