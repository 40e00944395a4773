"""Countries from pycountry (ISO 3166-1), named in the reader's language; the EU member states.

French names are pycountry's French (ISO 3166-1's full names, some inverted: "Corée, République de", "Groënland",
"Macau") but where French writes a country otherwise: the short names of the EU's Interinstitutional Style Guide
(list of countries), in `data/country_names_fr.csv` ("Corée du Sud", "Groenland", "Macao", "Côte d’Ivoire")."""

from __future__ import annotations

import csv
import gettext
from functools import cache
from pathlib import Path

import pycountry
from django.utils import translation

from core.collation import sorted_names

EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


FRENCH_NAMES_FILE = Path(__file__).with_name("data") / "country_names_fr.csv"


@cache
def french_names() -> dict[str, str]:
    """Code -> the French short name, where pycountry's French is not how French writes the country."""
    with FRENCH_NAMES_FILE.open(encoding="utf-8", newline="") as file:
        return {row["code"]: row["name"] for row in csv.DictReader(file)}


@cache
def _translator(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _lang(language: str | None) -> str:
    return (language or translation.get_language() or "en")[:2]


def country_name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    lang = _lang(language)
    if lang == "en":
        return getattr(country, "common_name", None) or country.name
    if lang == "fr" and country.alpha_2 in french_names():
        return french_names()[country.alpha_2]
    return _translator(lang).gettext(country.name)


def is_country(code: str) -> bool:
    return bool(code) and pycountry.countries.get(alpha_2=code.upper()) is not None


def country_choices(language: str | None = None, *, eu_only: bool = False) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the reader's language."""
    return list(_country_choices(_lang(language), eu_only))


@cache
def _country_choices(lang: str, eu_only: bool) -> tuple[tuple[str, str], ...]:
    # Names never change while the server runs: sorted once per language, not on every page.
    pairs = [
        (c.alpha_2, country_name(c.alpha_2, lang))
        for c in pycountry.countries
        if not eu_only or c.alpha_2 in EU_MEMBER_STATES
    ]
    return tuple(sorted_names(pairs, lambda pair: pair[1]))  # 'Égypte' among the E, not after 'Zimbabwe'


def is_member_state(code: str) -> bool:
    return code.upper() in EU_MEMBER_STATES
