"""Every field has a name a screen reader says (issue 23, point 5): on every page of the site (from the URL
resolver) and on the edit page, the COI page and its step panels of COIs of both forms in every status the scene
holds, each select, text area and input a person fills or ticks is named by a label (wrapping it or `for` its
id), `aria-label`, `aria-labelledby` or `title`; a unit beside its quantity says whose unit it is."""

from __future__ import annotations

import html
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from certificates.coi_forms import FormCode
from certificates.statuses import COIStatus
from core.tests.security_world import Scene, build_scene, rolled_back
from core.tests.urlmap import pages

pytestmark = pytest.mark.django_db

UNNAMED_TYPES = {"hidden", "submit", "button", "reset", "image"}  # named by their value, or not shown


class Controls(HTMLParser):
    """The page's fields, the ids its labels point to, and whether each field sits inside a label."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str | None]] = []
        self.labelled_ids: set[str] = set()
        self.label_names: dict[str, str] = {}
        self._in_label = 0
        self._label_for: list[str | None] = []
        self._label_text: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label":
            self._in_label += 1
            self._label_for.append(a.get("for"))
            self._label_text.append([])
            if a.get("for"):
                self.labelled_ids.add(str(a["for"]))
        elif tag in ("select", "textarea") or (tag == "input" and (a.get("type") or "text") not in UNNAMED_TYPES):
            self.fields.append({**a, "_tag": tag, "_in_label": "yes" if self._in_label else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._in_label:
            self._in_label -= 1
            target, text = self._label_for.pop(), " ".join(self._label_text.pop()).strip()
            if target:
                self.label_names[target] = text

    def handle_data(self, data: str) -> None:
        for text in self._label_text:
            text.append(data)

    def unnamed(self) -> list[str]:
        return [
            f"<{f['_tag']} name={f.get('name')!r} id={f.get('id')!r}>"
            for f in self.fields
            if not (
                f["_in_label"]
                or (f.get("id") and f["id"] in self.labelled_ids)
                or (f.get("aria-label") or "").strip()
                or f.get("aria-labelledby")
                or (f.get("title") or "").strip()
            )
        ]


def controls(page: str) -> Controls:
    parser = Controls()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


def coi_pages(scene: Scene) -> list[str]:
    """The COI pages (with their step panels) and edit pages of COIs of both forms, in several statuses."""
    flow, urls = scene.flow, []
    for form in (FormCode.R2021_2306, FormCode.R1235_2008):
        flow.w.form = form
        for status in (COIStatus.DRAFT, COIStatus.DESCRIPTION_COMPLETED, COIStatus.ISSUING_BODY_SIGNED):
            coi = flow.coi(status)
            urls += [f"/certificates/{coi.pk}/", f"/certificates/{coi.pk}/edit/"]
    return urls


@pytest.mark.parametrize("who", ["importer", "control_body", "inao_agent", "border_agent"])
def test_it_names_every_field_of_every_page(scene: Scene, who: str) -> None:
    client = Client()
    client.force_login(getattr(scene.w, who))
    found: dict[str, list[str]] = {}
    seen = 0
    for url in [page.url(scene) for page in pages()] + coi_pages(scene) + ["/certificates/?status=draft&country=MA"]:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parsed = controls(response.content.decode())
        seen += len(parsed.fields)
        if parsed.unnamed():
            found[url] = parsed.unnamed()
    assert seen > 50  # the walk reads the fields at all
    assert not found, "\n".join(f"{url}: {fields}" for url, fields in found.items())


def test_it_says_whose_unit_a_weight_unit_is(scene: Scene) -> None:
    world = scene.w
    world.form = FormCode.R2021_2306
    coi = world.draft(gross_weight="16500")
    client = Client()
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    client.force_login(world.importer)
    page = html.unescape(client.get(f"/certificates/{coi.pk}/edit/").content.decode())
    units = [f for f in controls(page).fields if str(f.get("name")).endswith("weight_unit")]
    assert [f.get("aria-label") for f in units] == [
        "Unité du poids net",
        "Unité du poids net",
        "Unité du poids brut total",
    ]
