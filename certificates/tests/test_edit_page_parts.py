"""Box 13's lines and boxes 14/15's containers on the edit page are drawn from the field table's rows
(`certificates/fields.py`, `forms.PartInput`): a row added to `LINE_FIELDS` or `CONTAINER_FIELDS` is an input of
each line or container, labelled by its model field, typed by its kind, showing the stored value, and posted back
under its key, with no line of the page's code or templates changed."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.test import Client

from certificates import boxes
from certificates import fields as ft
from certificates.forms import data_from_post
from certificates.models import CommodityLine, Container

pytestmark = pytest.mark.django_db


def posted(page: str) -> QueryDict:
    """What the page posts as shown: its hidden, text and select inputs of box 13 and boxes 14/15."""
    post = QueryDict(mutable=True)
    for name, value in re.findall(r'<input type="(?:hidden|text)"[^>]*?name="([^"]+)" value="([^"]*)"', page):
        post.appendlist(name, value)
    for name, options in re.findall(r'<select name="((?:c|k)-[^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        post[name] = chosen.group(1) if chosen else ""
    return post


def test_a_row_added_to_the_line_or_container_table_is_an_input_typed_and_posted_back(world, monkeypatch):
    coi = world.draft()
    # A field the table does not hold: each line's and each container's position, typed as a count.
    monkeypatch.setattr(ft, "LINE_FIELDS", (*ft.LINE_FIELDS, ft.Row("position", ft.COUNT, CommodityLine)))
    containers = (*ft.CONTAINER_FIELDS, ft.Row("position", ft.COUNT, Container))
    monkeypatch.setattr(ft, "CONTAINER_FIELDS", containers)
    monkeypatch.setattr(boxes, "CONTAINER_FIELDS", containers)  # what the page is given of a container (`as_data`)
    CommodityLine.objects.filter(commodity__certificate=coi).update(position=7)
    client = Client()
    client.force_login(world.importer)
    page = client.get(f"/certificates/{coi.pk}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for line in (0, 1):
        assert f'<label>Position<input type="text" inputmode="numeric" name="c-0-l-{line}-position" value="7">' in page
    assert '<label>Position<input type="text" inputmode="numeric" name="k-0-position" value="0">' in page
    data = data_from_post(posted(page))
    assert [line["position"] for line in data["commodities"][0]["lines"]] == ["7", "7"]
    assert data["commodities"][0]["lines"][0]["trade_name"] == "Organic cashew W320"
    assert data["containers"] == [{"number": "CSQU3054383", "seals": "SEAL-001", "position": "0"}]


def test_a_row_added_to_the_container_table_is_read_by_its_kind(monkeypatch):
    monkeypatch.setattr(boxes, "CONTAINER_FIELDS", (*ft.CONTAINER_FIELDS, ft.Row("position", ft.COUNT, Container)))
    reader = boxes.Reader()
    typed = [
        {"number": "csqu 305438 3", "seals": " SEAL-001 ", "position": "4"},
        {"number": "MSCU1234565", "position": "x"},
    ]
    assert reader.read_containers(typed, "14") == [{"number": "CSQU3054383", "seals": "SEAL-001", "position": 4}]
    assert reader.errors == {"14": ["container 2, position: x is not a number of packages."]}
