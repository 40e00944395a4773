"""Template filters that show reference codes as people read them, in their language."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

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


@register.filter
def procedure(value: str) -> str:
    return _label(Procedure, value)


@register.filter
def packaging(value: str) -> str:
    return _label(PackagingType, value)


@register.filter
def transport(value: str) -> str:
    return _label(TransportMode, value)
