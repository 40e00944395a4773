"""One kind of API token for every app: a secret shown once when issued, of which only its SHA-256 is stored.

`SecretToken` is abstract: each app's token says whose it is (`accounts.ApiToken`, a person's; `customs.CustomsClient`,
a customs office's machine client) and its prefix, so that a token names its kind (`oc_…`, `occ_…`). The one code
path for all of them:

- `issue(name, **owner)` -> `(token, secret)`: the secret is the prefix and 32 random bytes (URL-safe base64,
  43 characters); the row keeps its SHA-256 (64 hex digits, `key_hash`) and its first 10 characters (`hint`,
  shown as the token's prefix in lists);
- `find(secret)` -> the token, or None when no unrevoked token has this secret (or `usable()` excludes it, e.g. a
  deactivated person's); its last use is written at most once a minute;
- `revoke()`: the token is refused from then on; the row stays, so lists and history still name it.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar, Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A busy script should not write on every call: the last use is written at most this often (seconds).
LAST_USE_EVERY = 60


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
    def find(cls, secret: str) -> Self | None:
        token = cls.usable().filter(key_hash=cls.hash(secret)).first()
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USE_EVERY:
            cls._default_manager.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
