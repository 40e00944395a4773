"""Box 2 of the 2021/2306 form: the four procedures of Reg. (EU) 2018/848 (Arts 46, 48, 57, 47), offered on the
edit page and the API, stored, shown on the page, the PDF, the API and the SPS XML, and refused at box 2 when
box 1 and the products give another one, or for Art. 57 once its recognitions ended (31 December 2024)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from accounts.models import ApiToken
from certificates.coi_forms import FormCode
from certificates.inputs import sps_import
from certificates.models import Certificate
from certificates.outputs import sps
from certificates.outputs.pdf import render_pdf
from certificates.statuses import COIStatus

pytestmark = pytest.mark.django_db
ART_57 = "equivalent_control_body"
ENDED = (
    "The recognitions of control bodies for equivalence (art. 57 of Regulation (EU) 2018/848) ended on 31 December 2024"
)


@pytest.fixture
def draft(world: Any) -> Certificate:
    world.form = FormCode.R2021_2306
    return world.draft()


@pytest.fixture
def recognitions_running(monkeypatch: Any) -> None:
    """The data's end of the Art. 57 recognitions moved after today, as it stood before 2025."""
    monkeypatch.setattr("reference.procedures.EQUIVALENT_CONTROL_BODIES_UNTIL", datetime.date(2100, 1, 1))


def api(world: Any, method: str, path: str, body: Any = None) -> Any:
    _token, secret = ApiToken.issue(world.importer, "test")
    call = getattr(Client(), method)
    extra = {"content_type": "application/json"} if body is not None else {}
    return call(f"/api/v1/certificates{path}", body, HTTP_AUTHORIZATION=f"Bearer {secret}", **extra)


def test_it_offers_the_four_procedures_on_the_edit_page_of_a_2021_2306_coi_only(world: Any, draft: Certificate):
    client = Client()
    client.force_login(world.importer)
    page = client.get(f"/certificates/{draft.pk}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="procedure"' in page
    for label in (
        "art. 46 of Regulation (EU) 2018/848",
        "art. 48 of Regulation (EU) 2018/848",
        "art. 57 of Regulation (EU) 2018/848",
        "art. 47 of Regulation (EU) 2018/848",
    ):
        assert label in page, label
    world.form = FormCode.R1235_2008
    guides = world.draft()
    page = client.get(f"/certificates/{guides.pk}/edit/").content.decode()
    assert 'name="procedure"' not in page


def test_it_refuses_art_57_now_at_box_2_on_the_page_keeping_what_was_typed(world: Any, draft: Certificate):
    client = Client()
    client.force_login(world.importer)
    r = client.post(
        f"/certificates/{draft.pk}/edit/",
        {"procedure": ART_57, "national_reference": "REF-57"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 422
    page = r.content.decode()
    box_2 = page[page.index('id="box-2"') : page.index('id="box-3"')]
    assert ENDED in box_2
    assert f'<option value="{ART_57}" selected>' in box_2  # the tick as typed
    assert 'value="REF-57"' in page  # and the rest as typed; nothing of the edit stored
    draft.refresh_from_db()
    assert (draft.procedure, draft.national_reference) == ("compliance", "")


def test_it_refuses_in_french_a_procedure_box_1_does_not_give(world: Any, draft: Certificate):
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    client = Client()
    client.force_login(world.importer)
    page = client.post(f"/certificates/{draft.pk}/edit/", {"procedure": "trade_agreement"}).content.decode()
    box_2 = page[page.index('id="box-2"') : page.index('id="box-3"')]
    assert "La case 1 et les produits donnent" in box_2
    draft.refresh_from_db()
    assert draft.procedure == "compliance"


def test_it_refuses_through_the_api_at_box_2(world: Any, draft: Certificate):
    r = api(world, "patch", f"/{draft.pk}", {"procedure": ART_57, "national_reference": "REF-57"})
    assert r.status_code == 422 and ENDED in r.json()["boxes"]["2"][0]
    draft.refresh_from_db()
    assert (draft.procedure, draft.national_reference) == ("compliance", "")
    r = api(world, "post", "", {"form": "2021/2306", **world.complete_data(), "procedure": "trade_agreement"})
    assert r.status_code == 201 and r.json()["procedure"] == "compliance"
    assert r.json()["problems"]["2"][0].startswith("Box 1 and the products give Compliance")
    r = api(world, "patch", f"/{draft.pk}", {"procedure": "article_99"})
    assert r.status_code == 422 and r.json()["boxes"]["2"] == ["article_99 is not among the choices."]
    world.form = FormCode.R1235_2008
    guides = world.draft()
    r = api(world, "patch", f"/{guides.pk}", {"procedure": "trade_agreement"})  # the guides' box 2 is derived
    assert r.status_code == 200 and r.json()["procedure"] == "compliance"
    fields = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]["BoxesIn"]["properties"]
    assert "2021/2306: box 2 (Procedure pursuant to Regulation (EU) 2018/848)" in fields["procedure"]["description"]


def test_it_stores_art_57_and_shows_it_everywhere_while_the_recognitions_ran(
    world: Any, draft: Certificate, recognitions_running: None
):
    r = api(world, "patch", f"/{draft.pk}", {"procedure": ART_57})
    assert r.status_code == 200 and r.json()["procedure"] == ART_57, r.content
    r = api(world, "patch", f"/{draft.pk}", {"national_reference": "REF-2"})
    assert r.json()["procedure"] == ART_57  # kept when other boxes change: never re-derived over the tick
    label = "Equivalent control authority or control body, art. 45(1)(b)(iii) and art. 57"
    client = Client()
    client.force_login(world.importer)
    assert label in client.get(f"/certificates/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(draft.pk, "en").content)).pages)
    assert label in text.replace("\n", " ")
    xml = sps.build(draft.pk)
    assert f"<ram:Content>{ART_57}</ram:Content>".encode() in xml
    new, problems = sps_import.import_draft(xml, world.person(world.importer), world.membership(world.importer))
    assert new is not None and new.procedure == ART_57, problems


def test_it_refuses_art_57_from_an_sps_import_at_box_2(world: Any, draft: Certificate, monkeypatch: Any):
    monkeypatch.setattr("reference.procedures.EQUIVALENT_CONTROL_BODIES_UNTIL", datetime.date(2100, 1, 1))
    api(world, "patch", f"/{draft.pk}", {"procedure": ART_57})
    xml = sps.build(draft.pk)
    monkeypatch.undo()  # today: the recognitions ended
    new, problems = sps_import.import_draft(xml, world.person(world.importer), world.membership(world.importer))
    assert new is not None and new.procedure == "compliance"
    assert [(p.box, p.message[: len(ENDED)]) for p in problems if p.box == "2"] == [("2", ENDED)]


def test_it_keeps_the_derived_procedure_through_issue(world: Any, draft: Certificate):
    coi = world.submitted()
    assert coi.procedure == "compliance" and coi.status == COIStatus.DESCRIPTION_COMPLETED
