from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reference.loader import LoadResult
from reference.nomenclature import categories_for, cn_categories, cn_tree, search_cn


def codes(results: list) -> list[str]:
    return [cn.code for cn in results]


def test_it_finds_cashew_by_its_french_name(cn_codes: LoadResult) -> None:
    found = codes(search_cn("cajou", "fr"))
    assert {"08013100", "08013200"} <= set(found)
    assert "20081992" not in found  # prepared tropical nuts say "fruits à coques tropicaux", not "cajou"
    assert "08013200" in codes(search_cn("Noix de cajou sans coques", "fr"))
    assert codes(search_cn("NOIX DE CAJOU", "fr")) == codes(search_cn("noix de cajou", "fr"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe", "09011100"),  # Café, même torréfié ou décaféiné ... : non décaféiné
        ("Café", "09011100"),
        ("CAFÉ torréfié", "09012100"),
        ("dattes", "08041000"),
        ("noix", "08011100"),
        ("oeufs", "04071100"),  # œufs
        ("huile olive vierge", "15092000"),
        ("miel", "04090000"),
        ("quinoa", "10085000"),
    ],
)
def test_it_finds_french_names_whatever_the_accents_and_case(cn_codes: LoadResult, query: str, expected: str) -> None:
    assert expected in codes(search_cn(query, "fr", limit=50))


def test_it_searches_in_the_active_language_when_none_is_given(cn_codes: LoadResult) -> None:
    with translation.override("fr"):
        assert "08013200" in codes(search_cn("cajou"))
    with translation.override("en"):
        assert search_cn("cajou") == []
        assert "08013200" in codes(search_cn("cashew"))


def test_it_finds_cashew_by_its_english_name(cn_codes: LoadResult) -> None:
    assert "08013200" in codes(search_cn("cashew shelled", "en"))
    assert "08013200" in codes(search_cn("cashew", "en"))
    assert search_cn("cajou", "en") == []


def test_it_finds_codes_by_prefix_whatever_the_spacing(cn_codes: LoadResult) -> None:
    assert codes(search_cn("0801 32", "fr")) == ["08013200"]
    assert codes(search_cn("0801.32.00", "en")) == ["08013200"]
    assert codes(search_cn("0801", "en", limit=3)) == ["08011100", "08011200", "08011900"]


def test_it_offers_selectable_codes_only(cn_codes: LoadResult) -> None:
    assert "080132" not in codes(search_cn("080132", "en"))
    assert codes(search_cn("09", "en", limit=500)) and all(len(c) == 8 for c in codes(search_cn("09", "en", limit=500)))


def test_it_searches_with_one_query_whatever_the_words(cn_codes: LoadResult) -> None:
    for query in ["cajou", "noix de cajou sans coques", "quinoa", "0801 32", "huile olive vierge extra"]:
        with CaptureQueriesContext(connection) as ctx:
            search_cn(query, "fr")
        assert len(ctx.captured_queries) == 1, query


def test_it_browses_level_by_level(cn_codes: LoadResult) -> None:
    chapters = codes(cn_tree(None))
    assert chapters[:3] == ["01", "02", "03"] and "09" in chapters
    assert "0801" in codes(cn_tree("08"))
    assert codes(cn_tree("2008"))[:2] == ["200811", "200819"]
    assert codes(cn_tree("200819"))[:2] == ["20081912", "20081913"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("08013200", {"A"}),  # cashew nuts
        ("09011100", {"A"}),  # green coffee
        ("09012100", {"D"}),  # roasted coffee
        ("09041200", {"D"}),  # ground pepper
        ("04090000", {"B"}),  # honey
        ("0302 14 00", {"C"}),  # salmon
        ("12122100", {"C"}),  # seaweeds
        ("15092000", {"D"}),  # olive oil
        ("15159099", {"D"}),  # argan oil
        ("18010000", {"A"}),  # cocoa beans
        ("18063100", {"D"}),  # chocolate
        ("23040000", {"E"}),  # soya-bean meal
        ("12099180", {"F"}),  # vegetable seeds for sowing
        ("06022080", {"F"}),  # fruit trees and shrubs, other
        ("12074010", {"F"}),  # sesame for sowing
        ("12074090", {"A"}),  # sesame
        ("10085000", {"A"}),  # quinoa
        ("84713000", set()),  # laptops: no organic category
    ],
)
def test_categories_follow_the_code(code: str, expected: set[str]) -> None:
    assert categories_for(code) == expected


def test_loaded_categories_are_stored_and_inherited(cn_codes: LoadResult) -> None:
    from reference.models import CnCode

    assert CnCode.objects.get(code="23040000").categories == "E"
    CnCode.objects.filter(code="20081992").update(categories="")
    CnCode.objects.filter(code="200819").update(categories="A")
    assert cn_categories(["2008 19 92"]) == {"A"}
    assert cn_categories(["08013200", "23040000", "04090000"]) == {"A", "B", "E"}
