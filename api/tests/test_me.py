"""GET /api/v1/me with a personal token as Bearer."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in
from accounts.two_factor import activate_totp

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def test_it_returns_the_person_with_a_token(client: Client) -> None:
    person = UserFactory(email="camille@acme-foods.example", first_name="Camille", last_name="Foods", language="fr")
    activate_totp(person, "JBSWY3DPEHPK3PXP")
    _token, secret = ApiToken.issue(person, "script")

    response = client.get("/api/v1/me", headers=bearer(secret))

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "camille@acme-foods.example"
    assert (body["first_name"], body["last_name"], body["language"]) == ("Camille", "Foods", "fr")
    assert body["two_factor"] is True
    assert isinstance(body["memberships"], list)
    assert ApiToken.objects.get().last_used_at is not None


def test_it_refuses_no_token(client: Client) -> None:
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentification requise.", "code": "not_authenticated"}


def test_it_refuses_a_wrong_token(client: Client) -> None:
    assert client.get("/api/v1/me", headers=bearer("oc_not-a-real-token")).status_code == 401


def test_it_refuses_a_revoked_token(client: Client) -> None:
    token, secret = ApiToken.issue(UserFactory(), "script")
    token.revoke()

    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_account(client: Client) -> None:
    person = UserFactory()
    _token, secret = ApiToken.issue(person, "script")
    person.is_active = False
    person.save(update_fields=["is_active"])

    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_it_accepts_the_browsers_session(client: Client) -> None:
    person = UserFactory()
    log_in(client, person.email, PASSWORD)

    assert client.get("/api/v1/me").json()["email"] == person.email
