"""One French term per thing, the guides' term (issue 13, 4): the RFL is the "intéressé au chargement" (guide 000,
3.2 and 3.3; guide 001, 2.3) in every French text of the site: catalogues and French help pages."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

RFL = re.compile(r"\bRFL\b|chargement", re.IGNORECASE)
TERM = re.compile(r"intéressée?s? au chargement", re.IGNORECASE)  # agreed in gender and number


def french_texts() -> list[tuple[str, str]]:
    """(where, text) for every French message of our apps and every French help page."""
    texts: list[tuple[str, str]] = []
    for app in apps.get_app_configs():
        locale = Path(app.path) / "locale"
        if not str(app.path).startswith(str(settings.BASE_DIR)) or not (locale / "fr").exists():
            continue
        catalogue = gettext.translation("django", localedir=locale, languages=["fr"])
        texts += [(f"{app.label}: {msgid}", str(msgstr)) for msgid, msgstr in catalogue._catalog.items() if msgid]
    for page in Path(settings.BASE_DIR).glob("*/templates/*/help/fr/*.html"):
        texts.append((str(page.relative_to(settings.BASE_DIR)), page.read_text(encoding="utf-8")))
    return texts


def test_it_finds_the_texts_it_checks() -> None:
    where = [w for w, text in french_texts() if RFL.search(text)]
    assert any(w.startswith("directory:") for w in where) and any(w.startswith("certificates:") for w in where)


@pytest.mark.parametrize("where,text", [t for t in french_texts() if RFL.search(t[1])])
def test_it_calls_the_rfl_interesse_au_chargement(where: str, text: str) -> None:
    assert TERM.search(text), where
    assert "responsable du chargement" not in text.lower(), where
