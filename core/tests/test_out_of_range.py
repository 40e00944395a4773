"""Issue 12, point 5: a page, id or number out of range gets a 4xx, never a 500: on every paginated page and
API list, on ids in page URLs and API paths and bodies, and on a multipart body without a boundary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from core.tests.security_world import Scene, build_scene, rolled_back
from core.tests.urlmap import operations, pages

pytestmark = pytest.mark.django_db
HUGE = ["9223372036854775807", "9223372036854775808", "99999999999999999999999", "1e20", "-1", "0", "x"]
LISTS = [
    "/certificates/",
    "/directory/operators/search/?country=FR",
    "/notices/",
    "/api/v1/certificates",
    "/api/v1/operators?country=FR",
    "/api/v1/control-bodies?country=MA",
]


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


def _client(scene: Scene) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(scene.w.importer)
    return client


def test_it_answers_4xx_to_a_page_number_out_of_range_on_every_list(scene: Scene) -> None:
    client = _client(scene)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {scene.importer_token}"}
    wrong = []
    for url in LISTS:
        assert client.get(url, **headers).status_code == 200, url
        for page in HUGE:
            status = client.get(f"{url}{'&' if '?' in url else '?'}page={page}", **headers).status_code
            if not 400 <= status < 500:
                wrong.append(f"{url} page={page}: {status}")
    assert wrong == []


def test_it_answers_404_to_an_id_out_of_range_in_every_page_url(scene: Scene) -> None:
    client = _client(scene)
    wrong = []
    for page in [p for p in pages() if p.has_object]:
        for huge in ("9223372036854775808", "99999999999999999999999"):
            url = page.url(scene, pk=huge, document_id=huge)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in (404, 405):
                    wrong.append(f"{method.upper()} {url}: {status}")
    assert wrong == []


def test_it_answers_json_404_to_an_id_out_of_range_in_every_api_path(scene: Scene) -> None:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {scene.importer_token}"}
    wrong = []
    for op in [o for o in operations() if "_id}" in o.path]:
        for huge in ("9223372036854775808", "-1", "99999999999999999999999"):
            url = op.path.replace("{coi_id}", huge).replace("{document_id}", huge)
            url = url.replace("{operator_id}", huge).replace("{membership_id}", huge)
            response = Client().generic(op.method.upper(), url, "{}", "application/json", **headers)
            if response.status_code != 404 or not response["Content-Type"].startswith("application/json"):
                wrong.append(f"{op} {url}: {response.status_code} {response['Content-Type']}")
    assert wrong == []


def test_it_answers_4xx_to_ids_and_numbers_out_of_range_in_api_bodies(scene: Scene) -> None:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {scene.importer_token}"}
    w = scene.w
    for body in (
        {"exporter": 2**63},
        {"exporter": w.atlas.pk, "importer": 10**30},
        {"exporter": w.atlas.pk, "commodities": [{"cn_code": "08013200", "lines": [{"producer": 2**64}]}]},
        {"exporter": w.atlas.pk, "commodities": [{"cn_code": "08013200", "lines": [{"packages": 10**20}]}]},
        {"exporter": w.atlas.pk, "gross_weight": "1e400"},
    ):
        response = Client().post("/api/v1/certificates", body, content_type="application/json", **headers)
        assert response.status_code == 422, body


def test_it_answers_4xx_to_ids_out_of_range_in_page_forms(scene: Scene) -> None:
    client = _client(scene)
    response = client.post(
        f"/certificates/{scene.draft.pk}/edit/",
        {"exporter": "99999999999999999999", "c-0-cn": "08013200", "c-0-l-0-trade_name": "x",
         "c-0-l-0-producer": "9223372036854775808"},
    )  # fmt: skip
    assert response.status_code == 422


def test_it_answers_400_to_a_multipart_body_without_a_boundary(scene: Scene) -> None:
    client = _client(scene)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {scene.importer_token}"}
    for url in (f"/api/v1/certificates/{scene.draft.pk}/documents", f"/certificates/{scene.draft.pk}/documents/"):
        response = client.post(url, b"--x\r\n", content_type="multipart/form-data", **headers)
        assert response.status_code == 400, url
    response = Client().post(
        f"/api/v1/certificates/{scene.draft.pk}/documents", b"--x\r\n", content_type="multipart/form-data", **headers
    )
    assert response["Content-Type"].startswith("application/json")
