"""schemathesis against /api/v1/openapi.json with every one of its checks on (issue 12, point 10): every
operation, as ACME's importer and as ECOCERT's control body, in-process through Django's WSGI application,
with positive and negative data (half the cases aimed at real COIs, documents, operators and memberships
rather than random ids). No answer is a server error, every status code, content type, header and body is
one the operation declares, invalid data is refused and valid data accepted.

Issue 22, point 5: as the border authority and the first consignee too, aimed at an issued COI of the form in force
(its Union part's steps, boxes 23-31), with fewer examples each.

Then the done-when of issue 12: after the fuzzing (FUZZ_EXAMPLES examples per operation, positive and negative, as the
importer; a third of that as the control body, whose answers go through the same schema and checks and differ only by who may act),
every COI is still visible to its parties, and boxes 1, 4, 11 and 13 are what they were, or exactly what the
last accepted change (a 2xx answer) said they became: nothing lost, emptied or cut.

The figures (operations, cases, failures by check) are printed with `-s` and asserted all zero."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from accounts.models import ApiToken
from certificates.access import roles_on
from certificates.models import Certificate
from certificates.statuses import COIStatus
from core.tests.security_world import Scene, build_scene, rolled_back

pytestmark = [pytest.mark.once, pytest.mark.django_db]

# `make test` runs a short pass (10 examples per operation as the importer: about 1,700 cases); the big run is by
# hand, e.g. `FUZZ_EXAMPLES=40 pytest -p no:xdist -s core/tests/test_fuzz_api.py` (about 7,000 cases);
# FUZZ_ACTOR_EXAMPLES sets the other three actors' (issue 22 point 5 ran FUZZ_EXAMPLES=200 FUZZ_ACTOR_EXAMPLES=70:
# 22,550 cases, about 21 minutes). Every failure is listed, one per operation and kind, and the figures per actor.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# The second actor exercises the same operations and checks; what changes is only who is refused: fewer examples.
SECOND_ACTOR_EXAMPLES = int(os.environ.get("FUZZ_ACTOR_EXAMPLES", max(5, EXAMPLES // 3)))
# The border authority and the first consignee (issue 22): fewer still, on the Union part's COI.
UNION_ACTOR_EXAMPLES = int(os.environ.get("FUZZ_ACTOR_EXAMPLES", max(4, EXAMPLES // 6)))
KEPT_BOXES = ("1", "4", "11", "13")


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


@pytest.fixture(scope="module")
def schema() -> Any:
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    # Schema-valid data may still break a rule no JSON schema can say (a country that exists, an operator id
    # that is one, box 4 before box 11): the API answers those 422 with the reason at its box, as documented.
    # Every other check keeps its defaults.
    accepted = loaded.config.checks.positive_data_acceptance
    accepted.expected_statuses = [*accepted.expected_statuses, "422"]
    return loaded


def _checks() -> list[Any]:
    load_all_checks()
    return CHECKS.get_all()


def _real_ids(scene: Scene) -> dict[str, int]:
    return {
        "coi_id": scene.draft.pk,
        "document_id": scene.document.pk,
        "operator_id": scene.w.acme.pk,
        "membership_id": scene.w.membership(scene.w.importer).pk,
    }


@dataclass
class Figures:
    operations: int = 0
    cases: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # one per operation and kind of failure
    seen: set[tuple[str, str]] = field(default_factory=set)
    written: dict[int, dict[str, Any]] = field(default_factory=dict)  # COI id -> boxes of the last 2xx answer

    def __str__(self) -> str:
        kinds = ", ".join(f"{k}: {n}" for k, n in sorted(self.failures.items())) or "none"
        return f"{self.operations} operations, {self.cases} cases, failures by check: {kinds}"


def _fuzz(schema: Any, token: str, real: dict[str, int], figures: Figures, examples: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    checks = _checks()
    for result in schema.get_all_operations():
        operation = result.ok()
        figures.operations += 1

        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        # Only valid cases are aimed at real objects: aiming an invalid one would make its path valid again.
        @given(
            drawn=st.one_of(
                st.tuples(operation.as_strategy(GenerationMode.POSITIVE), st.booleans(), st.just(False)),
                st.tuples(operation.as_strategy(GenerationMode.NEGATIVE), st.just(False), st.just(True)),
            )
        )
        def run(drawn: tuple[Any, bool, bool]) -> None:
            case, aim, negative = drawn
            if aim and case.path_parameters:
                case.path_parameters = {k: real.get(k, v) for k, v in case.path_parameters.items()}
            figures.cases += 1
            # an invalid case whose own Authorization header is the invalid part is sent as generated
            sent = {} if negative and "Authorization" in (case.headers or {}) else headers
            try:
                response = case.call_and_validate(headers=sent, checks=checks)
            except (Exception, BaseExceptionGroup) as exc:  # a check failed: count it by kind, one example each
                for failure in getattr(exc, "exceptions", [exc]):
                    kind = type(failure).__name__ if not hasattr(failure, "title") else failure.title
                    if (case.operation.label, kind) not in figures.seen:
                        figures.seen.add((case.operation.label, kind))
                        figures.examples.append(f"{case.operation.label}: {kind}: {str(failure)[:800]}")
                    figures.failures[kind] += 1
                return
            _remember(case, response, figures)

        run()


def _remember(case: Any, response: Any, figures: Figures) -> None:
    """A COI's boxes as the API said it stored them, after an accepted change."""
    if case.method.upper() == "GET" or not 200 <= response.status_code < 300:
        return
    try:
        body = response.json()
    except ValueError:
        return
    for item in body if isinstance(body, list) else [body]:
        if isinstance(item, dict) and isinstance(item.get("boxes"), dict) and "id" in item:
            figures.written[item["id"]] = item["boxes"]


