from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join

from core.nav import nav_entries

register = template.Library()


@register.simple_tag(takes_context=True)
def app_nav(context: dict[str, Any]) -> str:
    """The apps' menu entries for this person (`core.nav`), as links."""
    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return ""
    return format_html_join("\n", '<a href="{}">{}</a>', ((url, label) for label, url in nav_entries(request)))
