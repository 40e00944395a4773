"""System checks of the deployment's settings (run by check, migrate, runserver, db_worker)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = "SECRET_KEY must be set when DEBUG is off."


@register()
def secret_key_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """core.E001: no start without SECRET_KEY outside DEBUG (sessions, signed links and COI tokens use it)."""
    if getattr(settings, "SECRET_KEY_MISSING", False):
        return [Error(MISSING_SECRET_KEY, hint="Set SECRET_KEY in the environment (see .env.example).", id="core.E001")]
    return []


def refuse_without_secret_key() -> None:
    """For the WSGI/ASGI entry points, which run no system check."""
    if getattr(settings, "SECRET_KEY_MISSING", False):
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
