from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from core.notices import unread_count


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "unread_notices": unread_count(request.user) if hasattr(request, "user") else 0,
    }
