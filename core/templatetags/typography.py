"""`{% colon %}` after a label ("Statut :" in French, "Status:" in English) and `{{ weight|quantity }}` for a
quantity grouped by thousands in the reader's language ("9 071,8"); see core.typography."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core import typography

register = template.Library()


@register.simple_tag
def colon() -> str:
    return typography.colon()


@register.filter
def quantity(value: Decimal | float | int | None) -> str:
    return typography.quantity(value)
