"""Menu entries the apps above core add to the main menu (e.g. the customs office's machine clients), each a
function of the request returning `(label, url)` pairs in the active language, for what that person may open.
Registered from those apps' `AppConfig.ready`, so that core imports none of them; drawn by `{% app_nav %}`
(`core/templatetags/nav.py`) in `core/_nav_items.html`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

NAV_ENTRIES: list[Callable[[HttpRequest], list[tuple[str, str]]]] = []


def nav_entries(request: HttpRequest) -> list[tuple[str, str]]:
    return [entry for source in NAV_ENTRIES for entry in source(request)]
