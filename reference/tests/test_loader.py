from __future__ import annotations

import time

from django.core.management import call_command

from reference.loader import LoadResult, load_base
from reference.models import CnCode, CnWord


def test_it_loads_the_base(cn_codes: LoadResult) -> None:
    assert cn_codes.created == CnCode.objects.count() > 1500
    assert CnCode.objects.filter(level=8).count() >= 390
    cashew = CnCode.objects.get(code="08013200")
    assert cashew.description_fr == "Noix de cajou, fraîches ou sèches, sans coques"
    assert cashew.parent.code == "080132" and cashew.parent.parent.code == "0801"
    assert cashew.selectable and cashew.in_force and cashew.categories == "A"
    assert not CnCode.objects.get(code="080132").selectable  # it has eight-digit children
    assert not CnCode.objects.get(code="0801").selectable
    assert CnCode.objects.get(code="09").description_fr == "Café, thé, maté et épices"


def test_it_is_idempotent(cn_codes: LoadResult) -> None:
    words = CnWord.objects.count()
    again = load_base()
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    assert again.in_force == cn_codes.in_force and again.selectable == cn_codes.selectable
    assert CnWord.objects.count() == words


def test_the_command_reports(db: None, capsys) -> None:
    start = time.monotonic()
    call_command("load_cn")
    assert time.monotonic() - start < 10
    assert "created" in capsys.readouterr().out
