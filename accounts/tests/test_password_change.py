"""Changing one's password while logged in."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Green-lantern-31-meadow"


def change(client: Client, old: str, new: str, confirm: str | None = None) -> object:
    data = {"oldpassword": old, "password1": new, "password2": confirm or new}
    return client.post("/accounts/password/change/", data, follow=True)


def test_it_changes_the_password(client: Client) -> None:
    person = UserFactory(email="bruno@douane.example")
    log_in(client, person.email, PASSWORD)

    response = change(client, PASSWORD, NEW_PASSWORD)
    assert "Password successfully changed." in response.content.decode()
    client.post("/accounts/logout/")

    assert "_auth_user_id" not in log_in(client, person.email, PASSWORD).wsgi_request.session
    assert "Welcome" in log_in(client, person.email, NEW_PASSWORD).content.decode()


def test_it_refuses_a_wrong_current_password(client: Client) -> None:
    person = UserFactory()
    log_in(client, person.email, PASSWORD)

    response = change(client, "wrong-password", NEW_PASSWORD)
    assert "Please type your current password." in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_it_refuses_a_weak_password_in_french(client: Client) -> None:
    person = UserFactory(language="fr")
    log_in(client, person.email, PASSWORD)

    response = change(client, PASSWORD, "12345678901")
    assert "Ce mot de passe est entièrement numérique." in response.content.decode()


def test_it_needs_a_login(client: Client) -> None:
    assert client.get("/accounts/password/change/").url.startswith("/accounts/login/")
