"""Every box that names an operator, a control body, an authority or a point of entry is a search picker (issue 23,
point 2), on both forms, the extract's and split's consignee included; without JavaScript, its "Search" button
posts the page, which comes back with everything typed and the results; a search left without a choice is
refused at its picker (FR/EN) and nothing is saved."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from certificates import lookups
from certificates.coi_forms import FORMS, FormCode
from certificates.models import Certificate
from certificates.statuses import COIStatus
from directory.tests.factories import PointOfEntryFactory

from .workflow_world import make_flow

TRADER = "ACME Bio Foods FR, Lyon"  # as the picker shows it, comma and all


@pytest.fixture
def flow(world: Any) -> Any:
    return make_flow(world)


def client_of(user: Any, language: str = "en") -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def page_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def pickers_of(page: str) -> set[str]:
    """The fields a page draws as search pickers (a search field `<name>_q` and its "Search" button)."""
    return {m for m in re.findall(r'name="([^"]+)_q"', page) if f'value="search-{m}"' in page}


def test_it_draws_every_field_naming_a_party_body_authority_or_post_as_a_picker(flow: Any, world: Any) -> None:
    """On each form, in the statuses where the boxes are open to the importer and to the authority: each field
    of an open box that names one of them (the field table's kinds) is a picker, never a text field or a list."""
    seen: set[tuple[str, str]] = set()
    for form in (FormCode.R2021_2306, FormCode.R1235_2008):
        world.form = form
        for status, user in [
            (COIStatus.DRAFT, world.importer),
            (COIStatus.ISSUING_BODY_SIGNED, world.importer),
            (COIStatus.ISSUING_BODY_SIGNED, world.border_agent),
        ]:
            coi = flow.coi(status)
            response = client_of(user).get(f"/certificates/{coi.pk}/edit/")
            if response.status_code == 404:
                continue
            page = page_of(response)
            opened = set(re.findall(r'<section class="card box" id="box-([^"]+)"', page))
            drawn = pickers_of(page)
            for name, box in FORMS[form].typed_box_of_field.items():
                if lookups.picker_of(name) is None or box not in opened or not _editable(page, box):
                    continue
                assert name in drawn, (form, status, name)
                assert not re.search(rf'<(input type="text"|select)[^>]* name="{name}"', page), (form, name)
                seen.add((form, name))
            if "commodities" in opened and _editable(page, FORMS[form].box_of("commodities") or ""):
                assert "c-0-l-0-producer" in drawn
    assert {n for f, n in seen if f == FormCode.R2021_2306} >= {
        "control_body_code", "exporter", "traders", "point_of_entry", "validating_authority", "importer", "rfl",
        "requested_control_point", "customs_operator", "customs_operator_control_body", "first_consignee",
        "control_point",
    }  # fmt: skip
    assert {n for f, n in seen if f == FormCode.R1235_2008} >= {
        "control_body_code", "exporter", "point_of_entry", "validating_authority", "importer", "first_consignee", "rfl"
    }  # fmt: skip


def _editable(page: str, box: str) -> bool:
    section = page.split(f'id="box-{box}"')[1].split("</section>")[0]
    return 'name="' in section


@pytest.mark.parametrize(
    ("name", "query", "found"),
    [
        ("exporter", "Atlas", "Atlas Organic, Agadir (Maroc)"),
        ("traders", TRADER, "ACME Bio Foods FR, Lyon (France)"),
        ("control_body_code", "MA-BIO", "MA-BIO-154 ECOCERT SA (France)"),
        ("point_of_entry", "havre", "Le Havre (France, FRLEH)"),
        ("validating_authority", "INAO", "INAO (France)"),
        ("importer", "ACME", "ACME Bio Imports FR"),
    ],
)
def test_it_searches_without_javascript_and_keeps_what_was_typed(
    world: Any, settings: Any, name: str, query: str, found: str
) -> None:
    settings.COI_FORM_DEFAULT = FormCode.R2021_2306
    PointOfEntryFactory(code="FRMRS", name="Marseille", authority=world.douane)  # two posts: none offered
    client = client_of(world.importer, "fr")
    response = client.post(
        "/certificates/new/form/",
        {"action": f"search-{name}", f"{name}_q": query, "national_reference": "REF, typée", "c-0-cn": "08013200"},
    )
    page = page_of(response)
    assert response.status_code == 200
    results = page.split(f'id="{name}-results"')[1].split("</div>")[0]
    assert found in results and f'name="{name}"' in results
    assert f'name="{name}_q" value="{query}"' in page  # the search as typed, its comma kept
    assert 'value="REF, typée"' in page
    assert not Certificate.objects.exists()


def test_it_chooses_a_trader_for_box_6_without_javascript(world: Any) -> None:
    world.form = FormCode.R2021_2306
    coi = world.draft()
    client = client_of(world.importer, "fr")
    posted = {"action": "save", "present-traders": "1", "traders": str(world.foods.pk), "traders_q": TRADER}
    response = client.post(f"/certificates/{coi.pk}/edit/", posted)
    assert response.status_code == 302
    coi.refresh_from_db()  # the draft's own copy had loaded box 6 (empty) when it was made: read what is stored
    assert list(coi.traders.all()) == [world.foods]
    page = page_of(client.get(f"/certificates/{coi.pk}/edit/"))
    assert f'name="traders" value="{world.foods.pk}" checked' in page
    posted = {"action": "save", "present-traders": "1"}  # every box unticked: box 6 emptied
    assert client.post(f"/certificates/{coi.pk}/edit/", posted).status_code == 302
    coi.refresh_from_db()
    assert not coi.traders.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", f"Vous avez cherché « {TRADER} » sans choisir : choisissez l’un des résultats, ou videz la recherche."),
        ("en", f"You searched for “{TRADER}” without choosing: choose one of the results, or empty the search."),
    ],
)
def test_it_refuses_a_search_left_without_a_choice_at_its_picker(world: Any, language: str, message: str) -> None:
    world.form = FormCode.R2021_2306
    coi = world.draft(national_reference="NAT-1")
    client = client_of(world.importer, language)
    posted = {"action": "save", "present-traders": "1", "traders_q": TRADER, "national_reference": "NAT-2, typed"}
    response = client.post(f"/certificates/{coi.pk}/edit/", posted)
    page = page_of(response).replace("\u00a0", " ").replace("\u202f", " ")
    assert response.status_code == 422
    picker = page.split('id="traders-picker"')[1].split('id="traders-results"')[0]
    assert message in picker and 'aria-invalid="true"' in picker
    assert f'name="traders_q" value="{TRADER}"' in page and 'value="NAT-2, typed"' in page
    assert "ACME Bio Foods FR, Lyon (France)" in page.split('id="traders-results"')[1]  # the choices, at hand
    coi.refresh_from_db()
    assert coi.national_reference == "NAT-1" and not coi.traders.exists()  # nothing saved


