"""What the API keeps of its own: the answers given to requests that carried an `Idempotency-Key`."""

from __future__ import annotations

from django.db import models


class IdempotentRequest(models.Model):
    """One state-changing API request sent with an `Idempotency-Key` header, and the answer it got.

    caller: who sent it (a digest of the Bearer token, or `session:<user id>`), so that one caller's keys never
    replay another's answers; key: the header's value (1 to 255 visible ASCII characters); fingerprint: SHA-256
    of the method, path, query and body, so that the same key with another request is refused. The row is
    written in the same transaction as the request's own changes (`api.idempotency`): either both are kept
    or neither. Kept `settings.IDEMPOTENCY_KEY_HOURS` (24 by default), then purged
    (`manage.py purge_idempotency_keys`), unless it never `expires` (the customs exchange's request ids, caller
    `customs:<office id>`, `customs/exchange.py`)."""

    caller = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    # False for the customs exchange's request ids: a contingency's records may be replayed days later.
    expires = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="one_answer_per_caller_and_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_age")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
