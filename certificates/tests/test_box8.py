"""Box 8 left to "Celui de l'exportateur" is the exporter's country (guide 000, box 8: "automatiquement renseigné
par le système pour correspondre à votre sélection dans la case 4"), on the page and through the API; the
submission no longer refuses it."""

from __future__ import annotations

import pytest

from certificates.models import Certificate

from .test_api import URL, auth
from .test_pages import form_post

# Written for the guides' form (1235/2008): COIs made here through the pages or the API take it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("guides_form")]


def test_it_takes_the_exporters_country_when_box_8_is_left_to_it_on_the_page(client, world):
    client.force_login(world.importer)
    response = client.post("/certificates/new/form/", form_post(world, export_country="", action="save"))
    assert response.status_code == 302
    coi = Certificate.objects.get()
    assert coi.export_country == "MA"
    response = client.post(f"/certificates/{coi.pk}/edit/", form_post(world, export_country="", action="submit"))
    coi.refresh_from_db()
    assert response.status_code == 302 and coi.status == "description_completed"
    assert coi.number.startswith("COI.EU.MA.")


def test_it_takes_the_exporters_country_when_box_8_is_emptied_through_the_api(client, world):
    coi = world.draft(export_country="FR")
    response = client.patch(
        f"{URL}/{coi.pk}", {"export_country": ""}, content_type="application/json", **auth(world.importer)
    )
    assert response.status_code == 200, response.content
    assert response.json()["boxes"]["export_country"] == "MA"
    response = client.post(f"{URL}/{coi.pk}/submit", **auth(world.importer))
    assert response.status_code == 200, response.content
