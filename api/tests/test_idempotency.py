"""`Idempotency-Key` (issue 26 point 2): a client that sends a state-changing request again because its answer
was lost gets the first answer, and nothing is done twice; the same key with another request is refused."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from certificates.models import Certificate, Document
from certificates.tests.test_api import PDF, URL, auth
from certificates.workflow_records import HistoryEntry, Step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("guides_form")]


def post(client: Any, path: str, body: Any, headers: dict[str, str], key: str | None) -> Any:
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(path, body, content_type="application/json", **headers, **extra)


def test_it_creates_one_draft_when_the_same_request_is_sent_twice_with_one_key(client, world):
    headers, key = auth(world.importer), str(uuid.uuid4())
    body = {"exporter": world.atlas.pk}
    first = post(client, URL, body, headers, key)
    again = post(client, URL, body, headers, key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Certificate.objects.filter(exporter=world.atlas).count() == 1


def test_it_creates_two_drafts_without_a_key(client, world):
    headers, body = auth(world.importer), {"exporter": world.atlas.pk}
    assert post(client, URL, body, headers, None).status_code == 201
    assert post(client, URL, body, headers, None).status_code == 201
    assert Certificate.objects.filter(exporter=world.atlas).count() == 2


def test_it_refuses_a_key_used_again_with_another_body(client, world):
    headers, key = {**auth(world.importer), "HTTP_ACCEPT_LANGUAGE": "en"}, "order-42"
    assert post(client, URL, {"exporter": world.atlas.pk}, headers, key).status_code == 201
    r = post(client, URL, {"exporter": world.atlas.pk, "consignee": world.acme.pk}, headers, key)
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reused"
    assert r.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert "another request" in r.json()["detail"]
    assert Certificate.objects.filter(exporter=world.atlas).count() == 1


def test_it_says_in_french_that_a_key_was_used_for_another_request(client, world):
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    headers, key = auth(world.importer), "commande-42"
    post(client, URL, {"exporter": world.atlas.pk}, headers, key)
    r = post(client, URL, {"exporter": world.atlas.pk, "consignee": world.acme.pk}, headers, key)
    assert r.status_code == 422 and "autre requête" in r.json()["detail"]


def test_it_keeps_one_caller_s_keys_apart_from_another_s(client, world):
    body = {"exporter": world.atlas.pk}
    assert post(client, URL, body, auth(world.importer), "k-1").status_code == 201
    r = post(client, URL, body, auth(world.exporter), "k-1")
    assert r.status_code == 201 and "Idempotent-Replayed" not in r
    assert Certificate.objects.filter(exporter=world.atlas).count() == 2


def test_it_refuses_a_key_with_spaces_or_too_long(client, world):
    headers = auth(world.importer)
    for key in ("two words", "x" * 256):
        r = post(client, URL, {"exporter": world.atlas.pk}, headers, key)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not Certificate.objects.filter(exporter=world.atlas).exists()


def test_it_submits_once_when_a_step_is_retried_with_its_key(client, world):
    coi = world.draft()
    headers = auth(world.importer)
    r = client.patch(f"{URL}/{coi.pk}", world.complete_data(), content_type="application/json", **headers)
    assert r.status_code == 200, r.content
    first = post(client, f"{URL}/{coi.pk}/submit", None, headers, "submit-1")
    again = post(client, f"{URL}/{coi.pk}/submit", None, headers, "submit-1")
    assert first.status_code == 200, first.content
    assert again.status_code == 200 and again.json() == first.json()
    assert HistoryEntry.objects.filter(certificate=coi, step=Step.SUBMIT).count() == 1
    other = post(client, f"{URL}/{coi.pk}/submit", None, headers, "submit-2")
    assert other.status_code == 409  # a new key is a new request: the COI is no longer a draft


def test_it_replays_a_refusal_as_it_was_given(client, world):
    headers = auth(world.importer)
    first = post(client, URL, {"commodities": [{"cn_code": "08013200"}]}, headers, "bad-1")
    again = post(client, URL, {"commodities": [{"cn_code": "08013200"}]}, headers, "bad-1")
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()


def test_it_attaches_one_document_when_an_upload_is_retried(client, world):
    coi = world.draft()
    headers = {**auth(world.importer), "HTTP_IDEMPOTENCY_KEY": "upload-1"}
    fields = {"type": "invoice", "reference": "INV-1", "date": "2026-03-01", "issuer": "Atlas Organic"}
    for _ in range(2):
        r = client.post(
            f"{URL}/{coi.pk}/documents", {**fields, "file": SimpleUploadedFile("invoice.pdf", PDF)}, **headers
        )
        assert r.status_code == 201, r.content
    assert Document.objects.filter(certificate_id=coi.pk).count() == 1
    other = client.post(
        f"{URL}/{coi.pk}/documents", {**fields, "file": SimpleUploadedFile("invoice.pdf", PDF + b" ")}, **headers
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    Document.objects.get(certificate_id=coi.pk).file.delete(save=False)


def test_it_declares_the_header_on_every_state_changing_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert ("Idempotency-Key" in names) == (method in {"post", "put", "patch", "delete"}), (method, path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_it_runs_once_when_two_copies_with_one_key_arrive_at_the_same_moment(live_server, world):
    import requests

    token = auth(world.importer)["HTTP_AUTHORIZATION"]
    body = {"exporter": world.atlas.pk}
    answers: list[Any] = []
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        answers.append(
            requests.post(
                f"{live_server.url}{URL}",
                json=body,
                headers={"Authorization": token, "Idempotency-Key": "race-1"},
                timeout=30,
            )
        )

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201] * 6
    assert len({a.json()["id"] for a in answers}) == 1
    assert Certificate.objects.filter(exporter=world.atlas).count() == 1


def test_it_takes_a_retry_with_its_weight_written_otherwise_as_the_same_request(client, world):
    """A lot's net weight "100.0" for "100", as a number or a text, its fields in another order: the same
    request, answered as the first was (issue 24, fault 5); another weight is another request."""
    from certificates.statuses import COIStatus
    from certificates.tests.workflow_world import make_flow

    flow = make_flow(world)
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    headers, key, path = auth(flow.w.forwarder), str(uuid.uuid4()), f"{URL}/{base.pk}/extract"
    lot = client.get(f"{URL}/{base.pk}/lots", **headers).json()["lots"][0]["line"]
    first = post(client, path, {"consignee": world.foods.pk,
                                "quantities": [{"line": lot, "packages": 10, "net_weight": "100"}]}, headers, key)  # fmt: skip
    assert first.status_code == 201, first.json()
    for weight in ("100.0", 100.0, "100.000"):
        body = {"quantities": [{"net_weight": weight, "packages": 10, "line": lot}], "consignee": world.foods.pk}
        again = post(client, path, body, headers, key)
        assert (again.status_code, again.get("Idempotent-Replayed")) == (201, "true"), (weight, again.json())
        assert again.json() == first.json()
    assert Certificate.objects.filter(base=base).count() == 1
    other = {"consignee": world.foods.pk, "quantities": [{"line": lot, "packages": 10, "net_weight": "100.5"}]}
    assert post(client, path, other, headers, key).json()["code"] == "idempotency_key_reused"


def test_it_answers_401_to_an_invalid_token_whatever_its_key_was_used_for_before(client, world):
    """Found by schemathesis's `ignored_auth` check (issue 22 point 5): the answers to an invalid token were kept
    under its digest, so a path no route takes (a JSON 404) kept the key, and the same invalid token and key on
    a real operation then got 422 `idempotency_key_reused` instead of 401; an invalid key got 422 before 401."""
    invalid = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    draft = world.draft()
    body = {"exporter": world.atlas.pk}
    missed = client.patch(f"{URL}/null", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="0", **invalid)
    assert missed.status_code == 404
    r = client.patch(f"{URL}/{draft.pk}", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="0", **invalid)
    assert (r.status_code, r.json()["code"]) == (401, "not_authenticated")
    r = post(client, URL, body, invalid, "a key with spaces")
    assert (r.status_code, r.json()["code"]) == (401, "not_authenticated")
