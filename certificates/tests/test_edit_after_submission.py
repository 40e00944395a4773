"""The edit page after submission offers only the boxes the who-may-change-what table allows the person
(certificates/coi_forms/coi-1235-2008-matrix.csv), every other box read-only, and never answers "Saved" while dropping a
change: a change to a box the person may not change is refused at that box and nothing is saved."""

from __future__ import annotations

import re

import pytest

from certificates import rules
from certificates.boxes import BOX_OF_FIELD
from certificates.matrix import ALL_BOXES
from certificates.statuses import COIRole, COIStatus

from .factories import PointOfEntryFactory
from .test_pages import form_post
from .workflow_world import make_flow

pytestmark = pytest.mark.django_db

LATER = [COIStatus.DESCRIPTION_COMPLETED, COIStatus.ISSUING_BODY_SIGNED]  # where some roles change some boxes


@pytest.fixture
def flow(world):
    return make_flow(world)


def controls(page: str) -> set[str]:
    """The names of the form controls of the COI form (the documents' form excluded)."""
    form = page[page.index('id="coi-form"') : page.index("</form>", page.index('id="coi-form"'))]
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', form))


def field_controls(field: str, names: set[str]) -> set[str]:
    if field == "commodities":
        return {n for n in names if re.match(r"^c-\d+-", n) and not n.endswith("_q")}
    if field == "containers":
        return {n for n in names if re.match(r"^k-\d+-", n)}
    return {field} & names


@pytest.mark.parametrize("status", LATER)
def test_it_offers_only_the_boxes_the_table_allows_each_role(client, flow, status):
    coi = flow.coi(status)
    checked = 0
    for role in COIRole.values:
        boxes = rules.boxes_open_to(coi, {role})  # the table, and box 17 while it may be completed later
        if not boxes or boxes == set(ALL_BOXES):
            continue
        client.force_login(flow.party(role))
        names = controls(client.get(f"/certificates/{coi.pk}/edit/").content.decode())
        for field, box in BOX_OF_FIELD.items():
            offered = field_controls(field, names)
            assert bool(offered) == (box in boxes) or (box in boxes and field == "release_in_batches"), (
                status,
                role,
                field,
                offered,
            )
        checked += 1
    assert checked


def test_it_shows_box_13_read_only_to_the_importer_after_submission(client, flow):
    coi = flow.coi(COIStatus.DESCRIPTION_COMPLETED)
    client.force_login(flow.w.importer)
    page = client.get(f"/certificates/{coi.pk}/edit/").content.decode()
    assert "Organic cashew W320" in page and 'name="c-0-l-0-trade_name"' not in page
    assert 'name="release_member_state"' in page


def test_it_refuses_a_change_to_a_box_not_allowed_and_saves_nothing(client, flow):
    coi = flow.coi(COIStatus.DESCRIPTION_COMPLETED)
    client.force_login(flow.w.importer)
    post = form_post(flow.w, **{"c-0-l-0-trade_name": "Renamed cashew", "release_member_state": "DE", "action": "save"})
    response = client.post(f"/certificates/{coi.pk}/edit/", post)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was saved" in page and "your change was not saved" in page and "Saved." not in page
    assert '<option value="DE" selected>' in page  # box 9, which the importer may change, keeps what was typed
    coi.refresh_from_db()
    assert coi.release_member_state == "FR"
    assert coi.commodities.get().lines.order_by("position").first().trade_name == "Organic cashew W320"


def test_it_saves_the_boxes_allowed_when_the_others_are_unchanged(client, flow):
    coi = flow.coi(COIStatus.DESCRIPTION_COMPLETED)
    client.force_login(flow.w.importer)
    w = flow.w
    marseille = PointOfEntryFactory(code="FRMRS", name="Marseille", authority=w.douane)
    post = {  # what the importer's page posts: boxes 9 and 12 only
        "release_member_state": "FR",
        "validating_authority": w.inao.pk,
        "point_of_entry": marseille.pk,
        "first_consignee": w.foods.pk,
        "action": "save",
    }
    response = client.post(f"/certificates/{coi.pk}/edit/", post, follow=True)
    assert "Saved." in response.content.decode()
    coi.refresh_from_db()
    assert coi.point_of_entry == marseille
