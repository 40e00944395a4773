from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def _render(text: str, **context: object) -> str:
    return Template("{% load reference %}" + text).render(Context(context))


def test_it_names_countries_in_the_readers_language() -> None:
    with translation.override("fr"):
        assert _render("{{ c|country }} / {{ cs|countries }}", c="MA", cs=["MA", "TN"]) == "Maroc / Maroc, Tunisie"
    with translation.override("en"):
        assert _render("{{ c|country }}", c="MA") == "Morocco"


def test_it_shows_labels_of_reference_codes_and_unknown_codes_as_they_are() -> None:
    with translation.override("en"):
        assert _render("{{ t|transport }}", t="vessel") == "Vessel"
        assert _render("{{ p|packaging }}", p="NOPE") == "NOPE"
        assert _render("{{ p|procedure }}", p="compliance").startswith("Compliance")
