"""`Idempotency-Key` for every state-changing API operation (issue 26 point 2): a client whose answer was lost
sends the same request again with the same key and gets the first answer, and nothing is done twice.

- POST, PUT, PATCH and DELETE under `/api/v1/` may carry the header `Idempotency-Key` (1 to 255 visible ASCII
  characters; a UUID is a good choice). Without it a request runs as before.
- The first request with a key runs inside one database transaction with the row that keeps its answer
  (`api.models.IdempotentRequest`): the COI's changes and the kept answer are committed together, or, on a
  server error (5xx) or a crash, neither (the client may then retry with the same key and the step runs).
- A repeat with the same key, by the same caller, with the same method, path, query and body: the kept
  answer (a JSON body is compared by its values: its numbers, and the texts of the fields the operation reads as a
  decimal number (a weight "3000.0"), by decimal equality, 3000.0 is 3000; its keys in any order and spacing;
  its other texts as sent) (status, body), with the header `Idempotent-Replayed: true`; nothing runs.
- The same key with another request: 422, `code` `idempotency_key_reused`, at the header.
- Two requests with one key at the same moment: the second waits for the first (the unique row lock on
  PostgreSQL) and then gets its answer.
- 401 answers are not kept (the caller was not known); keys expire after `settings.IDEMPOTENCY_KEY_HOURS`.
- `once` is the one path of every kept answer: the customs exchange's `request_id` (`customs/exchange.py`) is kept
  by it too, in the same table, keyed per customs office (`customs:<office id>`), and never expires.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken
from api.middleware import operation_of
from api.models import IdempotentRequest
from core.typography import read_quantity

PREFIX = "/api/v1/"
HEADER = "Idempotency-Key"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAYED = "Idempotent-Replayed"
T = TypeVar("T")


@dataclass(frozen=True)
class Kept:
    """An answer kept with its key: its status, content type and body (bytes)."""

    status: int
    content_type: str
    body: bytes


class KeyReused(Exception):
    """The key was already used by this caller for another request (another fingerprint)."""


class _Discard(Exception):
    """Raised inside the transaction to undo it when the answer must not be kept (a 5xx, a 401)."""

    def __init__(self, result: object) -> None:
        self.result = result


def hours() -> int:
    return int(getattr(settings, "IDEMPOTENCY_KEY_HOURS", 24))


def caller_of(request: HttpRequest) -> str | None:
    """Who sends the request, as the kept rows name them: a digest of the Bearer token, or the session's user;
    None for nobody authenticated, a token that names no usable one included (the operation answers 401: an
    answer to an invalid token, a resolver's 404, is never kept, nor its key ever said reused)."""
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        secret = authorization[7:].strip()
        if not ApiToken.usable().filter(key_hash=ApiToken.hash(secret)).exists():
            return None
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"session:{user.pk}"
    return None


def fingerprint(request: HttpRequest, *, as_sent: bool = False) -> str:
    """SHA-256 of the method, path, query and body. A multipart body (an uploaded document) is read through
    Django's parser (its files may exceed `DATA_UPLOAD_MAX_MEMORY_SIZE`, so `request.body` is not read): its
    fields and each file's name and bytes, the files rewound for the operation. A JSON body by its values
    (`_body`); `as_sent`: by its bytes, as the answers kept before were (they still answer their retries)."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(f"{name}={values!r}\0".encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(f"{name}:{upload.name}\0".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body if as_sent else _body(request))
    return digest.hexdigest()


def _body(request: HttpRequest) -> bytes:
    """A JSON body by its values (`canonical`; the texts of its decimal fields read as numbers: `as_declared`),
    any other body as its bytes."""
    if request.content_type != "application/json":
        return request.body
    try:
        parsed = json.loads(request.body, parse_float=Decimal, parse_int=Decimal)
    except (ValueError, InvalidOperation):
        return request.body  # refused by the operation; kept as sent
    schema, components = _body_schema(request)
    value = as_declared(parsed, schema, components) if schema else parsed
    return json.dumps(canonical(value), sort_keys=True, separators=(",", ":")).encode()


def _body_schema(request: HttpRequest) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The JSON schema of the operation's body, from the main API's OpenAPI document, and its components."""
    found = operation_of(request)
    if found is None:
        return None, {}
    operation, components = found
    content = (operation.get("requestBody") or {}).get("content", {})
    return content.get("application/json", {}).get("schema"), components


def as_declared(value: Any, schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The body with the text of each field its schema declares a number (a Decimal: `anyOf` number or string)
    read as that number when the field reads it so (`core.typography.read_quantity`: "3000.0" -> Decimal 3000.0),
    objects and lists field by field."""
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = components.get(ref.rsplit("/", 1)[1], {})
    options = [schema, *schema.get("anyOf", []), *schema.get("allOf", [])]
    if isinstance(value, str) and any(o.get("type") == "number" for o in options):
        number = read_quantity(value)  # as the field reads it: "9 071,8" is 9071.8; "1e3", "+5" kept as sent
        return value if number is None else number
    if isinstance(value, dict):
        properties = {k: v for o in options for k, v in o.get("properties", {}).items()}
        return {k: as_declared(v, properties[k], components) if k in properties else v for k, v in value.items()}
    if isinstance(value, list):
        items = next((o["items"] for o in options if "items" in o), None)
        return [as_declared(v, items, components) for v in value] if items else value
    for option in options[1:]:
        if "$ref" in option or "properties" in option:
            return as_declared(value, option, components)
    return value


def canonical(value: Any) -> Any:
    """A request's values written one way, for comparing two requests: a number (Decimal, int or float) by its
    decimal value ("3000.0" and 3000 are one), a time in UTC, lists and objects item by item; a text as sent.
    The customs exchange's request ids compare their bodies so (`customs.exchange.fingerprint`)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return ["number", str(number)]
        return ["number", format(number.normalize(), "f") if number else "0"]
    if isinstance(value, datetime.datetime):
        return ["time", value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()]
    if isinstance(value, datetime.date):
        return ["date", value.isoformat()]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [canonical(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    return str(value)


def _refused(message: str, code: str, status: int = 422) -> JsonResponse:
    error = {"type": code, "loc": ["header", HEADER], "msg": message}
    return JsonResponse({"detail": message, "code": code, "errors": [error]}, status=status)


def _valid(key: str) -> bool:
    return 0 < len(key) <= 255 and all(33 <= ord(c) <= 126 for c in key)


def once(
    caller: str,
    key: str,
    digest: str,
    run: Callable[[], T],
    keep: Callable[[T], Kept | None],
    *,
    expires: bool = True,
    also: tuple[str, ...] = (),
) -> T | Kept:
    """The one path of every kept answer (this middleware's `Idempotency-Key`, the customs exchange's
    `request_id`): `run()` once per (caller, key), inside one transaction with the row that keeps its answer,
    `keep(result)` (None: keep nothing, and undo the transaction).

    Returns `run()`'s result the first time; afterwards the `Kept` answer (nothing runs again). A concurrent
    copy waits on the first's row (the unique index) and then gets its answer. Raises `KeyReused` when the key
    was used with another `digest` (and none of `also`, the digests answers were kept with before). A key whose
    row `expires` is free again after `IDEMPOTENCY_KEY_HOURS`; an
    exception raised by `run()` undoes everything and keeps nothing, so a retry runs again."""
    while True:
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotentRequest.objects.create(
                            caller=caller, key=key, fingerprint=digest, expires=expires
                        )
                except IntegrityError:
                    seen = _seen(caller, key, (digest, *also))
                    if seen is None:
                        continue  # expired and deleted: the key is free again
                    return seen
                result = run()
                kept = keep(result)
                if kept is None:
                    raise _Discard(result)
                record.status, record.content_type, record.body = kept.status, kept.content_type, kept.body
                record.save(update_fields=["status", "content_type", "body"])
                return result
        except _Discard as discarded:
            return discarded.result  # type: ignore[return-value]  # run()'s own result, given back unkept


def _seen(caller: str, key: str, digests: tuple[str, ...]) -> Kept | None:
    record = IdempotentRequest.objects.get(caller=caller, key=key)
    if record.expires and record.created_at < timezone.now() - datetime.timedelta(hours=hours()):
        record.delete()
        return None
    if record.fingerprint not in digests:
        raise KeyReused(key)
    return Kept(record.status or 200, record.content_type, bytes(record.body))


def _kept(response: HttpResponse) -> Kept | None:
    if response.status_code >= 500 or response.status_code == 401 or response.streaming:
        return None
    return Kept(response.status_code, response.get("Content-Type", ""), response.content)


class IdempotencyKeys:
    """The middleware (after authentication): see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in UNSAFE or not request.path.startswith(PREFIX):
            return self.get_response(request)
        caller = caller_of(request)
        if caller is None:  # who calls first: refused as unauthenticated by the operation (401); nothing to keep
            return self.get_response(request)
        if not _valid(key):
            return _refused(_("Idempotency-Key: 1 to 255 visible ASCII characters, no spaces."), "invalid")
        try:
            digest, as_sent = fingerprint(request), fingerprint(request, as_sent=True)
            also = (as_sent,) if as_sent != digest else ()
            answer = once(caller, key, digest, lambda: self.get_response(request), _kept, also=also)
        except KeyReused:
            return _refused(
                _("This Idempotency-Key was already used with another request: use a new key for a new request."),
                "idempotency_key_reused",
            )
        if isinstance(answer, Kept):
            replayed = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
            replayed[REPLAYED] = "true"
            return replayed
        return answer


def purge(now: datetime.datetime | None = None) -> int:
    """Delete the kept answers older than `IDEMPOTENCY_KEY_HOURS`; returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(hours=hours())
    deleted, _detail = IdempotentRequest.objects.filter(created_at__lt=limit, expires=True).delete()
    return deleted
