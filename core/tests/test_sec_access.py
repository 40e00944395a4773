"""Who reaches what: every page (from the URL resolver) and every API operation (from the OpenAPI document),
as an anonymous visitor, as an outsider of the same role (an importer of another company) and as a member
whose membership is suspended. Login lockout is covered in `accounts/tests/test_lockout.py`; CSRF, headers
and uploads in the other `test_sec_*` files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from core.tests.security_world import Scene, build_scene, rolled_back, suspend
from core.tests.urlmap import Page, operations, pages

pytestmark = pytest.mark.django_db

# Pages that show an object to any logged-in member on purpose: asking to join an operator.
OPEN_TO_MEMBERS = {"directory:operator_request"}
COI_FAMILIES = ("certificates:", "outputs:", "accounts:")


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_sends_anonymous_visitors_to_the_login_page(scene: Scene) -> None:
    wrong = []
    for page in [p for p in pages() if not p.public]:
        url = page.url(scene)
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            if not (_is_login_redirect(response) or response.status_code in (403, 404, 405)):
                wrong.append(f"{method.upper()} {url} ({page.name}): {response.status_code}")
    assert wrong == []


def test_it_answers_401_to_anonymous_api_calls(scene: Scene) -> None:
    secured = [op for op in operations() if op.secured]
    assert len(secured) > 40
    wrong = [
        f"{op}: {status}"
        for op in secured
        if (status := Client().generic(op.method.upper(), op.url(scene)).status_code) != 401
    ]
    assert wrong == []


def _object_pages() -> list[Page]:
    return [p for p in pages() if p.has_object and not p.public and p.name not in OPEN_TO_MEMBERS]


def test_it_shows_an_outsider_no_page_of_another_companys_objects(scene: Scene) -> None:
    """The importer reaches their COI's pages; an importer of another company gets 404 (or 403/405), never
    the page, whatever the method."""
    importer, outsider = _client(scene.w.importer), _client(scene.w.outsider_importer)
    assert importer.get(f"/certificates/{scene.draft.pk}/").status_code == 200
    wrong = []
    for page in _object_pages():
        url = page.url(scene)
        methods = ("get", "post") if page.name.startswith(COI_FAMILIES) else ("get",)
        for method in methods:
            status = getattr(outsider, method)(url).status_code
            if status not in (403, 404, 405):
                wrong.append(f"{method.upper()} {url} ({page.name}): {status}")
    assert wrong == []


def test_it_shows_an_outsider_no_api_object_of_another_company(scene: Scene) -> None:
    """Every operation on one of ACME's COIs answers the outsider 404 (422 where the body is checked first)."""
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {scene.outsider_token}"}
    coi_operations = [op for op in operations() if "{coi_id}" in op.path]
    wrong = []
    for op in coi_operations:
        status = Client().generic(op.method.upper(), op.url(scene), "{}", "application/json", **outsider).status_code
        if status not in ((404,) if op.method == "get" else (403, 404, 422)):
            wrong.append(f"{op}: {status}")
    assert wrong == []


def test_it_takes_access_away_from_a_suspended_member_at_the_next_request(scene: Scene) -> None:
    member = _client(scene.suspended)
    api = {"HTTP_AUTHORIZATION": f"Bearer {scene.suspended_token}"}
    coi_pages = [p for p in _object_pages() if p.name.startswith(("certificates:", "outputs:"))]
    reachable = [p.url(scene) for p in coi_pages if member.get(p.url(scene)).status_code == 200]
    assert f"/certificates/{scene.draft.pk}/" in reachable
    assert Client().get(f"/api/v1/certificates/{scene.draft.pk}", **api).status_code == 200

    suspend(scene.suspended)

    assert [url for url in reachable if member.get(url).status_code not in (403, 404)] == []
    coi_operations = [op for op in operations() if "{coi_id}" in op.path and op.method == "get"]
    assert [op for op in coi_operations if Client().get(op.url(scene), **api).status_code != 404] == []
    assert Client().get("/api/v1/certificates", **api).json()["count"] == 0
