"""The desk's pages stay cheap in SQL (issue 23, point 8): the new-COI form's first load, the edit page, a draft
save, a submission and the filtered list of the 2021/2306 form each run at most a fixed number of queries, counted
as the production server runs them (`test_step_queries.counted`: the request's outermost savepoint, a transaction on
the server, is not counted), so that a choices list read on every request or a query per row does not come back
unnoticed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from certificates.models import Certificate
from certificates.statuses import COIStatus
from directory.models import ActivityKind, ControlBodyCode

from .factories import ActivityFactory, ControlBodyCodeFactory, OperatorFactory
from .test_step_queries import counted

pytestmark = pytest.mark.django_db

# The counts on 7 Dec 2026 on PostgreSQL (SQLite: one fewer for the save and the submission), after the page's
# choices were read only where shown, and the edit page read its COI once and its lines' producers' control bodies
# together (21 and 19 before); a new query per request must be a choice, made here. A draft save locks its COI, then
# reads it once with its detail (it was read without the lock, then again with it: 18).
MOST = {"new form": 11, "edit page": 17, "draft save": 10, "submission": 25, "filtered list": 7}


def queries_of(request: Callable[[], Any]) -> int:
    sent: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = request()
    assert response.status_code in (200, 302), response.status_code
    return counted([{"sql": sql} for sql in sent])


@pytest.fixture
def desk(world: Any) -> tuple[Any, Client]:
    world.form = "2021/2306"
    client = Client()
    client.force_login(world.exporter)
    return world, client


def test_it_loads_the_new_coi_form_in_few_queries(desk: Any) -> None:
    _world, client = desk
    client.get("/certificates/new/form/?cn=08013200")  # the session and caches warm, as on a server
    assert queries_of(lambda: client.get("/certificates/new/form/?cn=08013200")) <= MOST["new form"]


def test_it_shows_the_edit_page_in_few_queries(desk: Any) -> None:
    world, client = desk
    coi = world.draft("exporter")
    client.get(f"/certificates/{coi.pk}/edit/")
    assert queries_of(lambda: client.get(f"/certificates/{coi.pk}/edit/")) <= MOST["edit page"]


def test_it_saves_a_draft_in_few_queries(desk: Any) -> None:
    world, client = desk
    coi = world.draft("exporter")
    client.get(f"/certificates/{coi.pk}/edit/")
    data = {"national_reference": "desk 2", "action": "save"}
    assert queries_of(lambda: client.post(f"/certificates/{coi.pk}/edit/", data)) <= MOST["draft save"]
    assert Certificate.objects.get(pk=coi.pk).national_reference == "desk 2"


def test_it_submits_in_few_queries(desk: Any) -> None:
    world, client = desk
    coi, warm = world.draft("exporter"), world.draft("exporter")
    client.post(f"/certificates/{warm.pk}/submit/")
    assert queries_of(lambda: client.post(f"/certificates/{coi.pk}/submit/")) <= MOST["submission"]
    assert Certificate.objects.get(pk=coi.pk).status == COIStatus.DESCRIPTION_COMPLETED


def test_it_lists_filtered_cois_in_few_queries(desk: Any) -> None:
    world, client = desk
    for _ in range(3):
        world.draft("exporter")
    client.get("/certificates/?status=draft&country=MA")
    assert queries_of(lambda: client.get("/certificates/?status=draft&country=MA")) <= MOST["filtered list"]


def test_it_shows_the_edit_page_in_the_same_queries_however_many_lines_and_producers(desk: Any) -> None:
    """Box 13's producers and their control bodies are read together: a draft of eight lines from four producers,
    each certified by its own control body, costs what a draft of two lines costs (each line read its producer's
    activity, and the page its control body, one query each: 12 more for six lines), and the COI is read once with
    its documents (it was read again for the visibility check)."""
    world, client = desk
    few = world.draft("exporter")
    line = world.complete_data()["commodities"][0]["lines"][0]
    codes, lines = [], []
    for n in range(4):
        producer = OperatorFactory(name=f"Producer {n}", country="MA")
        body = ControlBodyCodeFactory(code=f"MA-BIO-{500 + n}", categories="ABCDEF")
        ActivityFactory(operator=producer, kind=ActivityKind.PRODUCER, control_body_code=body)
        codes.append(body.code)
        lines += [{**line, "lot_number": f"LOT-{n}-{k}", "producer": producer.pk} for k in range(2)]
    many = world.draft("exporter", commodities=[{"cn_code": "08013200", "lines": lines}])
    client.get(f"/certificates/{few.pk}/edit/")
    counts = [queries_of(lambda coi=coi: client.get(f"/certificates/{coi.pk}/edit/")) for coi in (few, many)]
    assert counts[1] == counts[0] <= MOST["edit page"], counts
    page = client.get(f"/certificates/{many.pk}/edit/").content.decode()
    for code in codes:  # each line says its producer's control body, box 13 lists them with their names
        name = ControlBodyCode.objects.get(code=code).control_body.name
        assert page.count(f"{code}</span>") == 2 and f"{code} {name} (" in page
