"""EORI numbers: a two-letter ISO country prefix and a national number (for France, the SIRET)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret

from core.errors import Invalid
from reference.countries import is_country

_NATIONAL = re.compile(r"^[A-Z0-9]{1,15}$")


def normalise(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def check_eori(value: str) -> str:
    """The EORI in its normal form, or `Invalid` with the reason in the reader's language."""
    eori = normalise(value)
    prefix, number = eori[:2], eori[2:]
    if len(prefix) < 2 or not prefix.isalpha() or not is_country(prefix):
        raise Invalid(_("An EORI number starts with the two letters of a country, e.g. FR."))
    if not _NATIONAL.match(number):
        raise Invalid(_("After its country, an EORI number has 1 to 15 letters or digits."))
    if prefix == "FR" and not siret.is_valid(number):
        raise Invalid(_("A French EORI number is FR followed by the company's SIRET (14 digits)."))
    return eori


def is_valid_eori(value: str) -> bool:
    try:
        check_eori(value)
    except Invalid:
        return False
    return True
