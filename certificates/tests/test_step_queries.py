"""Writes as cheap as reads (issue 26, point 3): every workflow step and a draft edit, taken through the API as
a client takes them, runs at most 15 SQL queries, and the same number whether the database holds a few other
COIs or many more, each with more lines (the count is what `make bench`'s middleware counts on the production
server: the task rows queued by the step and after its commit are counted, the transaction's BEGIN and COMMIT
are not)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from certificates.models import Certificate, Commodity, CommodityLine
from certificates.statuses import COIStatus

from .workflow_world import CHECKS, code, make_flow

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"
MOST = 15
MANY = 30  # other COIs added between the two counts, each with three lines per product

# The production server's task queue (a row per queued task), its PDF renders after each step.
PRODUCTION_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def flow(world):
    return make_flow(world)


def counted(queries: list[dict[str, str]]) -> int:
    """The queries a production server runs for them: the test's own transaction makes the request's outermost
    transaction a savepoint, which on the server is BEGIN ... COMMIT (not counted); inner savepoints count."""
    depth, n = 0, 0
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SAVEPOINT"):
            n += depth > 0
            depth += 1
        elif sql.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            depth -= 1
            n += depth > 0
        else:
            n += 1
    return n


class Caller:
    """A client system with its API token, used once before (a token's last use is written once a minute)."""

    def __init__(self, user: Any) -> None:
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'queries')[1]}"}
        self.client = Client()
        assert self.client.get("/api/v1/me", **self.headers).status_code == 200

    def send(self, method: str, path: str, body: dict[str, Any] | None) -> tuple[int, int, Any]:
        """(status, queries, answer) of one request, its on-commit work included."""
        send = getattr(self.client, method)
        with (
            override_settings(TASKS=PRODUCTION_TASKS, PDF_PRERENDER=True),
            CaptureQueriesContext(connection) as queries,
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            response = send(f"{URL}/{path}", body or {}, content_type="application/json", **self.headers)
        return response.status_code, counted(queries.captured_queries), response.json()


def crowd(flow: Any, n: int = MANY) -> None:
    """`n` more COIs of the same parties, submitted, each product with three lines: what a busier database holds."""
    model = flow.w.submitted()
    commodity = model.commodities.first()
    lines = list(commodity.lines.all())
    clones = []
    for i in range(n):
        clone = Certificate.objects.get(pk=model.pk)
        clone.pk = None
        clone.number = f"{model.number}-{i}"
        clones.append(clone)
    Certificate.objects.bulk_create(clones)
    commodities = Commodity.objects.bulk_create(
        Commodity(certificate=c, cn_code_id=commodity.cn_code_id, position=0) for c in clones
    )
    CommodityLine.objects.bulk_create(
        CommodityLine(commodity=m, position=k, **{f: getattr(lines[0], f) for f in ("trade_name", "lot_number",
                      "packages", "packaging_type", "net_weight", "net_weight_unit", "producer_id")})
        for m in commodities for k in range(3)
    )  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One step: the COI it is taken on (made afresh for each count), who takes it, its request."""

    prepare: Callable[[Any], Certificate]
    who: str
    method: str
    path: str
    body: Callable[[Any, Certificate], dict[str, Any]] = lambda flow, coi: {}
    form: str = "1235/2008"
    two_factor: bool = False
    ok: int = 200
    most: int = MOST


def _basis(flow: Any) -> Certificate:
    return flow.coi(COIStatus.BASIS_FOR_EXTRACT)


def _lot(coi: Certificate) -> int:
    return coi.commodities.first().lines.first().pk


def _extract_draft(flow: Any) -> Certificate:
    return flow.extract(_basis(flow), 10, "100")


def _verified_2306(flow: Any) -> Certificate:
    from certificates.workflow import release

    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    release.verify_box_23(flow.person(flow.w.inao_agent), coi.pk, place="Le Havre")
    return coi


def _box_25_signed(flow: Any) -> Certificate:
    from certificates.workflow import release

    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    release.sign_box_25(flow.person(flow.w.inao_agent), coi.pk, documentary="satisfactory", selected="no", place="LH")
    return coi


ARRIVAL = (timezone.now() + datetime.timedelta(days=5)).isoformat()

CASES: dict[str, Case] = {
    "draft edit": Case(lambda f: f.w.draft(), "importer", "patch", "{id}",
                       lambda f, c: {"national_reference": "ACME-2026-18"}, most=8),
                       # Its products read once, with their lines (box 2's procedure read them a first time).
    "box edit after submission": Case(lambda f: f.coi(COIStatus.ISSUING_BODY_SIGNED), "importer", "patch", "{id}",
                                      lambda f, c: {"prior_notification_at": ARRIVAL}, form="2021/2306"),
    "submit": Case(lambda f: f.w.draft(), "importer", "post", "{id}/submit"),
    "checks": Case(lambda f: f.w.submitted(), "control_body", "post", "{id}/checks", lambda f, c: CHECKS),
    "sign 18": Case(lambda f: f.w.submitted(), "control_body", "post", "{id}/sign",
                    lambda f, c: {"box": "18", "place": "Agadir", "checks": CHECKS}, two_factor=True),
    "decide 20": Case(lambda f: f.coi(COIStatus.ISSUING_BODY_SIGNED), "inao_agent", "post", "{id}/decide",
                      lambda f, c: {"decision": "consignment_verified", "place": "Paris"}, two_factor=True),
    "sign 21": Case(lambda f: f.coi(COIStatus.CONSIGNMENT_VERIFIED), "consignee", "post", "{id}/sign",
                    lambda f, c: {"box": "21", "place": "Lyon"}, two_factor=True),
    "verify 23": Case(lambda f: f.coi(COIStatus.ISSUING_BODY_SIGNED), "inao_agent", "post", "{id}/verify-23",
                      lambda f, c: {"place": "Le Havre"}, form="2021/2306", two_factor=True),
    "sign 25": Case(_verified_2306, "inao_agent", "post", "{id}/sign-25",
                    lambda f, c: {"documentary": "satisfactory", "selected": False, "place": "Le Havre"},
                    form="2021/2306", two_factor=True),
    "decide 30": Case(_box_25_signed, "inao_agent", "post", "{id}/decide-30",
                      lambda f, c: {"decision": "released_organic", "place": "Le Havre"}, form="2021/2306",
                      two_factor=True),
    "sign 31": Case(lambda f: f.coi(COIStatus.RELEASED_ORGANIC), "consignee", "post", "{id}/sign-31",
                    lambda f, c: {"in_accordance": True, "place": "Lyon"}, form="2021/2306", two_factor=True),
    "extract": Case(_basis, "importer", "post", "{id}/extract",
                    lambda f, c: {"consignee": f.w.foods.pk,
                                  "quantities": [{"line": _lot(c), "packages": 10, "net_weight": "100"}]}, ok=201),
    "submit extract": Case(_extract_draft, "importer", "post", "{id}/submit-extract"),
    "split": Case(_basis, "border_agent", "post", "{id}/split",
                  lambda f, c: {"place": "Le Havre", "parts": [{"consignee": f.w.foods.pk, "quantities": [
                      {"line": _lot(c), "packages": 10, "net_weight": "100"}]}]}, two_factor=True, ok=201),
                  # One part: a new COI with its lots, signed; its two history entries and the base's in one
                  # INSERT, both COIs' PDFs in one queued render, the notice one queued task (each further part
                  # adds its COI's rows).
    "deplete": Case(_basis, "inao_agent", "post", "{id}/deplete", lambda f, c: {"note": "All released"}),
    "replace": Case(lambda f: f.coi(COIStatus.ISSUING_BODY_SIGNED), "control_body", "post", "{id}/replace",
                    ok=201),
    "flag": Case(lambda f: f.coi(COIStatus.FIRST_CONSIGNEE_SIGNED), "importer", "post", "{id}/flag",
                 lambda f, c: {"description": "Residues found"}),
    "delete": Case(lambda f: f.coi(COIStatus.CONSIGNMENT_VERIFIED), "inao_agent", "post", "{id}/delete",
                   lambda f, c: {"reason": "Duplicate of another COI"}),
}  # fmt: skip


def take(flow: Any, caller: Caller, case: Case, period: int) -> int:
    coi = case.prepare(flow)
    body = case.body(flow, coi)
    if case.two_factor:
        body = {**body, "code": code(period)}
    status, queries, answer = caller.send(case.method, case.path.format(id=coi.pk), body)
    assert status == case.ok, answer
    return queries


@pytest.mark.parametrize("name", list(CASES))
def test_it_takes_each_step_in_at_most_15_queries_however_many_cois_there_are(flow, name):
    """At most 15 (on PostgreSQL 16: the COI's lock taken alone), the same with 30 more COIs."""
    case = CASES[name]
    flow.w.form = case.form
    flow.w.submitted()  # one other COI, and this year's number sequence
    caller = Caller(getattr(flow.w, case.who))
    few = take(flow, caller, case, 0)
    crowd(flow)
    many = take(flow, caller, case, 1)
    print(f"{name}: {few} queries ({connection.vendor}), {many} with {MANY} more COIs")
    # PostgreSQL: the lock is taken alone before the read (access.get_visible), one query more.
    assert few <= case.most + (connection.vendor == "postgresql"), f"{name}: {few} queries"
    assert many == few, f"{name}: {few} queries with few COIs, {many} with {MANY} more"


# The production settings' shared cache (opencoi/settings.py); the tests' own is in memory (test_settings.py).
PRODUCTION_CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "opencoi_cache"}}
TWO_FACTOR_STEPS = [name for name, case in CASES.items() if case.two_factor]


