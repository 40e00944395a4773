"""Every page renders for the people it is for, in French and English; outsiders get 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.demo import load_demo
from directory.models import Membership, Operator


@pytest.fixture
def demo(db: None) -> dict:
    return load_demo()


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = [
    ("importer@acme-bio.example", "directory:start", None),
    ("importer@acme-bio.example", "directory:roles", None),
    ("importer@acme-bio.example", "directory:organisations", None),
    ("importer@acme-bio.example", "directory:queue", None),
    ("importer@acme-bio.example", "directory:control_body_search", None),
    ("importer@acme-bio.example", "directory:authority_request", None),
    ("agent@inao.example", "directory:queue", None),
    ("agent@ecocert.example", "directory:queue", None),
    ("admin@commission.example", "directory:queue", None),
    ("admin@commission.example", "directory:rfl", None),
    ("importer@acme-bio.example", "accounts:account", None),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("email", "name", "_"), PAGES)
def test_it_renders(demo: dict, email: str, name: str, _: None, language: str) -> None:
    user = demo[email]
    user.language = language
    user.save()
    response = client_for(user).get(reverse(name))
    assert response.status_code == 200


def test_it_shows_the_queue_with_everything_to_decide(demo: dict) -> None:
    response = client_for(demo["agent@inao.example"]).get(reverse("directory:queue"))
    assert "Paul Collègue" in response.content.decode()
    assert "ACME Bio Imports FR" in response.content.decode()


def test_it_searches_operators(demo: dict) -> None:
    client = client_for(demo["importer@other-bio.example"])
    response = client.get(reverse("directory:operator_search"), {"country": "FR", "q": "ACME"})
    body = response.content.decode()
    assert "ACME Bio Imports FR" in body and "Big Street 1" in body and "Other Bio Import" not in body
    response = client.get(reverse("directory:operator_search"), {"country": "FR", "q": "FR-BIO-01/"})
    assert "ACME Bio Foods FR" in response.content.decode()
    response = client.get(reverse("directory:operator_search"), {"country": "FR", "q": "Nothing like it"})
    assert reverse("directory:operator_create") in response.content.decode()


def test_it_gives_outsiders_404_on_an_operator(demo: dict) -> None:
    acme = Operator.objects.get(name="ACME Bio Imports FR")
    outsider = client_for(demo["importer@other-bio.example"])
    pending = Membership.objects.get(user__email="colleague@acme-bio.example")
    assert outsider.get(reverse("directory:operator", args=[acme.pk])).status_code == 404
    assert outsider.get(reverse("directory:operator_users", args=[acme.pk])).status_code == 404
    assert outsider.post(reverse("directory:decide", args=[pending.pk]), {"action": "validate"}).status_code == 404
    assert outsider.post(reverse("directory:set_admin", args=[pending.pk]), {"is_admin": "1"}).status_code == 404
    assert outsider.get(reverse("directory:rfl")).status_code == 404
    pending.refresh_from_db()
    assert pending.status == "requested"
