"""A step's own words in a COI's history read in the reader's language (issue 24, fault 1's kind): "Extract of
COI …", "Split into …", "Replaced by COI …" and the like are stored as msgids with their values
(`HistoryEntry.said`), not in the language of the person who took the step; what that person typed (a note, the
quantities taken) follows as typed."""

from __future__ import annotations

import pytest
from django.test import Client

from certificates.statuses import COIStatus

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db


def test_it_shows_an_extract_s_history_in_the_reader_s_language(world):
    flow = make_flow(world)
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    line = base.commodities.first().lines.first()
    page = Client()
    page.force_login(flow.w.importer)  # the importer writes in English
    form = {"consignee": str(flow.w.foods.pk), f"packages_{line.pk}": "10", f"weight_{line.pk}": "100"}
    assert page.post(f"/certificates/{base.pk}/workflow/extract/", form).status_code == 302
    extract = base.extracts.get()
    flow.w.importer.language = "fr"
    flow.w.importer.save(update_fields=["language"])
    shown = page.get(f"/certificates/{extract.pk}/").content.decode()
    history = shown[shown.index('id="history"') :]
    assert f"Extrait du COI {base.number}. {line.lot_number}: 10 / 100 kg" in history
    assert "Extract of COI" not in history
    # The base's checks (box 18), recorded by an English-speaking control body, read in French too.
    shown = page.get(f"/certificates/{base.pk}/").content.decode()
    history = shown[shown.index('id="history"') :].replace("&nbsp;", "\u00a0")
    assert "Contrôle documentaire : Acceptable. Contrôle physique : Non effectué." in history
    assert "Documentary check" not in history
