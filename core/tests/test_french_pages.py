"""No English on a French page (issue 13, 4): every page of the site (from the URL resolver), opened in French by
the people of the security scene, shows no English word and no untranslated choice value ("compliance" in box 2)
in its text, its options, titles, placeholders and confirmations, and writes a colon the French way ("Statut :")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import TextChoices
from django.test import Client
from django.utils import translation

from core.models import Notice
from core.tests.security_world import Scene, build_scene, rolled_back
from core.tests.urlmap import pages

pytestmark = pytest.mark.django_db

# Words of English that French never uses, and Python values that leak into templates.
ENGLISH = {
    "the", "and", "of", "with", "your", "this", "is", "are", "to", "from", "by", "or", "Box", "Save", "Submit",
    "Search", "Delete", "Cancel", "Add", "Edit", "Choose", "None", "True", "False", "yes", "Yes", "not", "has",
    "been", "for", "which", "when", "must", "may", "should", "Back", "Next", "Other", "other", "Please",
    # Words of the site's English interface that French writes otherwise.
    "Name", "Country", "Status", "Reference", "Issuer", "Number", "Weight", "Address", "City", "Role", "Roles",
    "Request", "Requests", "Operator", "Operators", "Authority", "Authorities",
    "Products", "Product", "Certificate", "Certificates", "Dashboard", "Help", "Settings", "Account",
    "Password", "Login", "Logout", "Signed", "Submitted", "Draft", "Valid", "Requested", "Refused",
    "Suspended", "Deleted", "Importer", "Consignee", "Packages", "Packaging", "Unit", "Gross",
    "Seal", "Seals", "Container", "Containers", "Vessel", "Truck", "Done", "Remove", "Upload", "Download",
    "Show", "Hide", "Open", "Close", "New", "Send", "Grant", "Revoke", "Withdraw", "Decide", "Accept",
    "Refuse", "Validate", "Replace", "Copy", "Print", "Verify", "Verified", "Released", "Depleted",
    "Notices", "Mark", "read", "Today", "Yesterday", "Created", "Updated", "Details",
}  # fmt: skip
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "hx-confirm", "data-confirm"}
# What the scene's people typed (names, trade names, addresses) is theirs, not the site's; TRACES's English names
# of activities, quoted as the guides quote them ("Importateur biologique (Organic Importer)"), stay.
TYPED = re.compile(
    r"\(Organic \w+\)|[\w.-]+\.pdf\b|Other Bio Import|Organic cashew \w+|Souss Cashew Farm|Atlas Organic|ACME Bio \w+ FR"
)
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
# French words that are also choice values.
FRENCH_TOO = {"air", "rail", "route", "ferry", "fax", "date"}


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, and the shown attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code", "pre"):
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "pre"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return EMAIL.sub(" ", TYPED.sub(" ", " ".join(parser.parts)))


def choice_values() -> set[str]:
    """Values of the site's TextChoices that differ from their French label ("compliance" -> "Conformité")."""
    found: set[str] = set()
    ours = {c.name for c in apps.get_app_configs() if not c.name.startswith(("django", "allauth"))}
    classes: set[type[TextChoices]] = set()
    stack = list(TextChoices.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ours:
            classes.add(cls)
    with translation.override("fr"):
        for cls in classes:
            for value, label in cls.choices:
                if len(value) > 3 and value not in FRENCH_TOO and value.lower() != str(label).lower():
                    found.add(value)
    return found


def english_in(text: str, values: set[str], names: frozenset[str] = frozenset()) -> list[str]:
    """English words and choice values of the text, and French colons without their space ("Statut:"); the
    words of people's own `names` (a "Mark" signing in) are theirs, not the site's."""
    words = set(re.findall(r"\w+", text)) - names
    glued = {m[0] for m in re.finditer(r"\w+:(?=\s|$)", text)}
    return sorted((words & ENGLISH) | (words & values) | glued)


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


def french_client(user: Any) -> Client:
    user.language = "fr"
    user.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["importer", "control_body", "inao_agent", "border_agent"])
def test_it_shows_no_english_on_a_french_page(scene: Scene, who: str) -> None:
    values = choice_values()
    assert "compliance" in values and "description_completed" in values  # the check itself sees them
    client = french_client(getattr(scene.w, who))
    Notice.objects.filter(user=getattr(scene.w, who)).delete()  # written in English when the scene was built
    found: dict[str, list[str]] = {}
    others = [f"/certificates/{coi.pk}/{tail}" for coi in (scene.submitted, scene.verified) for tail in ("", "edit/")]
    names = frozenset(
        word
        for pair in get_user_model().objects.values_list("first_name", "last_name")
        for word in re.findall(r"\w+", " ".join(pair))
    )
    for url in [page.url(scene) for page in pages()] + others:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        english = english_in(visible_text(response.content.decode()), values, names)
        if english:
            found[url] = english
    assert not found, "\n".join(f"{url}: {words}" for url, words in found.items())
