"""The machine interface describes itself: OpenAPI and interactive docs."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_serves_the_openapi_schema(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "OpenCOI API"
    assert "/api/v1/auth/token" in schema["paths"]
    assert "/api/v1/me" in schema["paths"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schema["components"]["securitySchemes"].values())


def test_it_serves_the_interactive_docs(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.content.decode()
