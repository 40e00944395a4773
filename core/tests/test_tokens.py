"""One token base for every app (`core.tokens.SecretToken`): a person's API token and a customs office's machine
client are issued, found, touched and revoked by the same code, and the tokens issued before that base existed
(the apps' own copies of it, migrations 0001) keep working after the migrations to it."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.tests.factories import UserFactory
from certificates.tests.factories import AuthorityFactory
from customs.models import CustomsClient, CustomsOffice
from directory.models import Authority

BEFORE = [("accounts", "0001_initial"), ("customs", "0001_initial")]


def _office() -> CustomsOffice:
    authority = AuthorityFactory(name="Bureau de douane du Havre port", country="FR", kind=Authority.Kind.CUSTOMS)
    return CustomsOffice.objects.create(authority=authority, code="FR000690")


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_tokens_issued_before_the_shared_base_working():
    person, office = UserFactory(language="en"), _office()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    # As the apps' own copies issued them: the secret's SHA-256 and its first 10 characters.
    personal, machine = "oc_" + "p" * 43, "occ_" + "m" * 43
    old.get_model("accounts", "ApiToken").objects.create(
        user_id=person.pk, name="nightly export", key_hash=hashlib.sha256(personal.encode()).hexdigest(),
        hint=personal[:10],
    )  # fmt: skip
    old.get_model("customs", "CustomsClient").objects.create(
        office_id=office.pk, name="Guichet unique national", key_hash=hashlib.sha256(machine.encode()).hexdigest(),
        hint=machine[:10],
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    me = Client(HTTP_AUTHORIZATION=f"Bearer {personal}").get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == person.email
    documents = Client(HTTP_AUTHORIZATION=f"Bearer {machine}").get(
        "/api/customs/v1/documents/NONE", {"request_id": "r-1"}
    )
    assert documents.status_code == 404 and documents.json()["code"] == "document_not_found"
    token, client = ApiToken.objects.get(), CustomsClient.objects.get()
    assert (token.name, token.hint, token.last_used_at is not None) == ("nightly export", "oc_ppppppp", True)
    assert (client.name, client.hint, client.last_used_at is not None) == ("Guichet unique national", "occ_mmmmmm", 1)


@pytest.mark.django_db
def test_it_issues_finds_and_revokes_both_kinds_of_token_alike():
    person, office = UserFactory(), _office()
    token, personal = ApiToken.issue(person, "script")
    client, machine = CustomsClient.issue(office, "Guichet unique national", by=person)
    assert personal.startswith("oc_") and machine.startswith("occ_")
    assert token.hint == personal[:10] and client.hint == machine[:10]
    assert personal not in token.key_hash and machine not in client.key_hash
    assert ApiToken.authenticate(personal) == person
    assert CustomsClient.authenticate(machine) == client
    # A token of one kind is no token of the other.
    assert ApiToken.authenticate(machine) is None and CustomsClient.authenticate(personal) is None

    token.revoke()
    client.revoke()
    assert ApiToken.authenticate(personal) is None and CustomsClient.authenticate(machine) is None
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {machine}").get("/api/customs/v1/documents/NONE", {"request_id": "r"})
    assert refused.status_code == 401


@pytest.mark.django_db
def test_it_refuses_the_token_of_a_deactivated_person():
    person = UserFactory()
    _token, personal = ApiToken.issue(person, "script")
    person.is_active = False
    person.save()
    assert ApiToken.authenticate(personal) is None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {personal}").get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_it_writes_a_tokens_last_use_once_a_minute_in_the_query_that_finds_it(client):
    """The account page shows when each token was last used, written at most once a minute (a busy script's other
    calls write nothing); on PostgreSQL the statement that finds the token writes it (issue 26: the first call of
    a minute, every signature of `make bench`, cost one query more than the next); a revoked token's stays."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import clock

    person = UserFactory(language="en")
    token, personal = ApiToken.issue(person, "nightly export")
    script = Client(HTTP_AUTHORIZATION=f"Bearer {personal}")
    ago = timezone.now() - datetime.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=ago)

    with CaptureQueriesContext(connection) as first:
        assert script.get("/api/v1/me").status_code == 200
    used = ApiToken.objects.get().last_used_at
    assert used > ago + datetime.timedelta(minutes=4)
    with CaptureQueriesContext(connection) as again:
        assert script.get("/api/v1/me").status_code == 200
    assert ApiToken.objects.get().last_used_at == used  # the same minute: not written again
    assert len(first) == len(again) + (connection.vendor != "postgresql")  # SQLite: the UPDATE after the read

    client.force_login(person)
    assert clock.moment(used) in client.get("/accounts/me/").content.decode()

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=ago)
    token.revoke()
    assert script.get("/api/v1/me").status_code == 401
    assert ApiToken.objects.get().last_used_at == ago
