"""English formats: Django's, but a day written as ISO 8601 (2026-12-20) rather than the American 12/20/2026,
which a reader in Europe takes for the 12th of month 20 or misreads 06/12 as June (issue 23, point 7)."""

from django.conf.locale.en.formats import *  # noqa: F403

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
