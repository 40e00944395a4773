"""Box 10 of the 2021/2306 form (border control post or point of entry, issue 23 point 6) on the pages: when only
one post fits (of the member state of release, box 9, when it is given) it is offered, chosen; when several fit
none is; a COI with none chosen says so at its box 10 (certificates/views.py `_only_point`, box_rows)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from certificates.coi_forms import FormCode
from certificates.models import Certificate
from directory.models import Authority

from .factories import AuthorityFactory, PointOfEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(client: Client, world: Any, settings: Any) -> Client:
    settings.COI_FORM_DEFAULT = FormCode.R2021_2306
    world.form = FormCode.R2021_2306
    client.force_login(world.importer)
    return client


def post(code: str, name: str) -> Any:
    country = code[:2]
    authority = AuthorityFactory(name=f"Poste {name}", country=country, kind=Authority.Kind.ENTRY)
    return PointOfEntryFactory(code=code, name=name, country=country, authority=authority)


def offered(page: str) -> set[int]:
    """The posts box 10's picker shows chosen."""
    box = page[page.index('id="point_of_entry-picker"') :]
    return {
        int(pk) for pk in re.findall(r'name="point_of_entry" value="(\d+)"[^>]*\bchecked', box.split("</fieldset>")[0])
    }


def test_it_offers_the_only_post_on_a_new_coi(importer: Client, world: Any) -> None:
    page = importer.get("/certificates/new/form/?cn=08013200").content.decode()
    assert offered(page) == {world.le_havre.pk}


def test_it_offers_none_when_several_posts_fit(importer: Client, world: Any) -> None:
    post("FRMRS", "Marseille")
    page = importer.get("/certificates/new/form/?cn=08013200").content.decode()
    assert offered(page) == set()


@pytest.mark.parametrize(
    ("member_state", "only"),
    [("FR", "FRLEH"), ("BE", "BEANR"), ("NL", None)],  # NL: two posts fit, none is offered
)
def test_it_offers_the_only_post_of_the_member_state_of_release_among_several_states(
    importer: Client, world: Any, member_state: str, only: str | None
) -> None:
    posts = {"FRLEH": world.le_havre, "BEANR": post("BEANR", "Antwerpen")}
    post("NLRTM", "Rotterdam")
    post("NLAMS", "Amsterdam")
    draft = world.draft(release_member_state=member_state, point_of_entry=None)
    page = importer.get(f"/certificates/{draft.pk}/edit/").content.decode()
    assert offered(page) == ({posts[only].pk} if only else set())


@pytest.mark.parametrize(
    ("language", "said"), [("fr", "Aucun point d’entrée choisi."), ("en", "No point of entry chosen.")]
)
def test_it_says_at_box_10_that_no_post_is_chosen(importer: Client, world: Any, language: str, said: str) -> None:
    world.importer.language = language
    world.importer.save(update_fields=["language"])
    draft = world.draft(point_of_entry=None)
    assert Certificate.objects.get(pk=draft.pk).point_of_entry_id is None
    page = importer.get(f"/certificates/{draft.pk}/").content.decode()
    box = re.search(r'data-testid="box-10"[^>]*>(.*?)</d[dl]>', page, re.S)
    assert box and said in box.group(1)
