"""Customs' operations read in the reader's language in a COI's history (issue 24, fault 1): a write-off, a
restoration and a manual change are stored as words to translate with their values (`HistoryEntry.said`), not as
the writer's English, so a French reader reads French on the COI's page, in its PDF and through the API, an
English one English; an entry written before keeps its stored note as it was."""

from __future__ import annotations

import subprocess

import pytest
from django.test import Client

from accounts.models import ApiToken
from certificates.models import HistoryEntry
from certificates.outputs.pdf import render_pdf
from certificates.workflow_records import Step

from .conftest import mrn
from .test_manual_records_contingency import set_language
from .test_write_offs import CASHEW

FRENCH = [
    f"MRN {mrn(1)} article 1 : 9\u202f500,5 kg de 08013200",
    f"MRN {mrn(1)} article 1 : 9\u202f500,5 kg (Déclaration invalidée)",
    "2 kg de 08013200, lot LOT-A, imputés manuellement\u00a0: Recompté",
]
ENGLISH = [
    f"MRN {mrn(1)} item 1: 9,500.5 kg of 08013200",
    f"MRN {mrn(1)} item 1: 9,500.5 kg (Declaration invalidated)",
    "2 kg of 08013200, lot LOT-A, written off by hand: Recompté",
]


@pytest.fixture
def operated(exchange, released, flow):
    """A write-off, its invalidation and a manual write-off, made by an English-speaking customs and agent."""
    assert exchange.declare(mrn(1), (released.number, CASHEW, "9500.5")).status_code == 201
    assert exchange.post(f"/declarations/{mrn(1)}/invalidation", {}).status_code == 200
    agent = Client()
    agent.force_login(flow.w.inao_agent)
    line = released.commodities.first().lines.first().pk
    manual = {"line": line, "direction": "write_off", "net_weight": "2", "reason": "Recompté"}
    assert agent.post(f"/customs/coi/{released.pk}/", manual).status_code == 302
    return released


def _pdf_text(coi, language):
    pdf = render_pdf(coi.pk, language).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())  # lines joined as one text, spaces as one


def test_it_shows_customs_operations_in_the_reader_s_language_on_the_page_and_through_the_api(operated, flow):
    reader = flow.w.importer
    page = Client()
    page.force_login(reader)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(reader, 'test')[1]}"}
    for language, expected in (("fr", FRENCH), ("en", ENGLISH)):
        set_language(reader, language)
        shown = page.get(f"/certificates/{operated.pk}/").content.decode()
        history = shown[shown.index('id="history"') :]
        for sentence in expected:
            assert sentence in history, (language, sentence)
        notes = [e["note"] for e in page.get(f"/api/v1/certificates/{operated.pk}/history", **headers).json()]
        assert [n for n in notes if "MRN" in n or "LOT-A" in n] == expected


def test_it_writes_customs_operations_in_the_pdf_s_language(operated):
    """The French PDF (its notes are printed in capitals: compared without case)."""
    french = _pdf_text(operated, "fr").casefold()
    for sentence in FRENCH:
        assert " ".join(sentence.split()).casefold() in french, sentence
    assert "item 1:" not in french and "written off by hand" not in french


def test_it_keeps_an_entry_written_before_as_it_was_stored(released, flow):
    HistoryEntry.objects.create(
        certificate=released, actor_name="Le Havre", step=Step.CUSTOMS_WRITE_OFF, old_status=released.status,
        new_status=released.status, note=f"MRN {mrn(9)} item 1: 10 kg of 08013200",
    )  # fmt: skip
    page = Client()
    page.force_login(flow.w.importer)
    set_language(flow.w.importer, "fr")
    assert f"MRN {mrn(9)} item 1: 10 kg of 08013200" in page.get(f"/certificates/{released.pk}/").content.decode()
