"""Issue 22 point 4, the rest of issue 12's kind: every step and every read that takes an id, through the API (each
operation of /api/v1/'s OpenAPI document with an id in its path, its query or its body) and through the pages
(each page of the URL conf with an id in its path, each form that posts an id), sent ids that do not exist, 0,
negative, huge (2**63, 10**30), of the wrong kind (a text, a decimal, a flag, the id of another kind of object)
and paths such as `-1`, `1%0A`, `abc`. What a person sees: the API answers JSON, 404 for a path id, 422 naming
the field (or its box) for a body or query id, never a 500 or an HTML page; a page answers its 404 page, or the
form again with the error at the field and what was typed kept; and nothing stored changed.

The operations and pages are read from the OpenAPI document and the URL resolver: a new one is walked the day it
is added, and one taking an id in its body that the walk cannot yet build a request for fails the test."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import ApiToken, User
from api.api import api
from certificates.models import Certificate, CommodityLine, Document
from certificates.statuses import COIStatus
from certificates.tests.workflow_world import code
from certificates.workflow import release
from core.converters import MAX_ID
from core.tests.security_world import PDF, Scene, build_scene, rolled_back
from core.tests.urlmap import pages
from customs.models import CustomsClient
from directory.models import (
    Authority,
    ControlBodyCode,
    Membership,
    Operator,
    OperatorActivity,
    PointOfEntry,
    RflGrant,
    RflRequest,
)

pytestmark = pytest.mark.django_db

MISSING = 987_654_321
# What a path id may be instead of an object's: the last two are filled per walk (an id nothing has, and the id of
# an object of another kind).
BAD_PATHS = ["0", "-1", "abc", "1%0A", "1.5", str(2**63), str(10**30), "missing", "other kind"]
BAD_VALUES: list[Any] = [0, -1, 2**63, 10**30, "5", 5.5, True, "missing", "other kind"]

# The kind of object each id names, by its name in a path, a query or a body.
KINDS: dict[str, Any] = {
    "coi_id": Certificate,
    "document_id": Document,
    "operator_id": Operator,
    "membership_id": Membership,
    "pk": None,  # a page's: per page (`PAGE_KINDS`)
    "acting_for": Membership,
    "exporter": Operator,
    "importer": Operator,
    "rfl": Operator,
    "first_consignee": Operator,
    "producer": Operator,
    "traders": Operator,
    "customs_operator": Operator,
    "consignee": Operator,
    "validating_authority": Authority,
    "authority_id": Authority,
    "point_of_entry": PointOfEntry,
    "requested_control_point": PointOfEntry,
    "control_point": PointOfEntry,
    "control_body_code_ids": ControlBodyCode,
    "line": CommodityLine,
}
OTHER_KINDS = [Operator, Authority, PointOfEntry, Certificate, CommodityLine, Membership, ControlBodyCode, Document]


def other_kind(kind: Any) -> int:
    """The id of an object of another kind that no object of `kind` has (an operator's for an authority's...)."""
    taken = set(kind.objects.values_list("pk", flat=True))
    for other in OTHER_KINDS:
        if other is not kind:
            for pk in other.objects.order_by("pk").values_list("pk", flat=True):
                if pk not in taken:
                    return int(pk)
    return MISSING - 1  # every id of the other kinds is one of this kind's too: an id nothing has instead


def bad(value: Any, kind: Any, walk: Walk | None = None) -> Any:
    if value == "missing":
        return MISSING
    if value == "other kind" and kind is CommodityLine and walk is not None:
        return _line(walk.scene.draft)  # a lot of another COI (every id of the other kinds is some COI's lot's)
    if value == "other kind":
        return other_kind(kind)
    return value


# What is stored -------------------------------------------------------------------------------------------------

# Written by any request, and none of what a person sees of their objects: sessions, a token's last use, the
# two-factor codes used, the mailbox of notices to send.
VOLATILE = {"sessions.session", "accounts.usedcode", "django_celery_results.taskresult"}
VOLATILE_FIELDS = {"last_used", "last_login", "last_used_at"}


def stored() -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in VOLATILE or model._meta.app_label in ("admin", "contenttypes", "auth"):
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_FIELDS]
        found[label] = sorted(model.objects.values_list(*names), key=repr)
    return found


def changed(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# The world, once for the module ---------------------------------------------------------------------------------


@dataclass
class Walk:
    scene: Scene
    union_draft: Certificate  # a draft of the form in force (its boxes 6, 23, 27: traders, control points)
    base: Certificate  # the guides' form, basis for extract (extract, split)
    union_base: Certificate  # the form in force, part can be released (its extract's box 8)
    issued: Certificate  # the form in force, issued: the validating authority manages its quantities by hand
    sps: bytes  # the SPS XML of the draft, to import
    notified: Certificate  # the form in force, issued: its importer's boxes 19-23 open
    selected: Certificate  # the form in force, box 25 signed, selected for checks: its authority's boxes 26-29 open

    @property
    def w(self) -> Any:
        return self.scene.w


@pytest.fixture(scope="module")
def walk(django_db_setup: None, django_db_blocker: Any) -> Iterator[Walk]:
    with django_db_blocker.unblock(), rolled_back():
        scene = build_scene()
        flow, w = scene.flow, scene.w
        base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
        w.form = "2021/2306"
        union_draft = flow.coi(COIStatus.DRAFT)
        union_base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
        issued = flow.coi(COIStatus.RELEASED_ORGANIC)
        notified = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
        selected = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
        release.sign_box_25(
            w.person(w.inao_agent), selected.pk, documentary="satisfactory", selected="yes", place="Le Havre"
        )
        w.form = "1235/2008"
        TOKENS.clear()
        for user in User.objects.all():  # one token each for the whole walk (a token issued is a row stored)
            TOKENS[user.pk] = ApiToken.issue(user, "walk")[1]
        sps = Client(HTTP_AUTHORIZATION=f"Bearer {TOKENS[w.importer.pk]}").get(
            f"/api/v1/certificates/{scene.draft.pk}/sps.xml"
        )
        assert sps.status_code == 200, sps.content
        yield Walk(scene, union_draft, base, union_base, issued, sps.content, notified, selected)


# The API --------------------------------------------------------------------------------------------------------

DOCUMENT = {"type": "other", "reference": "INV-2", "date": "2025-03-01", "issuing_country": "MA",
            "issuer": "Atlas Organic", "description": "Invoice"}  # fmt: skip


def _line(coi: Certificate) -> int:
    return int(CommodityLine.objects.filter(commodity__certificate=coi).order_by("pk").values_list("pk", flat=True)[0])


@dataclass(frozen=True)
class Call:
    """A request the operation would accept (or refuse for a business reason) but for the id walked."""

    user: Callable[[Walk], Any]
    coi: Callable[[Walk], Certificate] = lambda k: k.scene.draft
    body: Callable[[Walk], Any] = lambda k: {}
    signed: bool = False  # with a two-factor code
    alone: bool = False  # each id of the body is sent alone (they are alternatives: an operator, codes, an authority)
    # where a box is open to another person or in another status: its field -> (person, COI) to send it as
    elsewhere: Callable[[Walk], dict[str, tuple[Any, Certificate]]] = lambda k: {}


def _importer(k: Walk) -> Any:
    return k.w.importer


def _lines(k: Walk, coi: Certificate) -> list[dict[str, Any]]:
    return [{"line": _line(coi), "packages": 10, "net_weight": "200"}]


# The body of each operation sent with a wrong id in its path, its query or its body (a path id is walked with the
# other parts real). An operation with a body not listed here fails the walk: say here what it is sent.
CALLS: dict[str, Call] = {
    "POST /api/v1/certificates": Call(_importer, body=lambda k: {**k.w.complete_data(), "traders": [k.w.atlas.pk]}),
    "PATCH /api/v1/certificates/{coi_id}": Call(
        _importer,
        coi=lambda k: k.union_draft,
        body=lambda k: {
            "exporter": k.w.atlas.pk,
            "traders": [k.w.atlas.pk],
            "commodities": k.w.complete_data()["commodities"],
        },
        elsewhere=lambda k: {
            **dict.fromkeys(("rfl", "requested_control_point", "customs_operator"), (k.w.importer, k.notified)),
            "control_point": (k.w.inao_agent, k.selected),
        },
    ),
    "POST /api/v1/certificates/{coi_id}/extract": Call(
        _importer,
        coi=lambda k: k.union_base,
        body=lambda k: {
            "consignee": k.w.foods.pk,
            "quantities": _lines(k, k.union_base),
            "validating_authority": k.w.inao.pk,
            "point_of_entry": k.w.le_havre.pk,
        },
    ),
    "POST /api/v1/certificates/{coi_id}/split": Call(
        lambda k: k.w.inao_agent,
        coi=lambda k: k.base,
        signed=True,
        body=lambda k: {"parts": [{"consignee": k.w.foods.pk, "quantities": _lines(k, k.base)}], "place": "Paris"},
    ),
    "POST /api/v1/memberships": Call(
        lambda k: k.w.outsider_importer,
        body=lambda k: {"operator_id": k.w.acme.pk, "control_body_code_ids": [], "authority_id": None},
        alone=True,
    ),
    "POST /api/v1/certificates/{coi_id}/copy": Call(_importer),
    "POST /api/v1/certificates/import": Call(_importer, body=lambda k: k.sps),
    "POST /api/v1/auth/token": Call(_importer, body=lambda k: {"email": "x@example.org", "password": "x"}),
    "POST /api/v1/operators": Call(_importer, body=lambda k: {"name": "x", "country": "FR"}),
    "POST /api/v1/memberships/{membership_id}/decision": Call(_importer, body=lambda k: {"action": "validate"}),
    "POST /api/v1/memberships/{membership_id}/admin": Call(_importer, body=lambda k: {"is_admin": True}),
    "POST /api/v1/certificates/{coi_id}/documents": Call(_importer, body=lambda k: DOCUMENT),
    "POST /api/v1/certificates/{coi_id}/checks": Call(
        _importer, body=lambda k: {"documentary": "acceptable", "physical": "not_done"}
    ),
    "POST /api/v1/certificates/{coi_id}/sign": Call(_importer, body=lambda k: {"box": "18", "place": "x"}, signed=True),
    "POST /api/v1/certificates/{coi_id}/decide": Call(
        _importer, body=lambda k: {"decision": "consignment_verified", "place": "x"}, signed=True
    ),
    "POST /api/v1/certificates/{coi_id}/verify-23": Call(_importer, body=lambda k: {"place": "x"}, signed=True),
    "POST /api/v1/certificates/{coi_id}/sign-25": Call(
        _importer, body=lambda k: {"documentary": "satisfactory", "selected": False, "place": "x"}, signed=True
    ),
    "POST /api/v1/certificates/{coi_id}/decide-30": Call(
        _importer, body=lambda k: {"decision": "released_organic", "place": "x"}, signed=True
    ),
    "POST /api/v1/certificates/{coi_id}/sign-31": Call(
        _importer, body=lambda k: {"in_accordance": True, "place": "x"}, signed=True
    ),
    "POST /api/v1/certificates/{coi_id}/deplete": Call(_importer, body=lambda k: {"note": "x"}),
    "POST /api/v1/certificates/{coi_id}/replace": Call(_importer, body=lambda k: {"note": "x"}),
    "POST /api/v1/certificates/{coi_id}/flag": Call(_importer, body=lambda k: {"description": "x"}),
    "POST /api/v1/certificates/{coi_id}/delete": Call(_importer, body=lambda k: {"reason": "x"}),
    "POST /api/v1/certificates/{coi_id}/submit": Call(_importer),
    "POST /api/v1/certificates/{coi_id}/submit-extract": Call(_importer),
}


def _schema() -> dict[str, Any]:
    return dict(api.get_openapi_schema())


def _resolve(schema: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in part:
        part = schema["components"]["schemas"][part["$ref"].split("/")[-1]]
    return part


def _is_id(schema: dict[str, Any], part: dict[str, Any]) -> bool:
    """An id is an integer of 1 to MAX_ID (`api.schema.Id`), alone, optional or in a list."""
    part = _resolve(schema, part)
    if part.get("type") == "array":
        return _is_id(schema, part.get("items", {}))
    if "anyOf" in part:
        return any(_is_id(schema, p) for p in part["anyOf"])
    return part.get("type") == "integer" and part.get("maximum") == MAX_ID


def body_ids(schema: dict[str, Any], part: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths of the ids in a body's schema: ("exporter",), ("commodities", "lines", "producer"), ("traders",)."""
    part = _resolve(schema, part)
    found = []
    for sub in part.get("anyOf", []):
        found += body_ids(schema, sub, path)
    if part.get("type") == "array":
        found += body_ids(schema, part.get("items", {}), path)
    for name, prop in part.get("properties", {}).items():
        if _is_id(schema, prop):
            found.append((*path, name))
        else:
            found += body_ids(schema, prop, (*path, name))
    return sorted(set(found))


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    path_ids: tuple[str, ...]
    query_ids: tuple[str, ...]
    body_ids: tuple[tuple[str, ...], ...]
    content: str | None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def api_operations() -> list[Operation]:
    schema = _schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = operation.get("parameters", [])
            content = operation.get("requestBody", {}).get("content", {})
            kind = next(iter(content), None)
            found.append(
                Operation(
                    method.upper(),
                    path,
                    tuple(p["name"] for p in params if p["in"] == "path"),
                    tuple(p["name"] for p in params if p["in"] == "query" and _is_id(schema, p["schema"])),
                    tuple(body_ids(schema, content[kind]["schema"])) if kind else (),
                    kind,
                )
            )
    return found