@pytest.mark.parametrize("name", TWO_FACTOR_STEPS)
def test_it_counts_a_signature_the_same_with_the_production_cache(flow, name):
    """With the database cache of the production settings, a step with a two-factor code runs the queries
    counted above: its code's one use is one row of its own table (accounts.UsedCode), not an entry of the
    cache (allauth's mark cost 5 more queries there: a COUNT, a SELECT, an INSERT and a savepoint)."""
    from django.core.management import call_command

    case = CASES[name]
    flow.w.form = case.form
    flow.w.submitted()
    caller = Caller(getattr(flow.w, case.who))
    in_memory = take(flow, caller, case, 0)
    with override_settings(CACHES=PRODUCTION_CACHES):
        call_command("createcachetable", verbosity=0)
        # PostgreSQL: one more, the lock taken alone (as above).
        assert take(flow, caller, case, 1) == in_memory <= case.most + (connection.vendor == "postgresql")


def test_it_reads_no_browser_session_when_a_step_comes_with_an_api_token(flow):
    """A client that sends a browser's session cookie along with its token (as `make bench`'s client does) pays
    for the token alone: the session's row and its person were read on every call (2 queries more than counted
    above)."""
    flow.w.submitted()
    caller = Caller(flow.w.importer)
    alone = take(flow, caller, CASES["draft edit"], 0)
    caller.client.force_login(flow.w.exporter)
    assert take(flow, caller, CASES["draft edit"], 0) == alone


