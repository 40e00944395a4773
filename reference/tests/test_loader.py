from __future__ import annotations

import csv
import time

from django.core.management import call_command
from django.utils import translation

from reference.loader import DATA_DIR, LoadResult, load, load_base, refresh_paths, shipped_entries
from reference.models import CnCode


def official_codes(year: int) -> set[str]:
    with open(DATA_DIR / f"cn{year}_agrifood.csv", encoding="utf-8", newline="") as f:
        return {row["cn8"] for row in csv.DictReader(f)}


def test_it_loads_every_code_of_the_official_file(cn_codes: LoadResult) -> None:
    leaves = set(CnCode.objects.filter(level=8).values_list("code", flat=True))
    assert leaves == official_codes(2026) and len(leaves) == 2646
    assert set(CnCode.objects.filter(selectable=True).values_list("code", flat=True)) == leaves
    cashew = CnCode.objects.get(code="08013200")
    assert cashew.description_en == "Shelled" and cashew.description_fr == "sans coques"
    assert cashew.parent.code == "0801" and cashew.parent.parent.code == "08"
    assert cashew.in_force and cashew.categories == "A"
    assert not CnCode.objects.get(code="0801").selectable
    assert CnCode.objects.get(code="09").description_fr == "Café, thé, maté et épices"


def test_it_shows_the_path_in_the_readers_language(cn_codes: LoadResult) -> None:
    cashew = CnCode.objects.get(code="08013200")
    with translation.override("fr"):
        assert cashew.path == (
            "Noix de coco, noix du Brésil et noix de cajou, fraîches ou sèches, même sans leurs coques ou "
            "décortiquées\u00a0: Noix de cajou\u00a0: sans coques"
        )
        assert str(cashew).startswith("0801 32 00 Noix de coco")
        # Heading, six-digit subheading and leaf; French spaces before ';' and ':'.
        coffee = CnCode.objects.get(code="09011100").path
        assert coffee.startswith("Café, même torréfié ou décaféiné\u202f; coques") and coffee.endswith(
            "\u00a0: non décaféiné"
        )
        jam = CnCode.objects.get(code="20079910").path  # heading, the dash lines between, leaf
        assert "\u00a0: autres\u00a0: d'une teneur en sucres excédant 30\u00a0% en poids\u00a0: Purées" in jam
    with translation.override("en"):
        assert cashew.path == (
            "Coconuts, Brazil nuts and cashew nuts, fresh or dried, whether or not shelled or peeled: Cashew nuts: Shelled"
        )
    # A heading without its own text upstream is named by its only code, and said once.
    assert CnCode.objects.get(code="04090000").path_fr == "Miel naturel"


def test_it_is_idempotent(cn_codes: LoadResult) -> None:
    again = load_base()
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    assert again.in_force == cn_codes.in_force and again.selectable == cn_codes.selectable


def test_it_retires_codes_of_no_official_list_and_keeps_them(cn_codes: LoadResult) -> None:
    """A code written from memory (not in the CN) stays for the certificates that used it, out of force."""
    entries = shipped_entries(2026)
    CnCode.objects.create(code="08013300", level=8, description_en="Made up", in_force=True, selectable=True)
    result = load(entries)
    invented = CnCode.objects.get(code="08013300")
    assert result.retired == 1 and not invented.in_force and not invented.selectable
    assert CnCode.objects.filter(code="08013300").exists()


def test_it_loads_the_2025_texts_and_falls_back_to_english(db: None) -> None:
    result = load_base(2025)
    assert result.in_force > 3000 and CnCode.objects.filter(level=8).count() == 2646
    untranslated = CnCode.objects.filter(level=8, description_fr="")
    assert untranslated.count() == 30
    with translation.override("fr"):
        leaf = untranslated.first()
        assert leaf.path.endswith(leaf.description_en)


def test_the_command_reports_and_is_fast(db: None, capsys) -> None:
    start = time.monotonic()
    call_command("load_cn")
    assert time.monotonic() - start < 10
    assert "CN 2026: 3385 created" in capsys.readouterr().out


def test_an_edited_description_reaches_the_paths_and_the_search(cn_codes: LoadResult) -> None:
    CnCode.objects.filter(code="0801").update(description_fr="Noix de coco, du Brésil et de cajou")
    assert refresh_paths() == CnCode.objects.filter(code__startswith="0801").count()
    with translation.override("fr"):
        assert (
            CnCode.objects.get(code="08013200").path
            == "Noix de coco, du Brésil et de cajou\u00a0: Noix de cajou\u00a0: sans coques"
        )
    assert refresh_paths() == 0
