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


def test_the_read_only_table_of_box_13_shows_the_coi_s_form_s_line_fields(world):
    """After box 18 the importer's edit page shows box 13 as a table (its lines are no longer theirs to change):
    on a 2021/2306 COI its columns are that form's line fields, organic or in-conversion and the category included
    (they were left out: the table showed the guides' fields only), in the reader's words."""
    from certificates.statuses import COIStatus

    from .workflow_world import make_flow_2021_2306

    coi = make_flow_2021_2306(world).coi(COIStatus.ISSUING_BODY_SIGNED)
    CommodityLine.objects.filter(commodity__certificate=coi).update(organic_status="in_conversion", category="d")
    line = CommodityLine.objects.filter(commodity__certificate=coi).first()
    assert line is not None
    client = Client()
    client.force_login(world.importer)
    page = client.get(f"/certificates/{coi.pk}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = re.search(r'<table class="readonly">.*?</table>', page, re.S)
    assert table is not None, "box 13 is not read-only for the importer after box 18"
    headings = re.findall(r"<th>([^<]*)</th>", table.group(0))
    assert headings[:2] == ["Trade name", "Lot number"]
    assert "Organic or in-conversion" in headings and "Category" in headings
    cells = re.findall(r"<td>([^<]*)</td>", table.group(0).split("</tr>", 2)[1])
    assert str(line.get_organic_status_display()) in cells
    assert str(line.get_category_display()) in cells


def test_a_container_with_seals_and_no_number_is_refused_at_box_14_not_dropped(world):
    """A container whose number was emptied but whose seals stay typed was left out without a word on saving (the
    stored container deleted, the seals lost): it is refused at its box, in the reader's language, on the page
    (nothing saved, the seals still typed) and through the API (422, nothing changed)."""
    from .union_part import patch_boxes

    coi = world.draft()
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    client = Client()
    client.force_login(world.importer)
    page = client.get(f"/certificates/{coi.pk}/edit/").content.decode()
    assert '<html lang="fr">' in page
    post = posted(page)
    post["k-0-number"] = ""
    post["action"] = "save"
    answer = client.post(f"/certificates/{coi.pk}/edit/", post)
    assert answer.status_code == 422
    shown = answer.content.decode()
    assert "Conteneur 1 : donnez son numéro, ou retirez-le." in shown
    assert 'name="k-0-seals" value="SEAL-001"' in shown
    assert list(Container.objects.filter(certificate=coi).values_list("number", "seals")) == [
        ("CSQU3054383", "SEAL-001")
    ]

    refused = patch_boxes(coi, {"containers": [{"number": " ", "seals": "SEAL-002"}]}, world.importer)
    assert refused.status_code == 422, refused.content
    assert "Conteneur 1 : donnez son numéro, ou retirez-le." in refused.json()["detail"] + str(refused.json())
    assert list(Container.objects.filter(certificate=coi).values_list("seals", flat=True)) == ["SEAL-001"]

    emptied = posted(page)
    emptied["k-0-number"], emptied["k-0-seals"], emptied["action"] = "", "", "save"
    saved = client.post(f"/certificates/{coi.pk}/edit/", emptied)  # a row left empty is none: saved, no refusal
    assert saved.status_code in (200, 302) and "donnez son numéro" not in saved.content.decode()
    assert not Container.objects.filter(certificate=coi).exists()
