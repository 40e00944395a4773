"""French as a French reader reads it on every page (issue 23, point 7): the security scene's people, reading
in French, open every page of the site (from the URL resolver) and the COI and edit pages of its COIs: days as
20/12/2026, never ISO 8601's 2026-12-20; labels, headings and terms that start with a capital; no "(e)"."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from certificates.workflow.history import record_edit, snapshot
from core.tests.security_world import Scene, build_scene, rolled_back
from core.tests.test_french_pages import visible_text
from core.tests.test_french_reading import UNDECIDED
from core.tests.urlmap import pages

pytestmark = pytest.mark.django_db


class Labels(HTMLParser):
    """The texts of the page's labels, table headings and term names: what names a field or a column."""

    NAMING = ("label", "th", "dt", "legend")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.NAMING:
            self._open.append([])
        elif tag in ("input", "select", "textarea") and self._open:  # a field inside its label ends its name
            self.texts.append("".join(self._open[-1]).strip())
            self._open[-1] = ["\0"]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.NAMING and self._open:
            text = "".join(self._open.pop()).strip()
            if text and not text.startswith("\0"):
                self.texts.append(text)

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].append(data)


ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
EMAIL = re.compile(r"[\w.+-]+@")  # a person's address heads its row
MONTH = re.compile(r"^\w+\.? \d{4}$")  # a month heads a column of the dashboard as French writes it: "déc. 2026"


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


@pytest.mark.parametrize("who", ["importer", "control_body", "border_agent"])
def test_it_writes_days_labels_and_genders_as_french_does_on_every_page(scene: Scene, who: str) -> None:
    """Every page a French reader opens: days as 20/12/2026 (never ISO 8601's 2026-12-20), labels and headings
    that start with a capital, no "(e)"."""
    user = getattr(scene.w, who)
    user.language = "fr"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    coi = scene.verified
    before = snapshot(coi)
    coi.departure_date = datetime.date(2026, 12, 20)
    coi.save(update_fields=["departure_date"])
    record_edit(scene.w.person(scene.w.control_body), coi, {"control_body"}, before, snapshot(coi))  # its history
    found: dict[str, list[str]] = {}
    urls = [page.url(scene) for page in pages()]
    urls += [f"/certificates/{c.pk}/{tail}" for c in (scene.draft, scene.submitted, coi) for tail in ("", "edit/")]
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode()
        text = visible_text(page)
        labels = Labels()
        labels.feed(page)
        wrong = ISO_DAY.findall(text) + UNDECIDED.findall(text)
        wrong += [t for t in labels.texts if t[:1].islower() and not (EMAIL.match(t) or MONTH.match(t))]
        if wrong:
            found[url] = wrong
    assert not found, "\n".join(f"{url}: {words}" for url, words in found.items())
