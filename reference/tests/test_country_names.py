"""Countries as French writes them (issue 23, point 7): every country a page, PDF or export names, in French, is
its short name ("Groenland", "Macao", "Corée du Sud"), never ISO 3166's inverted full name ("Corée, République
de"), with the typographic apostrophe ("Côte d’Ivoire"); English keeps pycountry's common names."""

from __future__ import annotations

import re

import pycountry

from reference.countries import country_choices, country_name, french_names

INVERTED = re.compile(r", (?:[Îî]les?\b|[Rr]épublique\b|[ÉéEe]tat\b|Fédération\b|province\b)|\b(?:de|du|d’|d')$")


def test_it_names_every_country_as_french_writes_it() -> None:
    names = dict(country_choices("fr"))
    assert len(names) == len(pycountry.countries)
    assert [names[c] for c in ("GL", "MO", "KR", "KP", "CI", "RE", "VE")] == [
        "Groenland", "Macao", "Corée du Sud", "Corée du Nord", "Côte d’Ivoire", "La Réunion", "Venezuela",
    ]  # fmt: skip
    assert [f"{c} {n}" for c, n in names.items() if INVERTED.search(n)] == []
    assert [f"{c} {n}" for c, n in names.items() if "'" in n] == []
    assert len(set(names.values())) == len(names)  # two countries never read alike


def test_it_corrects_only_real_codes_and_only_where_pycountry_differs() -> None:
    for code, name in french_names().items():
        assert pycountry.countries.get(alpha_2=code) is not None, code
        assert country_name(code, "fr") == name


def test_it_keeps_the_english_names() -> None:
    assert country_name("GL", "en") == "Greenland"
    assert country_name("KR", "en") == "South Korea"
    assert country_name("MA", "fr") == "Maroc"
