"""Facts read with a row's lock, trusted only while the transaction that took the lock runs.

A step reads its COI locked, with answers such as "it has no signature" (EXISTS subqueries in the same query).
Every step that could change such an answer locks the same row first, so the answer holds until the step's
transaction ends, and no later: the instance may outlive it (a step returns it), and another transaction may
change the facts once the lock is released.

    hold(coi)                         # right after the locked read, inside the transaction
    known(coi, "lock_has_signatures") # the annotation while the lock is held, None after (ask the database)

The transaction is recognised by a marker kept in the connection's on-commit callbacks (dropped when it commits
or rolls back) and by the savepoints open when the lock was taken (a step inside a test's transaction, or
inside a caller's, is a savepoint released when the step returns).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


class _Held:
    def __init__(self, savepoints: set[Any]) -> None:
        self.savepoints = savepoints
        self.done = False

    def __call__(self) -> None:  # on commit: the lock is released
        self.done = True


def hold(instance: Any, like: Any = None) -> None:
    """Mark `instance`'s lock facts as held by the current transaction (or by the one holding `like`'s)."""
    held = getattr(like, "_under_lock", None) if like is not None else None
    if held is None:
        connection = transaction.get_connection()
        held = _Held(set(connection.savepoint_ids))
        transaction.on_commit(held)
    instance._under_lock = held


def holds(instance: Any) -> bool:
    """Whether the transaction that took `instance`'s lock is still the one running."""
    held = getattr(instance, "_under_lock", None)
    if held is None or held.done:
        return False
    connection = transaction.get_connection()
    if not connection.in_atomic_block or not held.savepoints <= set(connection.savepoint_ids):
        return False
    return any(callback is held for _sids, callback, _robust in connection.run_on_commit)


def known(instance: Any, name: str) -> Any:
    """The fact `name` read with the lock while it is held; None once it is not (then ask the database)."""
    return getattr(instance, name, None) if holds(instance) else None
