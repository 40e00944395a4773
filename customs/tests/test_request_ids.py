"""Request ids are kept by the API's one mechanism of kept answers (`api.idempotency.once`, the table of
`Idempotency-Key`): per customs office, never purged, and the answers kept before that (customs' own table,
migration 0003) still answer their retries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from api.idempotency import purge
from api.models import IdempotentRequest
from certificates.tests.factories import AuthorityFactory
from customs.exchange import fingerprint_as_before
from customs.models import CustomsClient, CustomsOffice, DeclarationItem, Movement
from customs.schemas import DeclarationIn
from directory.models import Authority

from .conftest import EORI, mrn

CASHEW = "08013200"


def _declaration(request_id: str, document: str, weight: str = "10", n: int = 8) -> dict:
    return {"request_id": request_id, "mrn": mrn(n), "importer_eori": EORI,
            "items": [{"item_number": 1, "document": document, "cn_code": CASHEW, "net_weight": weight}]}  # fmt: skip


def _office(code: str) -> tuple[CustomsOffice, Client]:
    authority = AuthorityFactory(name=f"Bureau {code}", country=code[:2], kind=Authority.Kind.CUSTOMS)
    office = CustomsOffice.objects.create(authority=authority, code=code)
    _client, secret = CustomsClient.issue(office, "Guichet unique national")
    return office, Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(http: Client, body: dict):
    return http.post("/api/customs/v1/declarations", body, content_type="application/json")


def test_it_keeps_a_request_ids_answer_with_the_idempotency_keys_and_never_purges_it(exchange, released, office):
    body = _declaration("burst-1", released.number)
    assert _post(exchange.http, body).status_code == 201
    kept = IdempotentRequest.objects.get(key="burst-1")
    assert (kept.caller, kept.status, kept.expires) == (f"customs:{office.pk}", 201, False)

    assert purge(timezone.now() + datetime.timedelta(days=400)) == 0
    again = _post(exchange.http, body)
    assert (again.status_code, again.json()["replayed"]) == (201, True)
    assert Movement.objects.count() == 1 and DeclarationItem.objects.count() == 1


def test_it_keeps_request_ids_per_office(exchange, released, flow):
    assert _post(exchange.http, _declaration("same-id", released.number, "10", n=1)).status_code == 201
    _other, http = _office("FR000700")
    # Another office's request id of the same name is its own: it runs, and is not refused as reused.
    theirs = _post(http, _declaration("same-id", released.number, "5", n=2))
    assert (theirs.status_code, theirs.json()["replayed"]) == (201, False)
    assert sorted(DeclarationItem.objects.values_list("net_weight", flat=True)) == [5, 10]


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_it_answers_the_retries_of_calls_answered_before_the_request_ids_moved():
    office, http = _office("FR000690")
    body = _declaration("lost-answer", "FR-BIO-01.2026.0000001")
    answer = {"request_id": "lost-answer", "mrn": mrn(8), "written_off": [], "restored": [], "documents": []}
    executor = MigrationExecutor(connection)
    before = [("customs", "0002_token_base")]
    executor.migrate(before)
    executor.loader.project_state(before).apps.get_model("customs", "ExchangeRequest").objects.create(
        office_id=office.pk, request_id="lost-answer", operation="declaration", status=201, answer=answer,
        fingerprint=fingerprint_as_before("declaration", DeclarationIn(**body).model_dump()),
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    again = _post(http, body)
    assert again.status_code == 201 and again.json() == {**answer, "replayed": True}
    assert not DeclarationItem.objects.exists()
    other = _post(http, {**body, "mrn": mrn(9)})
    assert (other.status_code, other.json()["code"]) == (409, "request_id_reused")


def test_it_takes_a_retry_with_its_values_written_otherwise_as_the_same_request(exchange, released):
    """3000.0 kg is 3000 kg, a time at another UTC offset the same moment: the retry gets the first answer and
    nothing is written off twice (issue 24, fault 5); another weight is another request."""
    body = {**_declaration("weights-1", released.number, "3000"), "declared_at": "2026-12-06T10:00:00+01:00"}
    assert _post(exchange.http, body).status_code == 201
    for weight, at in (("3000.0", "2026-12-06T09:00:00Z"), ("3000.000", "2026-12-06T10:00:00+01:00")):
        items = [{**body["items"][0], "net_weight": weight}]
        again = _post(exchange.http, {**body, "items": items, "declared_at": at})
        assert (again.status_code, again.json()["replayed"]) == (201, True), again.json()
    assert DeclarationItem.objects.count() == 1 and Movement.objects.count() == 1
    other = _post(exchange.http, {**body, "items": [{**body["items"][0], "net_weight": "3000.1"}]})
    assert (other.status_code, other.json()["code"]) == (409, "request_id_reused")
