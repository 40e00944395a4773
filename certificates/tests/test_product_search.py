"""Choosing products in the reader's language (guide 000, 3.1): French names, with or without accents, and codes."""

from __future__ import annotations

import pytest
from django.test import Client

from reference.loader import LoadResult, load, shipped_entries
from reference.models import CnCode

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def french_importer(world):
    """ACME's importer, who reads OpenCOI in French (the account's language wins over the browser's)."""
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    return world.importer


CASHEW_FR = "0801 32 00 Noix de coco, noix du Brésil et noix de cajou, fraîches ou sèches, même sans leurs coques ou décortiquées\u00a0: Noix de cajou\u00a0: sans coques"  # noqa: E501


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("cajou", "0801 32 00"),
        ("café", "0901 11 00"),
        ("cafe", "0901 11 00"),
        ("dattes", "0804 10 00"),
        ("noix", "0801 11 00"),
        ("0801 32", "0801 32 00"),
        ("08013200", "0801 32 00"),
    ],
)
def test_it_finds_products_by_french_name_on_the_new_coi_page(
    client: Client, french_importer, cn_codes: LoadResult, query: str, found: str
) -> None:
    client.force_login(french_importer)
    page = client.get("/certificates/new/", {"q": query}, **FR).content.decode()
    assert "Aucun produit ne correspond" not in page
    assert f'value="{found.replace(" ", "")}"' in page


def test_it_shows_the_full_path_in_french_where_a_product_is_picked_and_shown(
    client: Client, world, french_importer, cn_codes: LoadResult
) -> None:
    client.force_login(french_importer)
    assert CASHEW_FR in client.get("/certificates/new/", {"q": "cajou sans coques"}, **FR).content.decode()
    assert CASHEW_FR in client.get("/certificates/new/", {"cn": "08013200"}, **FR).content.decode()
    assert CASHEW_FR in client.get("/certificates/new/form/", {"cn": "08013200"}, **FR).content.decode()
    added = client.get("/certificates/lookup/products/", {"new_cn_q": "Noix de cajou"}, **FR).content.decode()
    assert CASHEW_FR in added
    coi = world.draft()
    assert CASHEW_FR in client.get(f"/certificates/{coi.pk}/", **FR).content.decode()


def test_it_searches_in_english_for_an_english_reader(client: Client, world, cn_codes: LoadResult) -> None:
    client.force_login(world.importer)
    page = client.get("/certificates/lookup/products/", {"new_cn_q": "cashew"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "Coconuts, Brazil nuts and cashew nuts, fresh or dried, whether or not shelled or peeled: Cashew nuts: Shelled"
        in (page.content.decode())
    )
    page = client.get("/certificates/lookup/products/", {"new_cn_q": "cajou"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "0801" not in page.content.decode()


def test_it_keeps_a_coi_readable_when_its_code_leaves_the_nomenclature(
    client: Client, world, french_importer, cn_codes: LoadResult
) -> None:
    coi = world.draft()
    load({code: entry for code, entry in shipped_entries(2026).items() if code != "08013200"})
    cashew = CnCode.objects.get(code="08013200")
    assert not cashew.in_force and not cashew.selectable
    client.force_login(french_importer)
    page = client.get(f"/certificates/{coi.pk}/", **FR)
    assert page.status_code == 200 and CASHEW_FR in page.content.decode()
    offered = client.get("/certificates/new/", {"q": "cajou"}, **FR).content.decode()
    assert 'value="08013100"' in offered and 'value="08013200"' not in offered