def _kept(boxes: dict[str, Any]) -> dict[str, Any]:
    return {
        "1": boxes["control_body_code"],
        "4": boxes["exporter"],
        "11": boxes["importer"],
        "13": [
            (
                c["cn_code"],
                [(ln["trade_name"], ln["lot_number"], ln["packages"], str(ln["net_weight"])) for ln in c["lines"]],
            )
            for c in boxes["commodities"]
        ],
    }


def _boxes_seen_by(client: Client, token: str, coi_id: int) -> dict[str, Any] | None:
    response = client.get(f"/api/v1/certificates/{coi_id}", HTTP_AUTHORIZATION=f"Bearer {token}")
    return _kept(response.json()["boxes"]) if response.status_code == 200 else None


def test_it_answers_within_the_schema_and_keeps_every_coi_whole(scene: Scene, schema: Any) -> None:
    w = scene.w
    actors = {"importer": (w.importer, scene.importer_token)}
    actors["control body"] = (w.control_body, ApiToken.issue(w.control_body, "fuzz")[1])
    # Issue 22, point 5: the Union part's actors too, aimed at an issued COI of the form in force (boxes 19-31).
    actors["border authority"] = (w.border_agent, ApiToken.issue(w.border_agent, "fuzz")[1])
    actors["first consignee"] = (w.consignee, ApiToken.issue(w.consignee, "fuzz")[1])
    w.form, form = "2021/2306", w.form
    union = scene.flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    w.form = form
    client = Client()
    before = {
        coi.pk: _boxes_seen_by(client, token, coi.pk)
        for coi in Certificate.objects.all()
        for user, token in actors.values()
        if roles_on(w.person(user), coi)
    }
    assert len(before) >= 3

    figures = Figures()
    # The real objects as they are before the fuzzing: the importer's own membership is the one to aim at, even
    # once the fuzzing had their request to act for another organisation accepted (they then have two).
    real = _real_ids(scene)
    union_real = {**real, "coi_id": union.pk}
    plan = (
        (real, EXAMPLES),
        (real, SECOND_ACTOR_EXAMPLES),
        (union_real, UNION_ACTOR_EXAMPLES),
        (union_real, UNION_ACTOR_EXAMPLES),
    )
    for (name, (_user, token)), (aimed, examples) in zip(actors.items(), plan, strict=True):
        cases, failed = figures.cases, sum(figures.failures.values())
        _fuzz(schema, token, aimed, figures, examples)
        failed = sum(figures.failures.values()) - failed
        print(f"\nas the {name}: {examples} examples per operation, {figures.cases - cases} cases, {failed} failures")
    print(f"\nschemathesis, every check ({len(_checks())}), as {' and '.join(actors)}: {figures}")

    assert figures.operations >= 4 * 40
    assert figures.failures == Counter(), "\n\n".join(figures.examples)
    lost = []
    for coi in Certificate.objects.all():
        for name, (user, token) in actors.items():
            if not roles_on(w.person(user), coi):
                continue
            seen = _boxes_seen_by(client, token, coi.pk)
            expected = _kept(figures.written[coi.pk]) if coi.pk in figures.written else before.get(coi.pk)
            if seen is None:
                lost.append(f"COI {coi.pk} not visible to its {name}")
            elif expected is not None and seen != expected:
                lost.append(f"COI {coi.pk} seen by its {name}: {seen} instead of {expected}")
    assert lost == []
