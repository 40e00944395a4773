"""The organisation's dashboard: figures from SQL aggregations, charts readable without colour, a table too."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from certificates.outputs.dashboard import build, release_spread
from certificates.statuses import COIStatus
from certificates.workflow_records import Signature


def released(world: Any, days: float) -> Certificate:
    """A COI submitted `days` before its box 20 decision (the workflow's own tests cover the steps)."""
    coi = world.submitted()
    Certificate.objects.filter(pk=coi.pk).update(status=COIStatus.CONSIGNMENT_VERIFIED)
    for box, after in (("18", 0.1), ("20", days)):
        Signature.objects.create(
            certificate=coi, box=box, signer_name="Someone", organisation="Org", place="Le Havre",
            signed_at=coi.submitted_at + datetime.timedelta(days=after), declaration="…",
            decision=COIStatus.CONSIGNMENT_VERIFIED if box == "20" else "",
        )  # fmt: skip
    return coi


def test_it_counts_cois_per_month_by_status(world: Any) -> None:
    world.submitted()
    world.draft()
    board = build(world.importer, world.membership(world.importer))
    assert board.organisation == "ACME Bio Imports FR"
    by_status = {s.label: sum(s.values) for s in board.month_series}
    assert by_status == {"Draft": 1, "Description completed": 1}
    assert board.months[-1] == timezone.localdate().strftime("%b %Y") or board.months


def test_it_sums_net_weight_by_chapter_and_origin_in_kg(world: Any) -> None:
    world.submitted()
    world.draft()  # drafts are no consignment: not counted
    board = build(world.importer, world.membership(world.importer))
    assert board.chapters == [("08 Edible fruit and nuts; peel of citrus fruit or melons", 15800.0)]
    assert board.origins == [("Morocco", 15800.0)]


def test_it_gives_the_median_and_spread_of_the_time_to_release(world: Any) -> None:
    for days in (1, 2, 3, 4, 10):
        released(world, days)
    spread = release_spread(Certificate.objects.all())
    assert spread is not None
    assert round(spread["median"]) == 3 and round(spread["min"]) == 1 and round(spread["max"]) == 10
    assert round(spread["q1"]) == 2 and round(spread["q3"]) == 4 and spread["count"] == 5


def test_it_lists_what_waits_for_me(world: Any) -> None:
    coi = world.submitted()
    board = build(world.control_body, world.membership(world.control_body))
    assert board.pending_count == 1
    assert board.pending[0].coi == coi and board.pending[0].actions == ["Sign box 18"]
    assert build(world.importer, world.membership(world.importer)).pending_count == 0


def test_the_page_shows_charts_and_tables(world: Any, client: Any) -> None:
    released(world, 2)
    client.force_login(world.importer)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('<svg class="chart"') == 4
    assert "<pattern" in page  # series told apart by pattern, not colour alone
    assert "The same figures as a table" in page
    assert "Median (days)" in page
    world.importer.language = "fr"  # a logged-in person reads in their own language
    world.importer.save(update_fields=["language"])
    french = client.get("/dashboard/").content.decode()
    assert "Tableau de bord" in french


def test_its_query_count_does_not_grow_with_the_data(world: Any, client: Any) -> None:
    client.force_login(world.importer)
    released(world, 1)
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/")
    for days in range(2, 8):
        released(world, days)
    world.draft()
    with CaptureQueriesContext(connection) as many:
        client.get("/dashboard/")
    assert len(many) == len(few)


def test_it_needs_a_login(client: Any, db: Any) -> None:
    assert client.get("/dashboard/").status_code == 302


# Both forms (issue 14): counts per form, the board limited to one form, each row's form, the steps of 2021/2306.


def _flow(world: Any) -> Any:
    from certificates.coi_forms import FormCode

    from .workflow_world import make_flow

    world.form = FormCode.R2021_2306
    return make_flow(world)


def test_it_counts_the_cois_of_each_form_and_limits_the_board_to_one(world: Any, client: Any) -> None:
    guides = world.submitted()
    flow = _flow(world)
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client.force_login(world.importer)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    forms = page[page.index('data-testid="forms"') : page.index('id="pending-title"')]
    assert "Reg. (EC) No 1235/2008 (boxes 1-21)</a>: 1" in forms
    assert "Reg. (EU) 2021/2306 (boxes 1-31)</a>: 1" in forms
    client.force_login(world.control_body)
    both = build(world.control_body, world.membership(world.control_body))
    assert [p.coi for p in both.pending] == [guides]  # box 18 of the guides' COI; the other is issued
    only = build(world.control_body, world.membership(world.control_body), "2021/2306")
    assert only.pending == [] and [f.count for f in only.forms] == [1, 1] and only.form == "2021/2306"
    page = client.get("/dashboard/?form=1235/2008", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Every figure below counts the certificates of the form 1235/2008 only." in page
    assert coi.number not in page and guides.number in page


def test_it_lists_the_2021_2306_steps_waiting_for_a_border_post_with_the_form(world: Any, client: Any) -> None:
    flow = _flow(world)
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    board = build(world.inao_agent, world.membership(world.inao_agent))
    (item,) = [p for p in board.pending if p.coi == coi]
    assert "Sign box 25 (documentary check)" in item.actions
    client.force_login(world.inao_agent)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = page[page.index(coi.number) :].split("</tr>")[0]
    assert "<td>2021/2306</td>" in row and "Sign box 25 (documentary check)" in row
    world.inao_agent.language = "fr"
    world.inao_agent.save(update_fields=["language"])
    assert "Signer la case 25 (contrôle documentaire)" in client.get("/dashboard/").content.decode()


def test_it_times_the_release_from_box_30_on_the_2021_2306_form(world: Any) -> None:
    flow = _flow(world)
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    spread = release_spread(Certificate.objects.filter(pk=coi.pk))
    assert spread is not None and spread["count"] == 1


def test_it_lists_an_extract_waiting_for_its_box_12(world: Any) -> None:
    from certificates.workflow import extracts

    flow = _flow(world)
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = extracts.submit_extract(flow.person(world.importer), flow.extract(base, packages=10, weight="200").pk)
    board = build(world.inao_agent, world.membership(world.inao_agent), "2021/2306")
    (item,) = [p for p in board.pending if p.coi == extract]
    assert item.actions == ["Sign box 12 of the extract (decision)"]
