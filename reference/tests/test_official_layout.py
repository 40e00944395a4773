from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from reference.loader import LoadResult, load_official
from reference.models import CnCode
from reference.nomenclature import search_cn

SAMPLE = Path(__file__).parent / "data" / "CN2026_sample.csv"


def test_it_updates_in_place_and_retires_what_the_new_year_lacks(cn_codes: LoadResult) -> None:
    cashew_id = CnCode.objects.get(code="08013200").pk

    result = load_official(SAMPLE)

    cashew = CnCode.objects.get(code="08013200")
    assert cashew.pk == cashew_id  # certificates still point to it
    assert cashew.description_en == "Cashew nuts, shelled (CN 2026)"
    assert cashew.description_fr == "Noix de cajou, sans coques (NC 2026)"
    assert cashew.selectable and cashew.in_force
    new = CnCode.objects.get(code="08013300")
    assert new.selectable and new.parent.code == "080133" and new.categories == "A"
    other = CnCode.objects.get(code="08011900")
    assert other.path_en == (
        "Coconuts, Brazil nuts and cashew nuts, fresh or dried, whether or not shelled or peeled: Coconuts: Other"
    )
    assert other.path_fr.endswith("décortiquées\u00a0: Noix de coco\u00a0: Autres")  # the dash line between
    coffee = CnCode.objects.get(code="09011100")
    assert not coffee.in_force and not coffee.selectable  # absent from the file: kept, no longer offered
    assert result.retired > 100 and result.created == 5  # the six-digit 080119, 080131-080133, and 08013300
    assert "09011100" not in [cn.code for cn in search_cn("coffee", "en", limit=50)]
    assert [cn.code for cn in search_cn("fictif", "fr")] == ["08013300"]


def test_it_is_idempotent(cn_codes: LoadResult) -> None:
    load_official(SAMPLE)
    again = load_official(SAMPLE)
    assert (again.created, again.updated, again.retired) == (0, 0, 0)


def test_the_command_reads_the_file(db: None, capsys) -> None:
    call_command("load_cn", file=SAMPLE)
    assert "created" in capsys.readouterr().out
    assert CnCode.objects.get(code="08013100").description_fr == "Noix de cajou, en coques"
