from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from core.errors import Invalid
from directory import services
from directory.eori import check_eori, is_valid_eori
from directory.tests.factories import OperatorFactory, OperatorIdentifierFactory, UserFactory


@pytest.mark.parametrize(
    ("value", "normal"),
    [("FR 512 345 679 00017", "FR51234567900017"), ("de123456789012345", "DE123456789012345"), ("MA12", "MA12")],
)
def test_it_accepts_and_normalises(value: str, normal: str) -> None:
    assert check_eori(value) == normal


@pytest.mark.parametrize(
    "value", ["", "F", "12345", "XX1234", "FR12345678901234", "DE1234567890123456", "DE12-?", "FR"]
)
def test_it_refuses(value: str) -> None:
    with pytest.raises(Invalid):
        check_eori(value)
    assert not is_valid_eori(value)


@pytest.mark.parametrize(
    ("value", "normal"), [("FR 433 968 187", "FR433968187"), ("FR43396818700016", "FR43396818700016")]
)
def test_it_accepts_a_french_eori_made_of_the_siren_or_of_the_siret(value: str, normal: str) -> None:
    assert check_eori(value) == normal


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("FR433968188", "9 chiffres est lu comme un SIREN"),
        ("FR43396818700017", "14 chiffres est lu comme un SIRET"),
        ("FR4339681870", "ou du SIRET (14 chiffres) de l’entreprise ; 4339681870 compte 10 caractères"),
    ],
)
def test_it_says_which_french_form_failed(value: str, says: str) -> None:
    with translation.override("fr"), pytest.raises(Invalid) as refused:
        check_eori(value)
    assert says in str(refused.value.message)


def new_operator_payload(country: str, eori: str) -> dict:
    return {
        "name": "Bio du Nord",
        "country": country,
        "city": "Lille",
        "address": "3 rue de la Gare",
        "identifiers": [{"type": "eori", "value": eori}],
        "activities": [{"kind": "importer", "control_body_code": "FR-BIO-01"}],
    }


def test_it_warns_through_the_api_when_the_eori_country_is_not_the_operators(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(UserFactory(language="fr"))
    response = client.post(
        "/api/v1/operators", new_operator_payload("FR", "BE0123456789"), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["warnings"] == [
        "Le pays du numéro EORI BE0123456789 (Belgique) n’est pas celui de l’opérateur (France) : vérifiez-le."
    ]
    response = client.post(
        "/api/v1/operators",
        {**new_operator_payload("FR", "FR433968187"), "name": "Bio du Sud"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["warnings"] == []


def test_it_warns_the_person_and_the_validator_on_their_pages(world: SimpleNamespace) -> None:
    operator = OperatorFactory(name="Bio Belge", country="FR")
    OperatorIdentifierFactory(operator=operator, value="BE0123456789")
    request = services.request_membership(UserFactory(), operator)
    client = Client()
    client.force_login(world.inao_agent)  # reads French
    queue = client.get("/directory/requests/").content.decode()
    assert f'data-testid="pending-{request.pk}"' in queue
    assert "Le pays du numéro EORI BE0123456789 (Belgique) n’est pas celui de l’opérateur (France)" in queue
