"""The outputs are offered where people look for them: export links on the list, PDF and XML on a COI."""

from __future__ import annotations

from typing import Any


def test_the_list_offers_its_exports_with_its_filters(world: Any, client: Any) -> None:
    world.submitted()
    client.force_login(world.importer)
    page = client.get("/certificates/?status=description_completed").content.decode()
    assert "/certificates/export.csv?status=description_completed" in page
    assert "/certificates/export.xlsx?status=description_completed" in page


def test_a_coi_offers_its_pdf_and_sps_xml(world: Any, client: Any) -> None:
    coi = world.submitted()
    client.force_login(world.importer)
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert f"/certificates/{coi.pk}/pdf?lang=fr" in page
    assert f"/api/v1/certificates/{coi.pk}/sps.xml" in page
