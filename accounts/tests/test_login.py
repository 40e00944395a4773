"""Logging in with email and password, and out."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in

pytestmark = pytest.mark.django_db


def test_it_logs_in_with_email_and_password_and_logs_out(client: Client) -> None:
    UserFactory(email="camille@acme-foods.example", first_name="Camille")

    response = log_in(client, "Camille@acme-foods.example", PASSWORD)
    assert "Welcome, Camille." in response.content.decode()
    assert "Log out" in response.content.decode()

    response = client.post("/accounts/logout/", follow=True)
    page = response.content.decode()
    assert "Welcome, Camille." not in page
    assert "You have signed out." in page
    assert client.get("/accounts/me/").status_code == 302


def test_it_refuses_a_wrong_password_and_keeps_the_email(client: Client) -> None:
    UserFactory(email="camille@acme-foods.example")

    response = log_in(client, "camille@acme-foods.example", "not-the-password")
    page = response.content.decode()
    assert "The email address and/or password you specified are not correct." in page
    assert 'value="camille@acme-foods.example"' in page
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_wrong_password_in_french(client: Client) -> None:
    UserFactory(email="camille@acme-foods.example")

    response = log_in(client, "camille@acme-foods.example", "not-the-password", language="fr")
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


def test_it_refuses_an_account_that_has_no_password_yet(client: Client) -> None:
    person = UserFactory(email="new@acme-foods.example")
    person.set_unusable_password()
    person.save()

    response = log_in(client, "new@acme-foods.example", "")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_it_shows_the_login_page_in_our_layout_with_labels(client: Client) -> None:
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/login/").content.decode()

    assert "Skip to content" in page
    assert '<label for="id_login">' in page
    assert '<label for="id_password">' in page
    assert 'href="/accounts/signup/"' in page
