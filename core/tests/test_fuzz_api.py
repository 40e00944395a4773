"""schemathesis against /api/v1/openapi.json: every operation, as ACME's importer and as an outsider importer
of another company, in-process through Django's WSGI application. No answer is a server error, none breaks
the schema it declares, and every status code is one the operation declares.

Bounded: a few derandomized examples per operation (half of them aimed at real COIs and documents rather
than random ids), so the whole run takes seconds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.tests.security_world import Scene, build_scene, rolled_back

pytestmark = [pytest.mark.once, pytest.mark.django_db]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 6


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


@pytest.fixture(scope="module")
def schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def _real_ids(scene: Scene) -> dict[str, int]:
    return {
        "coi_id": scene.draft.pk,
        "document_id": scene.document.pk,
        "operator_id": scene.w.acme.pk,
        "membership_id": scene.w.membership(scene.w.importer).pk,
    }


def _fuzz(schema: Any, token: str, real: dict[str, int]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), aim=st.booleans())
        def run(case: Any, aim: bool) -> None:
            if aim and case.path_parameters:
                case.path_parameters = {k: real.get(k, v) for k, v in case.path_parameters.items()}
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; failures are reported together
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)


def test_it_answers_the_importer_within_the_schema(scene: Scene, schema: Any) -> None:
    _fuzz(schema, scene.importer_token, _real_ids(scene))


def test_it_answers_an_outsider_within_the_schema(scene: Scene, schema: Any) -> None:
    _fuzz(schema, scene.outsider_token, _real_ids(scene))
