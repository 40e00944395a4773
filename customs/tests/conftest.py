"""The customs tests' world: the certificates tests' actors, a customs office at Le Havre (FR000690) with a
machine client, ACME's EORI, and COIs of the 2021/2306 form brought to a status through the workflow."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from certificates.coi_forms import FormCode
from certificates.statuses import COIStatus
from certificates.tests.conftest import (  # noqa: F401 - shared fixtures
    _english,
    cn_codes,
    cn_codes_of_the_module,
    world,
    world_of_the_module,
)
from certificates.tests.factories import AuthorityFactory, member_of
from certificates.tests.workflow_world import make_flow
from customs.models import CustomsClient, CustomsOffice
from directory.models import Authority, IdentifierType, OperatorIdentifier

EORI = "FR433968187"
OTHER_EORI = "FR552100554"


@pytest.fixture
def flow(world):  # noqa: F811 - the shared world
    world.form = FormCode.R2021_2306
    OperatorIdentifier.objects.create(operator=world.acme, type=IdentifierType.EORI, value=EORI)
    OperatorIdentifier.objects.create(operator=world.other_bio, type=IdentifierType.EORI, value=OTHER_EORI)
    return make_flow(world)


@pytest.fixture
def office(db):
    authority = AuthorityFactory(name="Bureau de douane du Havre port", country="FR", kind=Authority.Kind.CUSTOMS)
    return CustomsOffice.objects.create(authority=authority, code="FR000690")


@pytest.fixture
def token(office):
    _client, secret = CustomsClient.issue(office, "Guichet unique national (test)")
    return secret


class Exchange:
    """The exchange as a national single window calls it: JSON over HTTP with the machine client's token."""

    def __init__(self, token: str, language: str = "en") -> None:
        self.http = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)
        self.n = 0

    def rid(self) -> str:
        self.n += 1
        return f"test-{self.n}"

    def post(self, path: str, body: dict[str, Any]) -> Any:
        body = {"request_id": self.rid(), **body}
        return self.http.post(f"/api/customs/v1{path}", body, content_type="application/json")

    def get(self, path: str, **query: Any) -> Any:
        return self.http.get(f"/api/customs/v1{path}", {"request_id": self.rid(), **query})

    def declare(self, mrn: str, *items: tuple[str, str, Any], eori: str = EORI, **extra: Any) -> Any:
        """items: (document, CN code, net weight), numbered from 1."""
        body = {
            "mrn": mrn,
            "importer_eori": eori,
            "items": [
                {"item_number": n, "document": d, "cn_code": c, "net_weight": str(w)}
                for n, (d, c, w) in enumerate(items, start=1)
            ],
            **extra,
        }
        return self.post("/declarations", body)


@pytest.fixture
def exchange(token):
    return Exchange(token)


@pytest.fixture
def released(flow):
    """A COI to be released as organic: 08013200, LOT-A 9000 kg and LOT-B 6.8 t (15,800 kg)."""
    return flow.coi(COIStatus.RELEASED_ORGANIC)


def mrn(n: int) -> str:
    return f"26FR{n:014d}"


__all__ = ["EORI", "OTHER_EORI", "Exchange", "member_of", "mrn"]