def test_it_lets_a_step_take_exactly_the_cois_the_person_sees(flow):
    """A step reads its COI by id, locked, and asks the row the visibility rule (`access.visible_to`): the same
    answer as the lists' query (`access.visible_filter`) for every party and outsider, every status."""
    from django.db import transaction

    from certificates.access import get_visible, visible_certificates
    from core.errors import NotFound

    cois = [flow.w.draft(), flow.w.draft("exporter"), flow.w.submitted(), flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED),
            flow.coi(COIStatus.DELETED)]  # fmt: skip
    cois.append(flow.extract(flow.coi(COIStatus.BASIS_FOR_EXTRACT), 10, "100", user=flow.w.forwarder))
    people = [flow.party(role) for role in ("importer", "exporter", "control_body", "validating_authority",
              "entry_authority", "rfl", "first_consignee")] + [flow.outsider(role) for role in ("importer",
              "exporter", "control_body", "validating_authority")]  # fmt: skip
    seen = 0
    for user in people:
        person = flow.person(user)
        for coi in cois:
            listed = visible_certificates(person).filter(pk=coi.pk).exists()
            with transaction.atomic():
                try:
                    taken = get_visible(person, coi.pk, for_update=True).pk == coi.pk
                except NotFound:
                    taken = False
            assert taken == listed, (user.email, coi.status, coi.base_id)
            seen += listed
    assert 0 < seen < len(people) * len(cois)  # some see some, none sees all


