"""Issue 12, point 6: the PDF prints every box whatever the length of a value: the longest allowed value in
every text box, without a space, wraps inside its box; pdftotext finds every box's title and every value.
The COI page and the edit form wrap such words too (their browser test is in test_browser_long_values.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from certificates.coi_forms import FORMS, FormCode
from certificates.models import Certificate, CommodityLine, Container
from certificates.outputs.pdf import render_pdf
from directory.models import Operator

pytestmark = pytest.mark.django_db


def longest(model: type, field: str, tag: str) -> str:
    """The longest value the column takes, one word: a tag to find it by, then letters."""
    limit = model._meta.get_field(field).max_length
    return (tag + "W" * limit)[:limit]


def long_coi(world: Any, *, submitted: bool = True) -> tuple[Certificate, list[str]]:
    coi = world.submitted() if submitted else world.draft()
    values = {
        "national_reference": longest(Certificate, "national_reference", "NATREF"),
        "transport_identification": longest(Certificate, "transport_identification", "TRANSPORT"),
    }
    Certificate.objects.filter(pk=coi.pk).update(**values)
    lines = list(CommodityLine.objects.filter(commodity__certificate=coi))
    for n, line in enumerate(lines):
        line.trade_name = longest(CommodityLine, "trade_name", f"TRADE{n}")
        line.lot_number = longest(CommodityLine, "lot_number", f"LOT{n}")
        line.save()
        values[f"trade_name{n}"], values[f"lot_number{n}"] = line.trade_name, line.lot_number
    Container.objects.filter(certificate=coi).update(seals=longest(Container, "seals", "SEALS"))
    values["seals"] = longest(Container, "seals", "SEALS")
    for party in ("exporter", "importer", "first_consignee"):
        operator = getattr(coi, party)
        operator.name = longest(Operator, "name", party.upper())
        operator.address = longest(Operator, "address", f"{party.upper()}ADDR")
        operator.save()
        values[f"{party}_name"], values[f"{party}_address"] = operator.name, operator.address
    return coi, list(values.values())


def box_titles() -> list[str]:
    """The titles of the numbered boxes the guides' PDF prints (its form's table, in English)."""
    with translation.override("en"):
        return [str(box.title) for box in FORMS[FormCode.R1235_2008].printed_boxes if box.number]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_it_prints_every_box_title_and_every_longest_value(world: Any, tmp_path: Path) -> None:
    coi, values = long_coi(world)
    pdf = tmp_path / "coi.pdf"
    pdf.write_bytes(render_pdf(coi.pk, "en").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    joined = "".join(text.split())
    titles = box_titles()
    assert len(titles) == 21
    assert [t for t in titles if "".join(t.split()) not in joined] == []
    assert [v[:12] for v in values if v not in joined] == []
    # and nothing was pushed out of its box: the widest line is no wider than the page's text
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert max(len(line) for line in layout.splitlines()) < 220
