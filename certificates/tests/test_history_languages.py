"""A step's own words in a COI's history read in the reader's language (issue 24, fault 1's kind): "Extract of
COI …", "Split into …", "Replaced by COI …" and the like are stored as msgids with their values
(`HistoryEntry.said`), not in the language of the person who took the step; what that person typed (a note, the
quantities taken) follows as typed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from certificates import services
from certificates.statuses import COIStatus
from certificates.workflow import release

from .factories import member_of
from .workflow_world import make_flow, make_flow_2021_2306, two_factor

pytestmark = pytest.mark.django_db


def test_it_shows_an_extract_s_history_in_the_reader_s_language(world):
    flow = make_flow(world)
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    line = base.commodities.first().lines.first()
    page = Client()
    page.force_login(flow.w.importer)  # the importer writes in English
    form = {"consignee": str(flow.w.foods.pk), f"packages_{line.pk}": "10", f"weight_{line.pk}": "1234.5"}
    assert page.post(f"/certificates/{base.pk}/workflow/extract/", form).status_code == 302
    extract = base.extracts.get()
    flow.w.importer.language = "fr"
    flow.w.importer.save(update_fields=["language"])
    shown = page.get(f"/certificates/{extract.pk}/").content.decode()
    history = shown[shown.index('id="history"') :]
    # The lots taken too: their numbers as a French reader writes them, on the extract's history and the base's.
    assert f"Extrait du COI {base.number}. {line.lot_number} : 10 / 1\u202f234,5 kg" in history
    assert "Extract of COI" not in history and "1234.5" not in history
    base_page = page.get(f"/certificates/{base.pk}/").content.decode()
    assert f"{line.lot_number} : 10 / 1\u202f234,5 kg" in base_page[base_page.index('id="history"') :]
    # The base's checks (box 18), recorded by an English-speaking control body, read in French too.
    shown = page.get(f"/certificates/{base.pk}/").content.decode()
    history = shown[shown.index('id="history"') :].replace("&nbsp;", "\u00a0")
    assert "Contrôle documentaire : Acceptable. Contrôle physique : Non effectué." in history
    assert "Documentary check" not in history


def test_it_tells_and_records_box_25_and_box_23_s_withdrawal_in_each_reader_s_language(world):
    """The same kind in what a step writes for others: box 25's declaration in the COI's history and in the
    notices' emails, and the withdrawal of box 23 when box 10 changes, read in French by a French reader though
    an English-speaking authority and importer took the steps."""
    flow = make_flow_2021_2306(world)
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    for user in (flow.w.importer, flow.w.inao_agent):
        user.language = "fr"
        user.save(update_fields=["language"])
    english_agent = member_of(flow.w.inao, email="agent.en@inao.example")
    two_factor(english_agent)
    release.verify_box_23(flow.person(english_agent), coi.pk, place="Le Havre")
    mail.outbox.clear()
    english_importer = member_of(flow.w.acme, email="importer.en@acme-bio.example")
    services.update_boxes(flow.person(english_importer), coi.pk, {"point_of_entry_kind": "release_point"})
    (withdrawn,) = [m for m in mail.outbox if m.to == [flow.w.inao_agent.email]]
    assert "La case 10 a changé : la vérification de la case 23 est retirée." in withdrawn.body.replace("\u00a0", " ")
    assert "verification of box 23 is withdrawn" not in withdrawn.body
    mail.outbox.clear()
    release.sign_box_25(flow.person(english_agent), coi.pk, documentary="satisfactory", selected="no", place="Le Havre")
    french = "Contrôles documentaires : Satisfaisant. Sélectionné pour des contrôles d’identité et physiques : non."
    (told,) = [m for m in mail.outbox if m.to == [flow.w.importer.email]]
    assert french in told.body.replace("\u00a0", " ")
    page = Client()
    page.force_login(flow.w.importer)
    shown = page.get(f"/certificates/{coi.pk}/").content.decode()
    history = shown[shown.index('id="history"') :].replace("&nbsp;", " ").replace("\u00a0", " ")
    assert french in history and "La case 10 a changé : la vérification de la case 23 est retirée." in history
    assert "Documentary checks" not in history
    # Box 25's signature keeps the declaration as its signer read and signed it.
    assert coi.signatures.get(box="25").declaration.startswith("Documentary checks: Satisfactory.")
