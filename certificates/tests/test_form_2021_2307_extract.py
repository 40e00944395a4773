"""The extract of a 2021/2306 COI (Annex to Implementing Reg. (EU) 2021/2307): its own page and its own sealed
PDF, laid out as the extract's model, its 13 boxes at their numbers with the titles of the extract's box table
(`certificates/coi_forms/form_2021_2306.py`, EXTRACT_BOXES), in the reader's language."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from certificates.coi_forms import FORMS, FormCode
from certificates.coi_forms.choices import OrganicStatus
from certificates.models import CommodityLine
from certificates.outputs.pdf import render_pdf
from certificates.outputs.seal import check_seal
from certificates.statuses import COIStatus
from certificates.workflow import extracts
from certificates.workflow import release as steps

from .workflow_world import code, make_flow

pytestmark = pytest.mark.django_db
EXTRACT_BOXES = FORMS[FormCode.R2021_2306].extract_boxes


@pytest.fixture
def flow(world):
    world.form = FormCode.R2021_2306
    return make_flow(world)


@pytest.fixture
def seal_files(pki_seal):
    """The seal of the trial PKI: key in SoftHSM2, timestamped, validation data embedded (PAdES B-LT)."""
    return pki_seal


def pdftotext(pdf: bytes, *options: str) -> str:
    done = subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def extract_of(flow: Any, status: str) -> Any:
    """An extract of a 2021/2306 COI ("part of the consignment can be released"), brought to `status`."""
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    CommodityLine.objects.filter(commodity__certificate=base).update(organic_status=OrganicStatus.IN_CONVERSION)
    extract = flow.extract(base, packages=10, weight="200")
    if status == COIStatus.DRAFT:
        return extract
    extract = extracts.submit_extract(flow.person(flow.w.importer), extract.pk)
    if status == COIStatus.DESCRIPTION_COMPLETED:
        return extract
    agent = flow.person(flow.w.inao_agent)
    return steps.decide_box_30(agent, extract.pk, decision=status, place="Le Havre")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_prints_the_13_boxes_of_the_extract_at_their_numbers_in_the_reader_s_language(flow, seal_files, language):
    extract = extract_of(flow, COIStatus.RELEASED_IN_CONVERSION)
    document = render_pdf(extract.pk, language)
    text = pdftotext(document.content, "-layout")
    with translation.override(language):
        titles = [f"{box.number}.{box.title}" for box in EXTRACT_BOXES]
        model = str(FORMS[FormCode.R2021_2306].extract_title)
    assert [t for t in titles if flat(t) not in flat(text)] == []
    assert flat(model) in flat(text)
    # Only the extract's boxes: none of the COI's boxes 14 to 31.
    assert re.findall(r"^\s*(\d{1,2})\.\s", text, re.MULTILINE) == [str(n) for n in range(1, 14)]
    assert extract.number in text and extract.base.number in text
    released = "To be released as in-conversion" if language == "en" else "conversion"
    assert flat(released) in flat(text)
    in_conversion = "In-conversion" if language == "en" else "En conversion"
    assert in_conversion in text  # box 11, per line, as in box 13 of the COI
    # Box 11: the batch's net weight and the original consignment's, as the reader writes numbers.
    assert flat("200 kg") in flat(text)
    assert flat("9,000 kg" if language == "en" else "9 000 kg") in flat(text)
    assert document.sealed and check_seal(document.content).intact


def test_it_seals_the_extract_s_pdf_only_once_box_12_is_signed(flow, seal_files):
    extract = extract_of(flow, COIStatus.DESCRIPTION_COMPLETED)
    document = render_pdf(extract.pk, "en")
    assert not document.sealed and not check_seal(document.content).sealed
    text = pdftotext(document.content)
    assert flat("Net weight of the original consignment") in flat(text)
    assert "Not signed." in text


def test_it_shows_the_13_boxes_and_the_workflow_panel_on_the_extract_s_page(flow):
    extract = extract_of(flow, COIStatus.DESCRIPTION_COMPLETED)
    client = Client()
    client.force_login(flow.w.inao_agent)
    page = client.get(f"/certificates/{extract.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for box in EXTRACT_BOXES:
        assert f'id="box-{box.number}"' in page, box.number
        assert f"Box {box.number}: {box.title}" in page
    assert 'id="box-14"' not in page
    assert f"Extract {extract.number}" in page
    assert 'id="form-decide-30"' in page and "Box 12 of the extract" in page
    r = client.post(
        f"/certificates/{extract.pk}/workflow/decide-30/",
        {"decision": "released_organic", "place": "Le Havre", "code": code()},
    )
    assert r.status_code == 302
    flow.w.consignee.language = "fr"
    flow.w.consignee.save(update_fields=["language"])
    client.force_login(flow.w.consignee)
    page = client.get(f"/certificates/{extract.pk}/").content.decode()
    with translation.override("fr"):
        assert escape(str(EXTRACT_BOXES[11].title)) in page
    assert 'id="form-sign-31"' in page
    assert "À mettre en libre pratique en tant que produit biologique" in page


def test_it_keeps_a_lot_number_on_one_line_in_the_extract_s_narrow_table(flow):
    """Box 11 of the extract has seven narrow columns: "BIO-2026-0412-A" is read (and copied) whole, never
    broken at its hyphens over two lines, on the extract's page and in its PDF."""
    extract = extract_of(flow, COIStatus.DRAFT)
    CommodityLine.objects.filter(commodity__certificate=extract).update(lot_number="BIO-2026-0412-A")
    text = pdftotext(render_pdf(extract.pk, "fr").content, "-layout")
    assert "BIO-2026-0412-A" in text
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(flow.w.importer)
    page = client.get(f"/certificates/{extract.pk}/").content.decode()
    assert '<td class="code">BIO-2026-0412-A</td>' in page