OPERATIONS = api_operations()
WITH_IDS = [op for op in OPERATIONS if op.path_ids or op.query_ids or op.body_ids]


def test_it_walks_every_operation_that_takes_an_id() -> None:
    """A new operation with a body is walked only once `CALLS` says what it is sent."""
    unbuilt = [op.label for op in WITH_IDS if op.method != "GET" and op.content and op.label not in CALLS]
    assert unbuilt == [], "say in CALLS what these operations are sent"
    assert {"coi_id", "document_id", "operator_id", "membership_id"} <= {n for op in WITH_IDS for n in op.path_ids}
    assert len([op for op in WITH_IDS if op.body_ids]) >= 5
    unknown = {n for op in WITH_IDS for n in (*op.path_ids, *op.query_ids, *(p[-1] for p in op.body_ids))} - set(KINDS)
    assert unknown <= {"code"}, f"say in KINDS which object each of these names: {unknown}"


def _real_path(k: Walk, op: Operation, coi: Certificate) -> dict[str, Any]:
    return {
        "coi_id": coi.pk,
        "document_id": k.scene.document.pk,
        "operator_id": k.w.acme.pk,
        "membership_id": k.w.membership(k.w.importer).pk,
        "code": "08013200",
    }


def _send(k: Walk, op: Operation, path: dict[str, Any], body: Any, query: str = "", user: Any = None) -> Any:
    call = CALLS.get(op.label, Call(_importer))
    user = user or call.user(k)
    url = re.sub(r"\{(\w+)\}", lambda m: str(path[m.group(1)]), op.path) + query
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {_token(user)}")
    if op.content == "multipart/form-data":
        return client.post(url, {**body, "file": SimpleUploadedFile("invoice.pdf", PDF, "application/pdf")})
    if op.content == "application/xml":
        return client.generic(op.method, url, body or "<x/>", "application/xml")
    if call.signed and isinstance(body, dict):  # a code the refusal leaves unused (a step refused uses none)
        body = {**body, "code": code()}
    data = "" if body is None else body
    return client.generic(op.method, url, _json(data), "application/json")


