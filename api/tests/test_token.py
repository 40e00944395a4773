"""POST /api/v1/auth/token: email, password and, with two-factor on, a TOTP code give a token for scripts."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken, User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import totp_code
from accounts.two_factor import activate_totp

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"


def ask(client: Client, **payload: str) -> object:
    return client.post("/api/v1/auth/token", payload, content_type="application/json")


@pytest.fixture
def person() -> User:
    return UserFactory(email="youssef@atlas-organic.example")


@pytest.fixture
def signer() -> User:
    person = UserFactory(email="elodie@ecocert.example")
    activate_totp(person, SECRET)
    return person


def test_it_returns_a_token_that_works_as_bearer(client: Client, person: User) -> None:
    response = ask(client, email="Youssef@atlas-organic.example", password=PASSWORD, name="nightly export")

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "nightly export"
    assert ApiToken.objects.get(user=person).name == "nightly export"
    me = client.get("/api/v1/me", headers={"authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "youssef@atlas-organic.example"


def test_it_refuses_a_wrong_password(client: Client, person: User) -> None:
    response = ask(client, email=person.email, password="wrong-password")

    assert response.status_code == 401
    assert response.json() == {"detail": "Adresse e-mail ou mot de passe incorrect.", "code": "bad_credentials"}
    assert not ApiToken.objects.exists()


def test_it_answers_in_english_when_asked(client: Client, person: User) -> None:
    response = client.post(
        "/api/v1/auth/token",
        {"email": person.email, "password": "wrong-password"},
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    assert response.json()["detail"] == "Wrong email or password."


def test_it_refuses_an_unknown_email(client: Client) -> None:
    assert ask(client, email="nobody@example.org", password=PASSWORD).status_code == 401


def test_it_requires_the_totp_code_when_two_factor_is_on(client: Client, signer: User) -> None:
    response = ask(client, email=signer.email, password=PASSWORD)

    assert response.status_code == 401
    assert response.json()["code"] == "totp_required"
    assert not ApiToken.objects.exists()


def test_it_refuses_a_wrong_totp_code(client: Client, signer: User) -> None:
    response = ask(client, email=signer.email, password=PASSWORD, totp="000000")

    assert response.status_code == 401
    assert response.json()["code"] == "totp_required"


def test_it_accepts_a_current_totp_code_once(client: Client, signer: User) -> None:
    code = totp_code(SECRET)
    response = ask(client, email=signer.email, password=PASSWORD, totp=code)

    assert response.status_code == 201
    assert ApiToken.objects.filter(user=signer).count() == 1
    assert ask(client, email=signer.email, password=PASSWORD, totp=code).status_code == 401


def test_it_refuses_a_badly_formed_request(client: Client) -> None:
    response = ask(client, email="someone@example.org")

    assert response.status_code == 422


def test_it_locks_the_account_after_repeated_failures(client: Client, person: User) -> None:
    for _ in range(7):
        assert ask(client, email=person.email, password="wrong-password").status_code == 401

    response = ask(client, email=person.email, password="wrong-password")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    # Locked: even the right password is refused for a while.
    assert ask(client, email=person.email, password=PASSWORD).status_code == 429
    assert not ApiToken.objects.exists()
