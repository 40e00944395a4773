"""The backup's JSON (`manage.py backup`, serialization format `opencoi_json`): Django's JSON fixtures, with
every date and time to the microsecond. Django's own encoder cuts times to the millisecond, so a restored COI's
history times and last change differed from the original's, and with them the page and the name of each kept
PDF (certificates/outputs/pdf_store.py), which was then sealed again instead of read back (issue 26).
`manage.py restore` reads it with Django's JSON deserializer (the archive's database file)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", FullPrecisionEncoder)
        super()._init_options()  # type: ignore[misc]  # django-stubs do not declare it


Deserializer = django_json.Deserializer
