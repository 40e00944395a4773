"""Every string a user sees exists in French: our catalogues are complete and compile."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

# Each app's, and the site's (LOCALE_PATHS: its own French for words of the libraries).
CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/fr/LC_MESSAGES/django.po")) + [
    Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
]


def entries(po: Path) -> list[str]:
    return [block for block in po.read_text().split("\n\n") if re.search(r'^msgid "', block, re.M)]


def test_it_has_the_catalogues_of_the_foundation() -> None:
    apps = {po.parts[-5] for po in CATALOGUES[:-1]}
    assert {"accounts", "core", "api"} <= apps


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-5])
def test_it_translates_every_entry(po: Path) -> None:
    untranslated = [
        block
        for block in entries(po)[1:]
        if "#, fuzzy" in block or re.search(r'^msgstr(\[\d\])? ""$(?!\n")', block, re.M)
    ]
    assert untranslated == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-5])
def test_it_compiles(po: Path) -> None:
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
