"""The database briefly unreachable (a restart, a failover): a clear 503 with `Retry-After`, never a 500, in
the person's language; JSON under /api/. The real restart is tried in `test_faults.py`."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from accounts.models import ApiToken
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def unreachable(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_it_answers_a_page_with_503_and_a_retry_hint_when_the_database_is_unreachable(monkeypatch):
    monkeypatch.setattr("core.views.render", unreachable)
    response = Client(raise_request_exception=False).get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "rien n’a été modifié" in response.content.decode()


def test_it_answers_the_api_with_503_json_when_the_database_is_unreachable(monkeypatch):
    _token, secret = ApiToken.issue(UserFactory(language="en"), "test")
    monkeypatch.setattr(ApiToken, "authenticate", unreachable)
    response = Client(raise_request_exception=False).post(
        "/api/v1/certificates",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable" and "nothing was changed" in response.json()["detail"]


def test_it_keeps_other_server_errors_as_500(monkeypatch):
    monkeypatch.setattr("core.views.render", lambda *a, **k: 1 / 0)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500 and "Retry-After" not in response
