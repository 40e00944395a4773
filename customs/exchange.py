"""Request ids: every call of the exchange carries one (`request_id`, 1 to 64 characters the caller chooses,
e.g. a UUID). A call that changes quantities keeps its answer under (office, request id) in the same transaction
as the change, by the API's one mechanism of kept answers (`api.idempotency.once`, the table of `Idempotency-Key`,
caller `customs:<office id>`, never expiring): a retry after a lost answer gets that answer again
(`"replayed": true`) and changes nothing (bodies are compared by their values once read: 3000.0 kg is 3000 kg);
the same request id with another body is refused (409
`request_id_reused`). Two copies of one call sent at once: the second waits on the first's row (the unique index)
and then answers as it did. A refused call keeps nothing (nothing was changed), so its retry is checked again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from pydantic_core import to_jsonable_python

from api.idempotency import Kept, KeyReused, canonical
from api.idempotency import once as kept_once
from customs.quantities import Caller
from customs.rules import Refused

Answer = tuple[int, dict[str, Any]]
JSON = "application/json"


def fingerprint(operation: str, payload: Any) -> str:
    """SHA-256 of the operation and its body as read (`api.idempotency.canonical`): the same values written
    otherwise ("3000.0" kg for "3000", a time at another UTC offset) are the same request."""
    return hashlib.sha256(json.dumps([operation, canonical(payload)], sort_keys=True).encode()).hexdigest()


def fingerprint_as_before(operation: str, payload: Any) -> str:
    """The digest the answers kept before bodies were compared by their values were kept with (the body as
    JSON, "3000.0" apart from "3000"): they still answer their retries."""
    jsonable = to_jsonable_python(payload)
    return hashlib.sha256(json.dumps([operation, jsonable], sort_keys=True, default=str).encode()).hexdigest()


def caller_key(caller: Caller | Any) -> str:
    """Whose request ids these are: a customs office's (all its machine clients and staff share them), or, for
    an authority's person calling the exchange (Art. 8), that person's."""
    if isinstance(caller, Caller):
        return f"customs:{caller.office.pk}"
    return f"person:{caller.pk}"


def _keep(answer: Answer) -> Kept:
    status, body = answer
    return Kept(status, JSON, json.dumps(body, default=str).encode())


def once(caller: Caller | Any, request_id: str, operation: str, payload: Any, run: Callable[[], Answer]) -> Answer:
    """`run()` once per request id of the caller (a customs office's `Caller`, or an authority's person, a User);
    its (status, answer) kept with it."""
    try:
        digest, before = fingerprint(operation, payload), fingerprint_as_before(operation, payload)
        result = kept_once(caller_key(caller), request_id, digest, run, _keep, expires=False, also=(before,))
    except KeyReused:
        raise Refused(
            _("Request id %(id)s was already used for another request.") % {"id": request_id},
            code="request_id_reused",
        ) from None
    if isinstance(result, Kept):
        return result.status, {**json.loads(result.body), "replayed": True}
    return result
