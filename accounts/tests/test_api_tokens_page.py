"""Personal API tokens: created and revoked on the account page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client: Client) -> Client:
    person = UserFactory(email="youssef@atlas-organic.example")
    log_in(client, person.email, PASSWORD)
    return client


def create(client: Client, name: str) -> str:
    page = client.post("/accounts/me/", {"name": name, "create_token": "1"}).content.decode()
    return re.search(r'data-testid="new-token">([^<]+)<', page).group(1)


def test_it_creates_a_token_shown_once_that_the_api_accepts(logged_in: Client) -> None:
    secret = create(logged_in, "ERP export")

    assert secret.startswith("oc_")
    page = logged_in.get("/accounts/me/").content.decode()
    assert "ERP export" in page
    assert secret not in page
    assert secret[:10] in page
    response = Client().get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert response.json()["email"] == "youssef@atlas-organic.example"


def test_it_asks_for_a_name(logged_in: Client) -> None:
    response = logged_in.post("/accounts/me/", {"name": "", "create_token": "1"})

    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token_and_the_api_refuses_it(logged_in: Client) -> None:
    secret = create(logged_in, "ERP export")
    token = ApiToken.objects.get()

    response = logged_in.post(f"/accounts/me/tokens/{token.pk}/revoke/", follow=True)
    assert "The token “ERP export” is revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/me", headers={"authorization": f"Bearer {secret}"}).status_code == 401


def test_it_refuses_to_revoke_someone_elses_token(logged_in: Client) -> None:
    token, _secret = ApiToken.issue(UserFactory(), "theirs")

    assert logged_in.post(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_needs_a_login(client: Client) -> None:
    assert client.get("/accounts/me/").url.startswith("/accounts/login/")
