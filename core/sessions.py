"""`SESSION_ENGINE = "core.sessions"`: Django's database sessions (same table, same data, same expiry), whose
lookup, run on every request, has its SQL built once per process (`core.compiled`) instead of on each request."""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from core.compiled import CompiledQuery

_by_key = CompiledQuery(lambda key: Session.objects.filter(session_key=key), str)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        """The stored session if its key exists and it has not expired (as Django's own store); None otherwise,
        after which a new key is made."""
        try:
            found = _by_key(self.session_key)
        except SuspiciousOperation as exc:
            logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
            found = []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
