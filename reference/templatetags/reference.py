"""Template filters that show reference codes as people read them, in their language."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeData, SafeString, mark_safe

from reference.countries import country_name
from reference.lists import PackagingType, TransportMode
from reference.procedures import Procedure

register = template.Library()


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.filter
def country(code: str) -> str:
    """FR -> France / France; an unknown code is shown as it is."""
    return country_name(code) if code else ""


@register.filter
def countries(codes: Iterable[str]) -> str:
    return ", ".join(country_name(code) for code in codes)


def _escaped(value: Any) -> str:
    """What `conditional_escape` gives (safe text as it is, other text escaped), without its lazy wrapper's cost
    on each of a select's hundreds of options."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag
def options(choices: Iterable[tuple[Any, Any]], selected: Any = None) -> SafeString:
    """The `<option>`s of a select's (value, label) pairs, those equal to `selected` (or in it, for a list: a
    multiple select) marked selected; values and labels escaped. Written in Python because a template loop
    over the ~250 countries took several ms per select on the COI edit page (issue 23, point 8)."""
    chosen = {str(v) for v in selected} if isinstance(selected, list | tuple | set) else None
    parts = []
    for value, label in choices:
        mark = (str(value) in chosen) if chosen is not None else value == selected
        parts.append(f'<option value="{_escaped(value)}"{" selected" if mark else ""}>{_escaped(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


@register.filter
def procedure(value: str) -> str:
    return _label(Procedure, value)


@register.filter
def packaging(value: str) -> str:
    return _label(PackagingType, value)


@register.filter
def transport(value: str) -> str:
    return _label(TransportMode, value)