TOKENS: dict[int, str] = {}


def _token(user: Any) -> str:
    return TOKENS[user.pk]


def _json(data: Any) -> str:
    return json.dumps(data) if data != "" else ""


def _problem(response: Any) -> str:
    """Why an API answer is not what a person should see, or '' when it is JSON with a code."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.content[:300]!r}"
    if not response.get("Content-Type", "").startswith("application/json"):
        return f"{response.status_code} {response.get('Content-Type')}: {response.content[:120]!r}"
    return ""


@pytest.mark.parametrize("op", [op for op in WITH_IDS if op.path_ids], ids=lambda op: op.label)
def test_it_answers_a_json_404_to_a_wrong_id_in_the_path(walk: Walk, op: Operation) -> None:
    call = CALLS.get(op.label, Call(_importer))
    before = stored()
    wrong = []
    for name in op.path_ids:
        if name not in KINDS:
            continue
        for value in BAD_PATHS:
            path = {**_real_path(walk, op, call.coi(walk)), name: bad(value, KINDS[name])}
            response = _send(walk, op, path, call.body(walk) if op.content else None)
            problem = _problem(response)
            if not problem and response.status_code != 404:
                problem = f"{response.status_code} {response.content[:200]!r}"
            if problem:
                wrong.append(f"{name}={path[name]}: {problem}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, stored()) == []


def _set(body: Any, path: tuple[str, ...], value: Any) -> Any:
    """The body with the id at `path` (in every item of the lists on the way) made `value`."""
    if isinstance(body, list):
        return [_set(item, path, value) for item in body]
    head, rest = path[0], path[1:]
    current = body.get(head)
    if not rest:
        return {**body, head: [value] if isinstance(current, list) or head.endswith(("_ids", "traders")) else value}
    return {**body, head: _set(current, rest, value)}


def _named(response: Any, field_path: tuple[str, ...]) -> bool:
    """A 422 that says where: the field in a schema error's location, the boxes of a rules' refusal, or a step's
    refusal coded by its input (`consignee`, `quantities`)."""
    body = response.json()
    if response.status_code != 422:
        return False
    if any(field_path[-1] in [str(p) for p in e.get("loc", [])] for e in body.get("errors", [])):
        return True
    return bool(body.get("boxes")) or body.get("code") in field_path


@pytest.mark.parametrize("op", [op for op in WITH_IDS if op.body_ids or op.query_ids], ids=lambda op: op.label)
def test_it_refuses_a_wrong_id_in_the_body_at_its_field(walk: Walk, op: Operation) -> None:
    call = CALLS[op.label] if op.label in CALLS else Call(_importer)
    coi = call.coi(walk)
    path = _real_path(walk, op, coi)
    before = stored()
    wrong = []
    for field_path in op.body_ids:
        base, user, at = call.body(walk), None, path
        if call.alone:
            base = {k: v for k, v in base.items() if (k,) not in op.body_ids}
        if field_path[-1] in call.elsewhere(walk):
            user, coi_there = call.elsewhere(walk)[field_path[-1]]
            base, at = {}, {**path, "coi_id": coi_there.pk}
        for value in BAD_VALUES:
            sent = bad(value, KINDS[field_path[-1]], walk)
            response = _send(walk, op, at, _set(base, field_path, sent), user=user)
            problem = _problem(response) or (
                "" if _named(response, field_path) else f"{response.status_code} {response.content[:300]!r}"
            )
            if problem:
                wrong.append(f"{'.'.join(field_path)}={sent!r}: {problem}")
    for name in op.query_ids:
        for value in BAD_VALUES:
            sent = bad(value, KINDS[name], walk)
            response = _send(walk, op, path, call.body(walk) if op.content else None, f"?{name}={sent}")
            problem = _problem(response) or (
                "" if _named(response, (name,)) else f"{response.status_code} {response.content[:300]!r}"
            )
            if problem:
                wrong.append(f"?{name}={sent!r}: {problem}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, stored()) == []


# The pages ------------------------------------------------------------------------------------------------------

# The kind of object a page's path id names, by the page's name (a page with an id not listed fails the walk).
PAGE_KINDS: dict[str, Any] = {
    "accounts:revoke_token": ApiToken,
    "customs:quantities": Certificate,
    "customs:revoke_client": CustomsClient,
    "customs:set_admin": Membership,
    "directory:decide": Membership,
    "directory:set_admin": Membership,
    "directory:decide_activity": OperatorActivity,
    "directory:rfl_revoke": RflGrant,
    "directory:rfl_decide": RflRequest,
    **{f"directory:{n}": Operator for n in ("add_activity", "add_identifier", "decide_operator", "operator",
                                            "operator_request", "operator_users")},
}  # fmt: skip
PAGES = [p for p in pages() if p.has_object]


def _page_kind(name: str, key: str) -> Any:
    if key == "document_id":
        return Document
    if name.startswith(("certificates:", "outputs:")):
        return Certificate
    return PAGE_KINDS[name]


def test_it_knows_the_kind_of_every_page_id() -> None:
    unknown = [
        p.name for p in PAGES if not p.name.startswith(("certificates:", "outputs:")) and p.name not in PAGE_KINDS
    ]
    assert unknown == [], "say in PAGE_KINDS which object the id of these pages names"
    assert len(PAGES) >= 30


def _browser(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(user)
    return client


def _page_problem(response: Any, allowed: tuple[int, ...]) -> str:
    if response.status_code >= 500 or response.status_code not in allowed:
        return f"{response.status_code}: {response.content[:300]!r}"
    if response.status_code != 405 and not response.get("Content-Type", "").startswith("text/html"):
        return f"{response.status_code} {response.get('Content-Type')}"
    return ""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_it_answers_its_404_page_to_a_wrong_id_in_a_page_path(walk: Walk, page: Any) -> None:
    client = _browser(walk.w.importer)
    before = stored()
    wrong = []
    for key, _empty in page.kwargs:
        if key not in ("pk", "document_id"):
            continue
        for value in BAD_PATHS:
            url = page.url(walk.scene, **{key: bad(value, _page_kind(page.name, key), walk)})
            for method in ("get", "post"):  # posted as a decision would be (a refused decision says why first)
                response = client.get(url) if method == "get" else client.post(url, {"action": "validate"})
                problem = _page_problem(response, (404, 405))
                if problem:
                    wrong.append(f"{method.upper()} {url}: {problem}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, stored()) == []


@dataclass(frozen=True)
class Form:
    """A page's form as its person would post it, and the names of the ids it posts."""

    user: Callable[[Walk], Any]
    url: Callable[[Walk], str]
    post: Callable[[Walk], dict[str, Any]]
    ids: Callable[[Walk, dict[str, Any]], list[str]]  # the fields holding an id, or "packages_<id>" for a lot's


