"""A filter of the COI list that cannot be read (an unknown status or sort, a country that is not a two-letter ISO
code, a wrong date, a text over 100 characters) is refused at its parameter, never ignored nor cut: the list page
shows why at the field with what was typed and lists nothing, the API answers 422, the exports 400."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db
REFUSED = {
    "status": "releasd_organic",
    "country": "MAR",
    "party": "Atlas " + "x" * 100,
    "date_from": "2025-13-40",
    "sort": "price",
}


def test_it_shows_each_refused_filter_at_its_field_with_what_was_typed(world: Any) -> None:
    coi = world.submitted()
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    client = Client()
    client.force_login(world.importer)
    assert coi.number in client.get("/certificates/").content.decode()  # listed without filters

    page = html.unescape(client.get("/certificates/", REFUSED).content.decode())

    for name in REFUSED:
        assert f'id="f-{name}-error"' in page, name
    error = page.split('id="f-country-error"')[1].split("</span>")[0]
    assert "code ISO à deux lettres" in error
    assert "au plus 100 caractères" in page.split('id="f-party-error"')[1].split("</span>")[0]
    assert f'value="{REFUSED["party"]}"' in page  # kept whole, as typed
    assert '<option value="releasd_organic" selected>' in page and '<option value="MAR" selected>' in page
    assert coi.number not in page  # nothing listed as if the filters had not been given
    assert "export.csv" not in page


def test_it_refuses_a_filter_it_cannot_read_in_the_api_and_the_exports(world: Any) -> None:
    world.submitted()
    _token, secret = ApiToken.issue(world.importer, "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/certificates", {"country": "ma"}).json()["count"] == 1

    for path in ("/api/v1/certificates", "/api/v1/certificates/export.csv", "/api/v1/certificates/export.xlsx"):
        for name, value in REFUSED.items():
            response = client.get(path, {name: value})
            assert response.status_code == 422, (path, name)  # not an empty file, as if nothing matched
            assert [e["loc"] for e in response.json()["errors"]] == [["query", name]]
        assert client.get(path, {"country": "MA"}).status_code == 200

    browser = Client()
    browser.force_login(world.importer)
    for path in ("/certificates/export.csv", "/certificates/export.xlsx"):
        response = browser.get(path, {"country": "MAR"})
        assert response.status_code == 400 and response.content.decode().startswith("country:")
        assert browser.get(path, {"country": "MA"}).status_code == 200


def test_it_refuses_a_filter_given_twice_on_the_page_the_api_and_the_exports(world: Any) -> None:
    coi = world.submitted()
    browser = Client()
    browser.force_login(world.importer)
    twice = f"status=releasd_organic&status={coi.status}"  # the last one alone would list the COI

    page = html.unescape(browser.get(f"/certificates/?{twice}").content.decode())
    assert "Give this filter once." in page.split('id="f-status-error"')[1].split("</span>")[0]
    assert f'<option value="releasd_organic, {coi.status}" selected>' in page  # both values as typed
    assert coi.number not in page

    _token, secret = ApiToken.issue(world.importer, "test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = api.get(f"/api/v1/certificates?{twice}")
    assert response.status_code == 422
    assert [(e["loc"], e["msg"]) for e in response.json()["errors"]] == [
        (["query", "status"], "Give this filter once.")
    ]
    assert api.get(f"/api/v1/certificates?status={coi.status}").json()["count"] == 1

    response = browser.get(f"/certificates/export.csv?{twice}")
    assert response.status_code == 400 and response.content.decode() == "status: Give this filter once."


def test_it_shows_a_country_typed_in_lower_case_chosen_in_the_list_it_filters(world: Any) -> None:
    coi = world.submitted()
    client = Client()
    client.force_login(world.importer)
    page = client.get("/certificates/", {"country": "ma"}).content.decode()
    assert '<option value="MA" selected>' in page and coi.number in page  # not "All" shown while it filters
    assert 'id="f-country-error"' not in page


def test_it_shows_why_a_filter_is_refused_on_a_page_number_past_the_end(world: Any) -> None:
    world.submitted()
    client = Client()
    client.force_login(world.importer)
    response = client.get("/certificates/", {"country": "MAR", "page": "5"})
    assert response.status_code == 200  # not "this list has no page 5"
    assert 'id="f-country-error"' in response.content.decode()


def test_it_refuses_a_text_filter_with_a_control_character_on_the_page_as_the_api_does(world: Any) -> None:
    world.submitted()
    client = Client()
    client.force_login(world.importer)
    page = html.unescape(client.get("/certificates/", {"party": "Atlas\x01"}).content.decode())
    assert "control character (U+0001)" in page.split('id="f-party-error"')[1].split("</span>")[0]
    _token, secret = ApiToken.issue(world.importer, "test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/certificates", {"party": "Atlas\x01"}).status_code == 422


def test_it_refuses_an_end_date_before_the_start_date_at_the_end_date(world: Any) -> None:
    coi = world.submitted()
    client = Client()
    client.force_login(world.importer)
    day = timezone.localdate(coi.created_at)  # the list filters by the site's day (Europe/Paris), not UTC's
    before = {"date_from": day.isoformat(), "date_to": day.replace(year=day.year - 1).isoformat()}
    page = html.unescape(client.get("/certificates/", before).content.decode())
    assert "This date is before the start date." in page.split('id="f-date_to-error"')[1].split("</span>")[0]
    assert f'value="{before["date_to"]}"' in page  # kept as typed
    _token, secret = ApiToken.issue(world.importer, "test")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/certificates", before)
    assert response.status_code == 422 and [e["loc"] for e in response.json()["errors"]] == [["query", "date_to"]]
    same_day = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    assert coi.number in client.get("/certificates/", same_day).content.decode()
