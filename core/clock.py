"""One clock: every moment a person or a PDF reads is shown in the site's time zone (`TIME_ZONE`, Europe/Paris
by default), in the reader's format, and the zone is named where moments recorded in several places meet (a
control body in Morocco signs what a border post in France reads: issue 23, point 1).

`moment(value)` -> "06/12/2026 à 05:41" in French, "2026-12-06 at 05:41" in English; `zoned(value)` adds the
zone, "06/12/2026 à 05:41 (heure de Paris, UTC+1)"; `zone()` is that name alone (`city()` without the offset);
`day(value)` -> "06/12/2026" ("2026-12-06": opencoi/formats/en).
A naive value is read as the site's time; None gives "".
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def local(value: datetime.datetime) -> datetime.datetime:
    """The moment in the site's time zone (a naive value is taken as already in it)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A day as the reader writes it: '06/12/2026' in French; a moment's day in the site's zone; None -> ''."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = local(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def moment(value: datetime.datetime | None) -> str:
    """A moment in the site's zone, to the minute, as the reader writes it: '06/12/2026 à 05:41'."""
    if value is None:
        return ""
    at = local(value)
    return _("%(day)s at %(time)s") % {"day": day(at), "time": formats.time_format(at, "H:i")}


def city() -> str:
    """The site's zone as a reader names it, without an offset (a heading over moments of several seasons):
    'heure de Paris' ('Paris time')."""
    return _("%(city)s time") % {"city": _city()}


def _city() -> str:
    return str(settings.TIME_ZONE).rsplit("/", 1)[-1].replace("_", " ")


def zone(value: datetime.datetime | None = None) -> str:
    """The site's zone as a reader names it, with its offset on that moment (now by default): 'heure de Paris,
    UTC+1' ('Paris time, UTC+1')."""
    at = local(value or timezone.now())
    offset = at.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    utc = "UTC" if minutes == 0 else f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return _("%(city)s time, %(utc)s") % {"city": _city(), "utc": utc}


def zoned(value: datetime.datetime | None) -> str:
    """`moment` with the zone named: '06/12/2026 à 05:41 (heure de Paris, UTC+1)'; None -> ''."""
    if value is None:
        return ""
    return f"{moment(value)} ({zone(value)})"
