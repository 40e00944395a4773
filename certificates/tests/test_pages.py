"""The COI pages, as each creator uses them: products first, the boxes, save as draft, submit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate

from .conftest import CREATORS

# Written for the guides' form (1235/2008): COIs made here through the pages or the API take it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("guides_form")]


def form_post(world, **overrides):
    """The form as a person fills it: cashew nuts from Morocco, two lots, one container."""
    data = {
        "control_body_code": "MA-BIO-154",
        "national_reference": "ACME-2026-17",
        "exporter": world.atlas.pk,
        "origin_countries": ["MA"],
        "export_country": "MA",
        "release_member_state": "FR",
        "validating_authority": world.inao.pk,
        "point_of_entry": world.le_havre.pk,
        "importer": world.acme.pk,
        "rfl": "",
        "first_consignee": world.foods.pk,
        "c-0-cn": "08013200",
        "c-0-l-0-trade_name": "Organic cashew W320", "c-0-l-0-lot_number": "LOT-A", "c-0-l-0-packages": "400",
        "c-0-l-0-packaging_type": "CT", "c-0-l-0-net_weight": "9000", "c-0-l-0-net_weight_unit": "kg",
        "c-0-l-0-producer": world.farm.pk,
        "c-0-l-1-trade_name": "Organic cashew W240", "c-0-l-1-lot_number": "LOT-B", "c-0-l-1-packages": "300",
        "c-0-l-1-packaging_type": "CT", "c-0-l-1-net_weight": "6800", "c-0-l-1-net_weight_unit": "kg",
        "c-0-l-1-producer": world.farm.pk,
        "k-0-number": "CSQU3054383", "k-0-seals": "SEAL-001",
        "gross_weight": "16500", "gross_weight_unit": "kg",
        "transport_mode": "vessel", "transport_identification": "MSC Agadir",
        "shown": ["origin_countries", "box_12", "commodities", "containers"],  # as the form marks its lists
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("creator", CREATORS)
def test_it_takes_each_creator_from_products_to_submission(client, world, creator):
    client.force_login(world.creator(creator))
    r = client.get("/certificates/new/", {"q": "cashew"})
    assert r.status_code == 200
    r = client.get("/certificates/new/form/", {"cn": ["08013200"]})
    assert r.status_code == 200
    assert "0801 32 00" in r.content.decode()
    r = client.post("/certificates/new/form/", form_post(world, action="save"))
    assert r.status_code == 302, r.content.decode()[:3000]
    coi = Certificate.objects.get()
    assert coi.creator_role == creator and coi.status == "draft"
    r = client.post(f"/certificates/{coi.pk}/edit/", form_post(world, action="submit"), follow=True)
    coi.refresh_from_db()
    assert coi.status == "description_completed", r.content.decode()[:3000]
    page = r.content.decode()
    assert coi.number in page and "Description completed" in page


def test_it_offers_a_prefilled_form(client, world):
    client.force_login(world.exporter)
    r = client.get("/certificates/new/form/", {"cn": ["08013200"]})
    assert f'value="{world.atlas.pk}" checked' in r.content.decode()


def test_it_keeps_what_was_typed_when_the_exporter_is_missing(client, world):
    client.force_login(world.importer)
    r = client.post(
        "/certificates/new/form/", form_post(world, exporter="", action="save", national_reference="MY-REF-42")
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "Choose the exporter before saving the draft." in page
    assert "MY-REF-42" in page and "LOT-B" in page and "CSQU3054383" in page
    assert not Certificate.objects.exists()


def test_it_refuses_a_draft_with_wrong_values_and_keeps_them_at_their_box(client, world):
    """Nothing of a request with an unreadable value is stored (issue 12): the form comes back as typed."""
    client.force_login(world.importer)
    r = client.post("/certificates/new/form/", form_post(world, gross_weight="lots", action="save"))
    assert r.status_code == 422
    page = r.content.decode()
    assert "lots is not a weight" in page and 'value="lots"' in page and "ACME-2026-17" in page
    assert not Certificate.objects.exists()


def test_it_refuses_a_weight_with_more_decimals_than_kept_instead_of_rounding_it(client, world):
    """A gross weight of 1.2345 kg would be stored as 1.235 kg (3 decimals): refused at its box, as typed."""
    client.force_login(world.importer)
    r = client.post("/certificates/new/form/", form_post(world, gross_weight="1.2345", action="save"))
    assert r.status_code == 422
    page = r.content.decode()
    assert "1.2345 has more than 3 decimals." in page and 'value="1.2345"' in page
    assert not Certificate.objects.exists()
    r = client.post("/certificates/new/form/", form_post(world, gross_weight="1.2340", action="save"))
    assert "Draft saved." in r.content.decode()  # trailing zeros are not decimals lost
    assert Certificate.objects.get().gross_weight == Decimal("1.234")


def test_it_reports_refusals_at_their_box_in_french(client, world):
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    client.force_login(world.importer)
    client.cookies["django_language"] = "fr"
    client.post("/certificates/new/form/", form_post(world, action="save", transport_mode="vessel"))
    coi = Certificate.objects.get()
    r = client.post(
        f"/certificates/{coi.pk}/edit/", form_post(world, action="submit", **{"k-0-number": None, "k-0-seals": None})
    )
    assert r.status_code == 422
    assert "navire" in r.content.decode()  # "Give the container numbers: the consignment travels by vessel."


def test_it_adds_and_removes_lines_and_commodities_without_saving(client, world):
    client.force_login(world.importer)
    data = form_post(world, action="add_line-0")
    r = client.post("/certificates/new/form/", data)
    assert 'name="c-0-l-2-trade_name"' in r.content.decode()
    r = client.post("/certificates/new/form/", form_post(world, action="add_commodity", new_cn="20079910"))
    assert 'name="c-1-cn" value="20079910"' in r.content.decode()
    r = client.post("/certificates/new/form/", form_post(world, action="remove_line-0-1"))
    assert "LOT-B" not in r.content.decode()
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("outsider", ["outsider_importer", "outsider_control_body"])
def test_it_answers_404_to_outsiders(client, world, outsider):
    client.force_login(getattr(world, outsider))
    for coi in (world.draft(), world.submitted()):
        assert client.get(f"/certificates/{coi.pk}/").status_code == 404
        assert client.get(f"/certificates/{coi.pk}/edit/").status_code == 404
        assert client.post(f"/certificates/{coi.pk}/submit/").status_code == 404
        assert client.post(f"/certificates/{coi.pk}/copy/").status_code == 404
    assert "No certificate matches." in client.get("/certificates/").content.decode()


def test_it_shows_a_draft_only_to_the_creator_organisation(client, world):
    coi = world.draft("importer")
    client.force_login(world.exporter)  # named in box 4, but the draft is ACME's
    assert client.get(f"/certificates/{coi.pk}/").status_code == 404
    client.force_login(world.importer)
    assert client.get(f"/certificates/{coi.pk}/").status_code == 200


@pytest.mark.parametrize(
    "party", ["importer", "exporter", "control_body", "consignee", "inao_agent", "border_agent", "forwarder"]
)
def test_it_shows_a_submitted_coi_to_every_party(client, world, party):
    coi = world.submitted(rfl=world.transit.pk)
    client.force_login(getattr(world, party))
    assert client.get(f"/certificates/{coi.pk}/").status_code == 200


def test_it_copies_as_new(client, world):
    coi = world.submitted()
    client.force_login(world.importer)
    r = client.post(f"/certificates/{coi.pk}/copy/")
    copy = Certificate.objects.exclude(pk=coi.pk).get()
    assert r.url == f"/certificates/{copy.pk}/edit/"
    assert copy.number is None and not copy.containers.exists() and copy.transport_mode == ""
    assert copy.commodities.get().lines.count() == 2


def test_it_lists_with_a_constant_number_of_queries(client, world):
    client.force_login(world.importer)
    world.submitted()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/certificates/").status_code == 200
    for _ in range(6):
        world.draft()
        world.submitted(national_reference="x")
    with CaptureQueriesContext(connection) as many:
        r = client.get("/certificates/", {"sort": "number"})
    assert r.status_code == 200 and r.content.decode().count("COI.EU.MA.") == 7
    assert len(many) == len(few)
