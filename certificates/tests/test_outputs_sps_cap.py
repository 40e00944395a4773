"""Issue 12, point 8: an SPS XML import answers in time linear in its size, with a stated cap on items
(`sps_import.MAX_ITEMS`): above it the document is refused at once with a message naming the cap."""

from __future__ import annotations

import copy
import time
from typing import Any

from lxml import etree

from certificates.inputs.sps_import import MAX_ITEMS
from certificates.models import Certificate
from certificates.outputs import sps

API = "/api/v1/certificates/import"


def _document(world: Any, items: int, *, empty: bool) -> bytes:
    """The exported SPS certificate of a COI, with its consignment item repeated (or empty items added)."""
    root = etree.fromstring(sps.build(world.submitted().pk))
    consignment = root.find(sps.rsm("SPSConsignment"))
    item = consignment.find(sps.ram("IncludedSPSConsignmentItem"))
    if empty:
        for _n in range(items):
            consignment.append(etree.Element(sps.ram("IncludedSPSConsignmentItem")))
    else:
        trade = item.find(sps.ram("IncludedSPSTradeLineItem"))
        for _n in range(items - len(item) - 2):  # the document's own item, equipment and lines count too
            item.append(copy.deepcopy(trade))
    return etree.tostring(root)


def test_it_refuses_100000_empty_items_at_once_naming_the_cap(world: Any, client: Any) -> None:
    xml = _document(world, 100_000, empty=True)
    assert len(xml) < 5 * 1024 * 1024
    client.force_login(world.importer)
    before = Certificate.objects.count()
    started = time.monotonic()
    response = client.post(API, data=xml, content_type="application/xml")
    assert time.monotonic() - started < 3
    assert response.status_code == 422
    assert any(f"at most {MAX_ITEMS} are accepted" in p["message"] for p in response.json()["problems"])
    assert Certificate.objects.count() == before


def test_it_reads_a_document_at_the_cap_and_refuses_one_item_more(world: Any, client: Any) -> None:
    client.force_login(world.importer)
    started = time.monotonic()
    response = client.post(API, data=_document(world, MAX_ITEMS, empty=False), content_type="application/xml")
    assert time.monotonic() - started < 60
    assert response.status_code == 201, response.json()["problems"][:3]
    lines = Certificate.objects.get(pk=response.json()["id"]).lines()
    assert len(lines) == MAX_ITEMS - 2
    response = client.post(API, data=_document(world, MAX_ITEMS + 1, empty=False), content_type="application/xml")
    assert response.status_code == 422
    assert any(f"at most {MAX_ITEMS} are accepted" in p["message"] for p in response.json()["problems"])