def test_it_keeps_a_chosen_operator_when_the_search_found_it(world: Any) -> None:
    """With JavaScript, the person types, the results come, they tick one: the search is resolved."""
    world.form = FormCode.R2021_2306
    coi = world.draft()
    posted = {"action": "save", "customs_operator": str(world.transit.pk), "customs_operator_q": "transit"}
    flow = make_flow(world)
    issued = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    response = client_of(world.importer).post(f"/certificates/{issued.pk}/edit/", posted)
    assert response.status_code == 302, page_of(response)[:3000]
    issued.refresh_from_db()
    assert issued.customs_operator == world.transit
    assert coi.pk != issued.pk


def test_it_searches_the_consignee_of_an_extract_without_javascript(flow: Any, world: Any) -> None:
    world.form = FormCode.R2021_2306
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    line = base.commodities.first().lines.first()
    client = client_of(world.importer, "fr")
    posted = {"action": "search-consignee", "consignee_q": "Foods, Lyon", f"packages_{line.pk}": "3"}
    response = client.post(f"/certificates/{base.pk}/", posted)
    page = page_of(response)
    assert response.status_code == 200
    form = page.split('id="form-extract"')[1].split("</form>")[0]
    assert f'name="consignee" value="{world.foods.pk}"' in form.split('id="consignee-results"')[1]
    assert 'name="consignee_q" value="Foods, Lyon"' in form and f'name="packages_{line.pk}"' in form
    assert 'value="3"' in form
    extracts = Certificate.objects.filter(base=base).count()
    posted = {"consignee_q": "Foods, Lyon", f"packages_{line.pk}": "3"}  # no consignee chosen
    response = client.post(f"/certificates/{base.pk}/workflow/extract/", posted)
    page = page_of(response).replace("\u00a0", " ").replace("\u202f", " ")
    assert response.status_code == 422
    assert "Vous avez cherché « Foods, Lyon » sans choisir" in page.split('id="form-extract"')[1]
    assert Certificate.objects.filter(base=base).count() == extracts
