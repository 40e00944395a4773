"""French as a French reader expects it (issue 23, point 7), checked on the texts themselves: one kind of
apostrophe (’) in every French catalogue entry and help page, no "(e)" of an undecided gender ("Aucun(e)")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from core.tests.test_translations import CATALOGUES

BASE = Path(settings.BASE_DIR)
HELP_PAGES = sorted([*BASE.glob("*/templates/*/help/fr/*.html"), *BASE.glob("*/templates/*/*/help/fr/*.html")])
# Two entries keep the straight apostrophe: the legal-value and form-table tests, whose assertions may not be
# changed, quote them so (test_legal_value_api.py, test_form_2021_2306_sps_lines.py).
PINNED = ("ne certifie pas l'exportateur", "n'est ni biologique ni en conversion")
WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
UNDECIDED = re.compile(r"\w\((?:e|es|s|e\)s)\)")  # "Aucun(e)", "rattaché(e)", "sûr(e)"


def msgstrs(po: Path) -> list[str]:
    """Each French text of the catalogue, its continuation lines joined."""
    texts, current = [], None
    for line in po.read_text(encoding="utf-8").split("\n"):
        if line.startswith("msgstr"):
            current = [line.split(" ", 1)[1].strip('"')]
            texts.append(current)
        elif line.startswith('"') and current is not None:
            current.append(line.strip('"'))
        else:
            current = None
    return ["".join(parts) for parts in texts]


@pytest.mark.parametrize(
    "po", CATALOGUES, ids=lambda po: po.relative_to(BASE).parts[0] if len(po.relative_to(BASE).parts) == 5 else "site"
)
def test_it_writes_every_french_apostrophe_the_same_way(po: Path) -> None:
    straight = [t for t in msgstrs(po) if WORD_APOSTROPHE.search(t) and not any(p in t for p in PINNED)]
    assert straight == []


@pytest.mark.parametrize("page", HELP_PAGES, ids=lambda p: p.name)
def test_it_writes_the_apostrophes_of_the_french_help_the_same_way(page: Path) -> None:
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|<[^>]*>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    assert WORD_APOSTROPHE.findall(text) == []


@pytest.mark.parametrize(
    "po", CATALOGUES, ids=lambda po: po.relative_to(BASE).parts[0] if len(po.relative_to(BASE).parts) == 5 else "site"
)
def test_it_never_leaves_a_gender_undecided(po: Path) -> None:
    assert [t for t in msgstrs(po) if UNDECIDED.search(t)] == []


def test_it_says_aucun_and_deconnecte_over_the_libraries_words(db: None) -> None:
    """Django's admin catalogue says 'Aucun(e)' for "None", allauth 'déconnecté(e)': the site's own French wins."""
    with translation.override("fr"):
        assert translation.gettext("None") == "Aucun"
        assert translation.gettext("You have signed out.") == "Déconnexion effectuée."
        assert translation.gettext("Are you sure you want to sign out?") == "Voulez-vous vraiment vous déconnecter ?"


def test_it_says_so_at_log_out(client: Client, django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(email="isabelle@acme-bio.example", password="x", language="fr")
    client.force_login(user)
    response = client.post("/accounts/logout/", follow=True)
    page = response.content.decode()
    assert "Déconnexion effectuée." in page and "(e)" not in page