def test_it_reads_a_coi_s_detail_alike_by_its_compiled_queries(flow):
    """`queries.detail_of` (its row and parts by SQL built once per process) gives what `detail_queryset` gives:
    the same boxes, in the same order, each part knowing what it points to without another query."""
    from certificates.boxes import as_data
    from certificates.queries import detail_of, detail_queryset

    coi = flow.w.submitted()
    compiled, built = detail_of(coi.pk), detail_queryset().get(pk=coi.pk)
    assert compiled is not None and as_data(compiled) == as_data(built)
    with CaptureQueriesContext(connection) as queries:
        for commodity in compiled.commodities.all():
            assert commodity.certificate is compiled and commodity.cn_code.parent.parent.code == "08"
            assert commodity.cn_code.parent.parent.parent is None  # read with it (the chapter has none)
            for line in commodity.lines.all():
                assert line.commodity is commodity and line.producer.activities.all()
                assert line.producer_control_body_code.control_body.name
        assert [c.certificate for c in compiled.containers.all()] == [compiled]
    assert not queries.captured_queries


def test_it_queues_a_steps_notice_and_its_pdfs_render_in_one_insert_that_the_worker_runs(flow):
    """A box 18 signature queues two tasks with the production queue, its notice to the parties and its PDFs'
    render (`core.tasks.queued_together`): one INSERT for both (one each before, issue 26), each row as the
    queue's own `enqueue` writes it (a row the worker picks: run after "now", not NULL), so the worker runs
    them: the importer reads the notice."""
    from django_tasks.base import TaskContext
    from django_tasks_db.models import DBTaskResult

    from core.models import Notice

    caller = Caller(flow.w.control_body)
    coi = flow.w.submitted()
    body = {"box": "18", "place": "Agadir", "checks": CHECKS, "code": code(0)}
    with override_settings(TASKS=PRODUCTION_TASKS, PDF_PRERENDER=True):
        with CaptureQueriesContext(connection) as queries:
            status, _n, answer = caller.send("post", f"{coi.pk}/sign", body)
        assert status == 200, answer
        inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "django_tasks_database')]
        assert len(inserts) == 1
        queued = {row.task_path.rsplit(".", 1)[-1]: row for row in DBTaskResult.objects.all()}
        assert sorted(queued) == ["prerender", "tell_later"]
        from certificates.outputs.pdf_store import prerender

        alone = DBTaskResult.objects.get(pk=prerender.enqueue(coi.pk).id)  # as a task queued alone is written
        fields = ("status", "priority", "queue_name", "backend_name", "run_after", "args_kwargs", "worker_ids")
        assert [getattr(queued["prerender"], f) for f in fields] == [getattr(alone, f) for f in fields]
        assert DBTaskResult.objects.ready().filter(pk__in=[r.pk for r in queued.values()]).count() == 2
        notice = queued["tell_later"]
        notice.task.call(TaskContext(task_result=notice.task_result), *notice.task_result.args)  # as the worker
    assert Notice.objects.filter(user=flow.w.importer, text__contains=coi.number).exists()
