"""`{% colon %}` after a label ("Statut :" in French, "Status:" in English) and `{{ weight|quantity }}` for a
quantity grouped by thousands in the reader's language ("9 071,8"); see core.typography."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils import formats

from core import clock, typography

register = template.Library()


@register.simple_tag
def colon() -> str:
    return typography.colon()


@register.filter
def quantity(value: Decimal | float | int | None) -> str:
    return typography.quantity(value)


@register.filter
def as_typed(value: Decimal | str | None) -> str:
    """`{{ line.net_weight|as_typed }}`: a stored quantity in a field to type over, as the reader types it
    ('16500', '9000,5' in French: no trailing zeros, no grouping), not as stored ('16500,000'); what the person
    typed (a str, the page sent back) as typed; None -> ''."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    if not value.is_finite():
        return str(value)
    text = f"{value.normalize():f}"
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


@register.filter
def moment(value: datetime.datetime | None) -> str:
    """`{{ coi.submitted_at|moment }}`: '06/12/2026 à 05:41', in the site's zone (core.clock)."""
    return clock.moment(value)


@register.filter
def zoned(value: datetime.datetime | None) -> str:
    """`{{ signature.signed_at|zoned }}`: '06/12/2026 à 05:41 (heure de Paris, UTC+1)' (core.clock)."""
    return clock.zoned(value)


@register.filter
def day(value: datetime.date | datetime.datetime | None) -> str:
    """`{{ coi.departure_date|day }}`: '20/12/2026', as the reader writes a day (core.clock)."""
    return clock.day(value)


@register.simple_tag
def zone(value: datetime.datetime | None = None) -> str:
    """`{% zone coi.submitted_at %}`: 'heure de Paris, UTC+1', the zone every moment on the page is shown in, with
    its offset on that moment; `{% zone %}`: 'heure de Paris', for a heading over moments of several seasons."""
    return clock.zone(value) if value else clock.city()