def _edit_form(k: Walk) -> dict[str, Any]:
    from certificates.tests.union_part import as_shown

    shown = as_shown(_browser(k.w.importer), k.union_draft)
    return {**{n: v for n, v in shown.items() if n != "csrfmiddlewaretoken"}, "traders": str(k.w.atlas.pk)}


def _box_ids(k: Walk, post: dict[str, Any]) -> list[str]:
    return [n for n in post if re.sub(r"^c-\d+-l-\d+-", "", n) in KINDS]


def _lots(k: Walk, coi: Certificate) -> dict[str, str]:
    return {f"packages_{_line(coi)}": "10", f"weight_{_line(coi)}": "200", "consignee": str(k.w.foods.pk)}


# Each page form that posts an id (a person's choice in a picker or a select, a lot's field name).
FORMS: dict[str, Form] = {
    "certificates:edit": Form(_importer, lambda k: f"/certificates/{k.union_draft.pk}/edit/", _edit_form, _box_ids),
    "certificates:workflow_extract": Form(
        _importer,
        lambda k: f"/certificates/{k.base.pk}/workflow/extract/",
        lambda k: _lots(k, k.base),
        lambda k, post: ["consignee", next(n for n in post if n.startswith("packages_"))],
    ),
    "certificates:workflow_split": Form(
        lambda k: k.w.inao_agent,
        lambda k: f"/certificates/{k.base.pk}/workflow/split/",
        lambda k: {**_lots(k, k.base), "place": "Paris", "code": code()},
        lambda k, post: ["consignee", next(n for n in post if n.startswith("packages_"))],
    ),
    "customs:quantities": Form(
        lambda k: k.w.inao_agent,
        lambda k: f"/customs/coi/{k.issued.pk}/",
        lambda k: {"line": str(_line(k.issued)), "direction": "write_off", "net_weight": "1", "reason": "Lost"},
        lambda k, post: ["line"],
    ),
    "directory:authority_request": Form(
        lambda k: k.w.outsider_importer,
        lambda k: "/directory/authorities/request/",
        lambda k: {"authority": str(k.w.inao.pk), "contact_email": "o@example.org", "message": "x"},
        lambda k, post: ["authority"],
    ),
    "directory:control_body_request": Form(
        lambda k: k.w.outsider_importer,
        lambda k: "/directory/control-bodies/request/",
        lambda k: {"codes": str(k.w.ecocert_fr.pk), "contact_email": "o@example.org", "message": "x"},
        lambda k, post: ["codes"],
    ),
    "directory:act_for": Form(
        _importer,
        lambda k: "/directory/roles/act-for/",
        lambda k: {"membership": str(k.w.membership(k.w.importer).pk)},
        lambda k, post: ["membership"],
    ),
}
# A form's values are all texts: "5" is the id 5 there (of another kind: "other kind").
PAGE_VALUES = [v for v in BAD_VALUES if v != "5"]
FIELD_KINDS = {**KINDS, "authority": Authority, "codes": ControlBodyCode, "membership": Membership}


def _renamed(post: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """The form with the id `value` at `name`, or a lot's field names made of it (`packages_<value>`)."""
    if name.startswith("packages_"):
        line = name.removeprefix("packages_")
        post = {k: v for k, v in post.items() if not k.endswith(f"_{line}")}
        return {**post, f"packages_{value}": "10", f"weight_{value}": "200"}
    return {**post, name: str(value)}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_it_refuses_a_wrong_id_in_a_page_form_at_its_field(walk: Walk, name: str) -> None:
    form = FORMS[name]
    client = _browser(form.user(walk))
    base = form.post(walk)
    before = stored()
    wrong = []
    for field_name in form.ids(walk, base):
        kind = (
            CommodityLine
            if field_name.startswith("packages_")
            else FIELD_KINDS[re.sub(r"^c-\d+-l-\d+-", "", field_name)]
        )
        for value in PAGE_VALUES:
            sent = bad(value, kind, walk)
            response = client.post(form.url(walk), _renamed(base, field_name, sent))
            problem = _page_problem(response, (404, 409, 422))
            if problem:
                wrong.append(f"{field_name}={sent!r}: {problem}")
    assert wrong == [], "\n".join(wrong)
    assert changed(before, stored()) == []
