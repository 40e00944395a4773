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


# Behind a reverse proxy (issue 12, point 11) ----------------------------------------------------------------


def _through_proxy(client_address: str, spoofed: str = "") -> dict[str, str]:
    """What one nginx with `$proxy_add_x_forwarded_for` passes on: the client's own header, then its address."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"HTTP_X_FORWARDED_FOR": forwarded, "REMOTE_ADDR": "10.0.0.2"}


def _fail_through(client: Client, headers: dict[str, str], times: int) -> object:
    response = None
    for _ in range(times):
        response = client.post("/accounts/login/", {"login": EMAIL, "password": "wrong-password"}, **headers)
    return response


def test_it_locks_an_account_only_for_the_address_that_failed_behind_a_trusted_proxy(settings: object) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker, owner = Client(), Client()
    _fail_through(attacker, _through_proxy("203.0.113.7"), 5)
    with later(6):
        assert _fail_through(attacker, _through_proxy("203.0.113.7"), 3).status_code == 429
    with later(7):
        # the same proxy, another client: the owner still logs in
        response = owner.post(
            "/accounts/login/", {"login": EMAIL, "password": PASSWORD}, **_through_proxy("198.51.100.4")
        )
        assert response.status_code == 302
        assert "_auth_user_id" in owner.session
        # the attacker is still locked out, whatever address they write into the header
        response = attacker.post(
            "/accounts/login/", {"login": EMAIL, "password": PASSWORD}, **_through_proxy("203.0.113.7", "198.51.100.4")
        )
        assert response.status_code == 429


def test_it_takes_the_connections_address_when_no_proxy_is_trusted(settings: object) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _fail_through(Client(), _through_proxy("203.0.113.7"), 5)
    with later(6):
        _fail_through(Client(), _through_proxy("203.0.113.8"), 3)
    with later(7):
        # without a trusted proxy, the header is ignored: every client behind it shares the proxy's address
        response = Client().post(
            "/accounts/login/", {"login": EMAIL, "password": PASSWORD}, **_through_proxy("198.51.100.4")
        )
        assert response.status_code == 429
