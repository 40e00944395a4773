"""The API applies the same rules as the pages: search, read, join, create, decide; outsiders get 404."""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client

from accounts.models import ApiToken
from directory.models import Membership, Operator, Status
from directory.tests.factories import UserFactory


def api(user: object) -> Client:
    _token, secret = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_it_searches_and_reads_operators(world: SimpleNamespace) -> None:
    client = api(world.outsider)
    found = client.get("/api/v1/operators", {"country": "FR", "q": "acme"}).json()
    assert [item["name"] for item in found["items"]] == ["ACME Bio Imports FR"]
    assert found["items"][0]["activities"][0]["control_body_code"] == "FR-BIO-01"
    assert client.get("/api/v1/operators", {"q": "acme"}).status_code == 422
    assert client.get(f"/api/v1/operators/{world.acme.pk}").json()["name"] == "ACME Bio Imports FR"


def test_it_lists_control_bodies_authorities_and_points_of_entry(world: SimpleNamespace) -> None:
    client = api(world.outsider)
    codes = client.get("/api/v1/control-bodies", {"country": "MA"}).json()["items"]
    assert {c["code"] for c in codes} == {"MA-BIO-154", "MA-BIO-999"}
    assert {a["name"] for a in client.get("/api/v1/authorities", {"kind": "competent"}).json()} >= {"INAO"}
    assert [p["code"] for p in client.get("/api/v1/points-of-entry", {"country": "FR"}).json()] == ["FRLEH"]


def test_it_joins_and_the_admin_decides(world: SimpleNamespace) -> None:
    colleague = UserFactory()
    response = api(colleague).post(
        "/api/v1/memberships", {"operator_id": world.acme.pk, "message": "Buyer"}, content_type="application/json"
    )
    assert response.status_code == 201
    pk = response.json()[0]["id"]
    admin = api(world.acme_admin)
    assert [m["id"] for m in admin.get("/api/v1/memberships/pending").json()] == [pk]
    response = admin.post(f"/api/v1/memberships/{pk}/decision", {"action": "validate"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "valid"
    assert response.json()["is_admin"] is False


def test_it_refuses_outsiders_with_404_and_own_requests_with_403(world: SimpleNamespace) -> None:
    colleague = UserFactory()
    pk = (
        api(colleague)
        .post("/api/v1/memberships", {"operator_id": world.acme.pk}, content_type="application/json")
        .json()[0]["id"]
    )
    outsider = api(world.outsider)
    assert (
        outsider.post(
            f"/api/v1/memberships/{pk}/decision", {"action": "validate"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            f"/api/v1/memberships/{pk}/admin", {"is_admin": True}, content_type="application/json"
        ).status_code
        == 404
    )
    assert outsider.get(f"/api/v1/operators/{world.acme.pk}/members").status_code == 404
    assert outsider.get("/api/v1/memberships/pending").json() == []
    own = api(colleague).post(
        f"/api/v1/memberships/{pk}/decision", {"action": "validate"}, content_type="application/json"
    )
    assert own.status_code == 403
    assert Membership.objects.get(pk=pk).status == Status.REQUESTED


def test_it_creates_an_operator_and_warns_of_a_duplicate(world: SimpleNamespace) -> None:
    person = UserFactory()
    payload = {
        "name": "Bio Nouveau",
        "country": "FR",
        "city": "Toulouse",
        "address": "1 rue Neuve",
        "identifiers": [{"type": "eori", "value": "FR43396818700016"}],
        "activities": [{"kind": "importer", "control_body_code": "FR-BIO-01"}],
        "message": "Operator n. 11111",
    }
    response = api(person).post("/api/v1/operators", payload, content_type="application/json")
    assert response.status_code == 409
    assert [c["name"] for c in response.json()["candidates"]] == ["ACME Bio Imports FR"]
    response = api(person).post(
        "/api/v1/operators", {**payload, "confirm_duplicate": True}, content_type="application/json"
    )
    assert response.status_code == 201
    operator = Operator.objects.get(name="Bio Nouveau")
    assert operator.status == Status.REQUESTED
    inao = api(world.inao_agent)
    assert [m["organisation_name"] for m in inao.get("/api/v1/memberships/pending").json()] == ["Bio Nouveau"]
    assert api(world.outsider).get(f"/api/v1/operators/{operator.pk}").status_code == 404


def test_it_checks_the_eori_of_an_importer(world: SimpleNamespace) -> None:
    payload = {
        "name": "Sans EORI",
        "country": "FR",
        "city": "Nantes",
        "address": "2 quai",
        "identifiers": [{"type": "eori", "value": "FR12345678901234"}],
        "activities": [{"kind": "importer", "control_body_code": "FR-BIO-01"}],
    }
    response = api(UserFactory()).post("/api/v1/operators", payload, content_type="application/json")
    assert response.status_code == 422
    assert "SIRET" in response.json()["detail"]


def test_it_shows_memberships_on_me(world: SimpleNamespace) -> None:
    me = api(world.acme_admin).get("/api/v1/me").json()
    assert me["memberships"] == [
        {
            "organisation_id": world.acme.pk,
            "organisation_kind": "operator",
            "organisation_name": "ACME Bio Imports FR",
            "role": "administrator",
            "status": "valid",
            "is_admin": True,
        }
    ]


def test_it_denies_suspended_members_at_the_next_request(world: SimpleNamespace) -> None:
    member = Membership.objects.get(user=world.acme_admin)
    colleague = UserFactory()
    pk = (
        api(colleague)
        .post("/api/v1/memberships", {"operator_id": world.acme.pk}, content_type="application/json")
        .json()[0]["id"]
    )
    client = api(world.acme_admin)
    assert client.get(f"/api/v1/operators/{world.acme.pk}/members").status_code == 200
    member.status = Status.SUSPENDED
    member.save()
    assert client.get(f"/api/v1/operators/{world.acme.pk}/members").status_code == 404
    assert (
        client.post(
            f"/api/v1/memberships/{pk}/decision", {"action": "validate"}, content_type="application/json"
        ).status_code
        == 404
    )
