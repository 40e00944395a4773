"""Operators found by a search (the directory's search page and API, the COI form's operator pickers and their
API) come in the order a French reader expects: 'Établissements' among the E, 'Îles' among the I, not after
'Zeta' as the bytes of the names would have them; paged results keep that order from page to page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from accounts.models import ApiToken
from directory.models import ActivityKind
from directory.tests.factories import OperatorActivityFactory, OperatorFactory

pytestmark = pytest.mark.django_db

IN_ORDER = ["Abeille Bio", "Ecole Bio", "Eden Bio", "Établissements Bio Martin", "Îles Bio", "Zeta Bio"]


@pytest.fixture
def belgians(world: SimpleNamespace) -> list[str]:
    for name in ["Zeta Bio", "Îles Bio", "Établissements Bio Martin", "Eden Bio", "Abeille Bio", "Ecole Bio"]:
        operator = OperatorFactory(name=name, country="BE", city="Liège")
        OperatorActivityFactory(operator=operator, kind=ActivityKind.EXPORTER, control_body_code=world.ma154)
    return IN_ORDER


def french_client(world: SimpleNamespace) -> Client:
    world.inao_agent.language = "fr"
    world.inao_agent.save(update_fields=["language"])
    client = Client()
    client.force_login(world.inao_agent)
    return client


def order_in(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=html.index)


def test_it_lists_the_directory_search_in_french_collation_order(world, belgians) -> None:
    html = french_client(world).get("/directory/operators/search/", {"country": "BE"}).content.decode()
    assert "Demande d’autorisation" in html  # the results, in French
    assert order_in(html, belgians) == IN_ORDER


def test_it_pages_the_directory_api_in_collation_order(world, belgians) -> None:
    _token, secret = ApiToken.issue(world.inao_agent, "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    names = []
    for page in (1, 2):  # 20 a page: pages of 4, so the order holds across pages too
        response = client.get("/api/v1/operators", {"country": "BE", "page": page, "page_size": 4})
        assert response.status_code == 200, response.content
        names += [item["name"] for item in response.json()["items"]]
    assert names == IN_ORDER


def test_it_offers_the_coi_form_pickers_in_collation_order(world, belgians) -> None:
    # More matches than a picker shows (20): the first ones in collation order are shown, not the first bytes.
    for n in range(20):
        operator = OperatorFactory(name=f"Zoé Bio {n:02}", country="BE", city="Liège")
        OperatorActivityFactory(operator=operator, kind=ActivityKind.EXPORTER, control_body_code=world.ma154)
    client = french_client(world)
    html = client.get("/certificates/lookup/operators/", {"name": "exporter", "exporter_q": "bio"}).content.decode()
    assert order_in(html, belgians) == IN_ORDER
    assert "Zoé Bio 13" in html and "Zoé Bio 14" not in html
    _token, secret = ApiToken.issue(world.inao_agent, "test")
    response = client.get(
        "/api/v1/certificates/lookup/operators",
        {"q": "bio", "field": "exporter"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert [item["name"] for item in response.json()][:6] == IN_ORDER
