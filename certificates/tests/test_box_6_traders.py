"""Box 6 of the 2021/2306 form (traders who neither store nor handle the products, Reg. (EU) 2021/2306 Annex,
box 6) through the machine interfaces: set by the API and read back, refused at box 6 when unknown; carried by the
SPS XML export and read back by its import (certificates/outputs/sps.py, NOTE_TRADERS)."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from accounts.models import ApiToken
from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.outputs import sps
from certificates.outputs.sps_structure import problems as structure_problems
from directory.tests.factories import OperatorIdentifierFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/certificates"
NS = {"rsm": sps.RSM, "ram": sps.RAM}
TRADER_NOTES = "//ram:IncludedSPSNote[ram:Subject='COI_2021_2306:traders']/ram:Content/text()"


def auth(user: Any) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def draft(world: Any) -> Certificate:
    world.form = FormCode.R2021_2306
    return world.draft()


def test_it_sets_box_6_through_the_api_and_reads_it_back(client: Any, world: Any, draft: Certificate) -> None:
    headers = auth(world.importer)
    r = client.patch(f"{API}/{draft.pk}", {"traders": [world.foods.pk]}, content_type="application/json", **headers)
    assert r.status_code == 200, r.content
    r = client.get(f"{API}/{draft.pk}", **headers)
    assert r.status_code == 200
    assert r.json()["boxes"]["traders"] == [world.foods.pk]
    assert list(Certificate.objects.get(pk=draft.pk).traders.all()) == [world.foods]


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "No such operator."), ("fr", "Opérateur introuvable.")],
)
def test_it_refuses_an_unknown_trader_at_box_6_and_keeps_box_6(
    client: Any, world: Any, draft: Certificate, language: str, message: str
) -> None:
    Certificate.objects.get(pk=draft.pk).traders.set([world.foods])
    world.importer.language = language
    world.importer.save(update_fields=["language"])
    headers = auth(world.importer)
    r = client.patch(
        f"{API}/{draft.pk}", {"traders": [world.foods.pk, 987654]}, content_type="application/json", **headers
    )
    assert r.status_code == 422, r.content
    assert r.json()["boxes"] == {"6": [message]}
    assert list(Certificate.objects.get(pk=draft.pk).traders.all()) == [world.foods]


@pytest.fixture
def with_traders(world: Any, draft: Certificate) -> Certificate:
    """Box 6 with two traders: one known here by its EORI number, one by its name and country only."""
    OperatorIdentifierFactory(operator=world.transit, value="FR12345678901")
    Certificate.objects.get(pk=draft.pk).traders.set([world.foods, world.transit])
    return draft


def import_as(client: Any, user: Any, xml: bytes, language: str = "en") -> Any:
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client.post(f"{API}/import", data=xml, content_type="application/xml")


def test_it_carries_box_6_from_the_sps_export_to_its_import(client: Any, world: Any, with_traders: Certificate) -> None:
    xml = sps.build(with_traders.pk)
    assert structure_problems(xml) == []
    assert sorted(etree.fromstring(xml).xpath(TRADER_NOTES, namespaces=NS)) == [
        "ACME Bio Foods FR (FR)",
        "Transit Havrais (FR) EORI FR12345678901",
    ]
    world.transit.name = "Transit Havrais SAS"  # found by its EORI number, whatever its name became
    world.transit.save(update_fields=["name"])
    r = import_as(client, world.importer, xml)
    assert r.status_code == 201, r.json()
    assert r.json()["problems"] == []
    new = Certificate.objects.get(pk=r.json()["id"])
    assert new.form == FormCode.R2021_2306
    assert set(new.traders.all()) == {world.foods, world.transit}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "No operator Nobody Trading (FR) is known here."),
        ("fr", "Aucun opérateur Nobody Trading (FR) n’est connu ici."),
    ],
)
def test_it_says_at_box_6_which_trader_of_an_sps_import_is_unknown(
    client: Any, world: Any, with_traders: Certificate, language: str, message: str
) -> None:
    xml = sps.build(with_traders.pk).replace(b"ACME Bio Foods FR (FR)", b"Nobody Trading (FR)")
    r = import_as(client, world.importer, xml, language)
    (problem,) = [p for p in r.json()["problems"] if p["box"] == "6"]
    assert problem["message"] == message
    # The draft is made with the trader that is known; the one refused is said, not stored.
    assert r.status_code == 201 and set(Certificate.objects.get(pk=r.json()["id"]).traders.all()) == {world.transit}
    assert problem["path"].startswith("/rsm:SPSCertificate/rsm:SPSExchangedDocument/ram:IncludedSPSNote[")
    assert problem["path"].endswith("]/ram:Content")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "ACME Bio Foods does not name a trader: give its name and country code, as in “Name (FR)” or "
               "“Name (FR) EORI FR123456789”."),
        ("fr", "ACME Bio Foods ne désigne pas un opérateur : indiquez son nom et le code de son pays, comme dans "
               "«\u00a0Nom (FR)\u00a0» ou «\u00a0Nom (FR) EORI FR123456789\u00a0»."),
    ],
)  # fmt: skip
def test_it_says_at_box_6_what_is_not_a_trader(
    client: Any, world: Any, with_traders: Certificate, language: str, message: str
) -> None:
    xml = sps.build(with_traders.pk).replace(b"ACME Bio Foods FR (FR)", b"ACME Bio Foods")
    r = import_as(client, world.importer, xml, language)
    (problem,) = [p for p in r.json()["problems"] if p["box"] == "6"]
    assert problem["message"] == message
    # The draft is made with the trader that is known; the one refused is said, not stored.
    assert r.status_code == 201 and set(Certificate.objects.get(pk=r.json()["id"]).traders.all()) == {world.transit}


def test_it_gives_the_guides_form_no_trader_note(world: Any) -> None:
    assert b"COI_2021_2306:traders" not in sps.build(world.submitted().pk)
