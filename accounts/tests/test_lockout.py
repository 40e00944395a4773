"""Repeated failed logins: allauth slows them down, then django-axes locks the account for a while."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in

pytestmark = pytest.mark.django_db

EMAIL = "isabelle@acme-bio.example"


@pytest.fixture(autouse=True)
def person() -> None:
    UserFactory(email=EMAIL, first_name="Isabelle")


def fail(client: Client, times: int, language: str = "en") -> object:
    response = None
    for _ in range(times):
        response = log_in(client, EMAIL, "wrong-password", language=language)
    return response


def later(minutes: int) -> mock._patch:
    """allauth counts failures per email in windows of five minutes."""
    return mock.patch("time.time", return_value=time.time() + minutes * 60)


def test_it_slows_down_after_five_failures(client: Client) -> None:
    response = fail(client, 5)
    assert "The email address and/or password you specified are not correct." in response.content.decode()

    response = log_in(client, EMAIL, PASSWORD)
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session

    with later(6):
        assert "Welcome, Isabelle." in log_in(client, EMAIL, PASSWORD).content.decode()


def test_it_locks_the_account_after_eight_failures_even_with_the_right_password(client: Client) -> None:
    fail(client, 5)
    with later(6):
        response = fail(client, 3)
        assert response.status_code == 429
        assert "Account locked for a while" in response.content.decode()

    with later(12):
        response = log_in(client, EMAIL, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_shows_the_lockout_page_in_french(client: Client) -> None:
    fail(client, 5, language="fr")
    with later(6):
        response = fail(client, 3, language="fr")

    page = response.content.decode()
    assert "Compte bloqué pour un moment" in page
    assert 'href="/accounts/password/reset/"' in page


def test_it_forgets_failures_after_a_successful_login(client: Client) -> None:
    fail(client, 4)
    log_in(client, EMAIL, PASSWORD)
    client.post("/accounts/logout/")
    with later(6):
        fail(client, 4)
        assert "Welcome, Isabelle." in log_in(client, EMAIL, PASSWORD).content.decode()
