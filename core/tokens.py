"""One kind of API token for every app: a secret shown once when issued, of which only its SHA-256 is stored.

`SecretToken` is abstract: each app's token says whose it is (`accounts.ApiToken`, a person's; `customs.CustomsClient`,
a customs office's machine client) and its prefix, so that a token names its kind (`oc_…`, `occ_…`). The one code
path for all of them:

- `issue(name, **owner)` -> `(token, secret)`: the secret is the prefix and 32 random bytes (URL-safe base64,
  43 characters); the row keeps its SHA-256 (64 hex digits, `key_hash`) and its first 10 characters (`hint`,
  shown as the token's prefix in lists);
- `find(secret)` -> the token, or None when no unrevoked token has this secret (or `usable()` excludes it, e.g. a
  deactivated person's); its last use is written at most once a minute, on PostgreSQL by the same statement that
  finds it (a token's call costs one query, the first of its minute too);
- `revoke()`: the token is refused from then on; the row stays, so lists and history still name it.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable
from typing import Any, ClassVar, Self

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.compiled import CompiledQuery

# A busy script should not write on every call: the last use is written at most this often (seconds).
LAST_USE_EVERY = 60


def _stamping(table: str) -> Callable[[str], str]:
    """The token's read (`sql`) and the write of its last use in one statement: a `WITH` whose UPDATE runs only
    when the read finds the token (a revoked, unknown or unusable one is not touched) and its last use is older
    than `LAST_USE_EVERY` (a busy script's calls write nothing); the read gives the row as it was before."""
    name = connection.ops.quote_name(table)

    def wrap(sql: str) -> str:
        return (
            f"WITH found AS ({sql}), stamped AS (UPDATE {name} SET last_used_at = %s WHERE key_hash = %s"  # noqa: S608  # the ORM's SQL and the table's name, no input
            " AND (last_used_at IS NULL OR last_used_at < %s) AND EXISTS (SELECT 1 FROM found) RETURNING 1)"
            " SELECT * FROM found"
        )

    return wrap


class SecretToken(models.Model):
    PREFIX: ClassVar[str] = "ot_"

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue_token(cls, name: str, **owner: Any) -> tuple[Self, str]:
        """Create a token of `owner` (the subclass's own fields) and return it with its secret, never stored."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls._default_manager.create(name=name, key_hash=cls.hash(secret), hint=secret[:10], **owner)
        return token, secret

    @classmethod
    def usable(cls) -> models.QuerySet[Self]:
        """The tokens that may be used; a subclass narrows it (its owner active) and joins what it needs."""
        return cls._default_manager.filter(revoked_at__isnull=True)

    @classmethod
    def _finder(cls) -> CompiledQuery:
        """The usable token of a key (`usable().filter(key_hash=...).first()`), its SQL built once per class and
        process; on PostgreSQL the same statement writes the token's last use when it is older than a minute."""
        found = cls.__dict__.get("_compiled_finder")
        if found is None:
            wrap = _stamping(cls._meta.db_table) if connection.vendor == "postgresql" else None
            found = CompiledQuery(lambda key: cls.usable().filter(key_hash=key)[:1], str, wrap=wrap)
            cls._compiled_finder = found  # type: ignore[attr-defined]  # one per concrete class
        return found

    @classmethod
    def find(cls, secret: str) -> Self | None:
        key, now = cls.hash(secret), timezone.now()
        since = now - datetime.timedelta(seconds=LAST_USE_EVERY)
        finder = cls._finder()
        stamps = finder.wrap is not None
        rows = finder(key, extra=(now, key, since) if stamps else ())
        if not rows:
            return None
        token: Self = rows[0]
        if token.last_used_at is None or token.last_used_at < since:
            if not stamps:
                cls._default_manager.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
