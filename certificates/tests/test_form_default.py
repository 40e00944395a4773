"""New COIs follow the form in force, Reg. (EU) 2021/2306, when nobody names a form (issue 14 point 1,
`COI_FORM_DEFAULT`); COIs made before keep their form, on every page and in the API."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken
from certificates.models import Certificate

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_makes_a_new_coi_on_the_page_on_the_2021_2306_form(world):
    client = Client()
    client.force_login(world.importer)
    page = client.get("/certificates/new/form/", {"cn": ["08013200"]}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Box 24: First consignee in the European Union" in page and "Box 12: Importer" in page
    r = client.post(
        "/certificates/new/form/",
        {"exporter": world.atlas.pk, "c-0-cn": "08013200", "shown": ["commodities"], "action": "save"},
    )
    assert r.status_code in (200, 302), r.content.decode()[:2000]
    assert Certificate.objects.get().form == "2021/2306"


def test_it_makes_a_new_coi_through_the_api_on_the_2021_2306_form(client, world):
    r = client.post(URL, {"exporter": world.atlas.pk}, content_type="application/json", **auth(world.importer))
    assert r.status_code == 201, r.content
    assert r.json()["form"] == "2021/2306"
    assert Certificate.objects.get(pk=r.json()["id"]).form == "2021/2306"


def test_it_leaves_an_existing_coi_on_its_form(client, world):
    old = world.submitted()  # made on the guides' form, before the default changed
    assert old.form == "1235/2008"
    r = client.post(URL, {"exporter": world.atlas.pk}, content_type="application/json", **auth(world.importer))
    assert r.json()["form"] == "2021/2306"
    r = client.patch(
        f"{URL}/{old.pk}", {"first_consignee": world.foods.pk}, content_type="application/json", **auth(world.importer)
    )
    assert r.status_code == 200, r.content
    assert r.json()["form"] == "1235/2008"
    reader = Client()
    reader.force_login(world.importer)
    page = reader.get(f"/certificates/{old.pk}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Box 12: First consignee" in page and "Box 24" not in page
    copy = reader.post(f"/certificates/{old.pk}/copy/")
    assert copy.status_code == 302
    assert Certificate.objects.exclude(pk=old.pk).filter(copied_from=old).get().form == "1235/2008"
    assert Certificate.objects.get(pk=old.pk).form == "1235/2008"
