"""Test data built once per module when every test of the module asks for it (Django's `setUpTestData`, for
pytest fixtures): `once_per_module(build, "world")` is a module-scoped fixture that builds the data in a
transaction undone after the module; each test gets a deep copy of the objects (so what a test changes on them
stays its own) and runs, as always, in its own savepoint undone after it, so it reads the data as built and
nothing another test did.

The data is shared only where no test can tell: when every test of the module (as selected for the run) that may
read the database asks for the fixture and none needs real transactions (`transactional_db`, `live_server`, `django_db(transaction=True)`):
otherwise the fixture answers None and the data is built for each test, as before. A test that does not ask
for the data never sees it."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool(TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def _reads_the_database(item: pytest.Item) -> bool:
    return (
        bool(item.get_closest_marker("django_db")) or "db" in getattr(item, "fixturenames", ()) or _transactional(item)
    )


def shared_in(request: pytest.FixtureRequest, name: str) -> bool:
    """Whether every test of the requesting module that may read the database (pytest-django blocks the others)
    asks for `name` and runs in a savepoint."""
    mine = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    readers = [item for item in mine if _reads_the_database(item)]
    return bool(readers) and all(name in item.fixturenames and not _transactional(item) for item in readers)


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Data made for a whole module, undone after it (the tests inside nest their own transactions)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def once_per_module(build: Callable[[], Any], name: str) -> Any:
    """A module-scoped fixture: `build()`'s result for the module's tests to copy, or None (build per test)."""

    @pytest.fixture(scope="module")
    def fixture(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
        if not shared_in(request, name):
            yield None
            return
        with django_db_blocker.unblock(), rolled_back():
            yield build()

    return fixture


def own_copy(shared: Any, build: Callable[[], Any]) -> Any:
    """The test's data: a copy of the module's, or its own, built now."""
    return build() if shared is None else copy.deepcopy(shared)
