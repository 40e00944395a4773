"""Request ids: every call of the exchange carries one (`request_id`, 1 to 64 characters the caller chooses,
e.g. a UUID). A call that changes quantities stores its answer under (office, request id) in the same transaction
as the change: a retry after a lost answer gets that answer again (`"replayed": true`) and changes nothing; the
same request id with another body is refused (409 `request_id_reused`). Two copies of one call sent at once:
the second waits on the first's row (the unique index) and then answers as it did. A refused call stores
nothing (nothing was changed), so its retry is checked again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from customs.models import ExchangeRequest
from customs.quantities import Caller
from customs.rules import Refused

Answer = tuple[int, dict[str, Any]]


def fingerprint(operation: str, payload: Any) -> str:
    return hashlib.sha256(json.dumps([operation, payload], sort_keys=True, default=str).encode()).hexdigest()


def once(caller: Caller, request_id: str, operation: str, payload: Any, run: Callable[[], Answer]) -> Answer:
    """`run()` once per request id of the caller's office; its (status, answer) kept with it."""
    mark = fingerprint(operation, payload)
    stored = _stored(caller, request_id, mark)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            row = ExchangeRequest.objects.create(
                office=caller.office, request_id=request_id, operation=operation, fingerprint=mark, status=0,
                answer={},
            )  # fmt: skip
            status, answer = run()
            row.status, row.answer = status, json.loads(json.dumps(answer, default=str))
            row.save(update_fields=["status", "answer"])
    except IntegrityError:
        stored = _stored(caller, request_id, mark)
        if stored is None:  # pragma: no cover - the unique row exists once the other transaction committed
            raise
        return stored
    return status, answer


def _stored(caller: Caller, request_id: str, mark: str) -> Answer | None:
    row = ExchangeRequest.objects.filter(office=caller.office, request_id=request_id).first()
    if row is None:
        return None
    if row.fingerprint != mark:
        raise Refused(
            _("Request id %(id)s was already used for another request.") % {"id": request_id},
            code="request_id_reused",
        )
    return row.status, {**row.answer, "replayed": True}
