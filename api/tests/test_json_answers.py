"""Issue 22, point 4: every answer under /api/v1/ is JSON, as its OpenAPI document declares, Django's own error
pages included: a path id that is not a positive integer (`-1`, `1%0A`, `abc`) answered Django's HTML 404 with
DEBUG on; a method no route takes, a server error, the same."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/certificates/-1",
        "/api/v1/certificates/1%0A",
        "/api/v1/certificates/abc",
        "/api/v1/certificates/-1/history",
        "/api/v1/certificates/1%0A/extract",
        "/api/v1/certificates/99999999999999999999",
        "/api/v1/no-such-thing",
    ],
)
def test_it_answers_json_404_for_a_path_no_route_takes(client, world, settings, debug, path):
    settings.DEBUG = debug
    r = client.get(path, **auth(world.importer))
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["code"] == "not_found"


def test_it_answers_json_405_for_a_method_the_operation_does_not_have(client, world, settings):
    settings.DEBUG = True
    r = client.put("/api/v1/certificates/forms", **auth(world.importer))
    assert r.status_code == 405
    assert r["Content-Type"].startswith("application/json") and r.json()["detail"]


def test_it_answers_json_500_when_the_server_fails(world, settings, monkeypatch):
    from certificates import services

    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(services, "copy_as_new", broken)
    client = Client(raise_request_exception=False)
    r = client.post("/api/v1/certificates/1/copy", **auth(world.importer))
    assert r.status_code == 500
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["code"] == "server_error" and r.json()["detail"]


def test_it_leaves_the_site_s_pages_in_html(client, settings):
    settings.DEBUG = False
    r = client.get("/certificates/-1/")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")
