"""EORI numbers: a two-letter ISO country prefix and a national number. A French EORI is FR followed by the
company's SIREN (9 digits) or SIRET (14 digits), both checked by their Luhn digit (python-stdnum)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren, siret

from core.errors import Invalid
from reference.countries import country_name, is_country

_NATIONAL = re.compile(r"^[A-Z0-9]{1,15}$")


def normalise(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def check_eori(value: str) -> str:
    """The EORI in its normal form ("FR 433 968 187" -> "FR433968187"), or `Invalid` saying in the reader's
    language what is wrong; for France, which of the two forms (SIREN, SIRET) was read and failed."""
    eori = normalise(value)
    prefix, number = eori[:2], eori[2:]
    if len(prefix) < 2 or not prefix.isalpha() or not is_country(prefix):
        raise Invalid(_("An EORI number starts with the two letters of a country, e.g. FR."))
    if not _NATIONAL.match(number):
        raise Invalid(_("After its country, an EORI number has 1 to 15 letters or digits."))
    if prefix == "FR":
        _check_french(number)
    return eori


def _check_french(number: str) -> None:
    if number.isdigit() and len(number) == 9 and not siren.is_valid(number):
        raise Invalid(
            _("FR followed by 9 digits is read as a SIREN, and %(number)s is not a valid SIREN: check its digits.")
            % {"number": number}
        )
    if number.isdigit() and len(number) == 14 and not siret.is_valid(number):
        raise Invalid(
            _("FR followed by 14 digits is read as a SIRET, and %(number)s is not a valid SIRET: check its digits.")
            % {"number": number}
        )
    if not (number.isdigit() and len(number) in (9, 14)):
        raise Invalid(
            _(
                "A French EORI number is FR followed by the company's SIREN (9 digits) or SIRET (14 digits); "
                "%(number)s has %(count)s characters."
            )
            % {"number": number, "count": len(number)}
        )


def is_valid_eori(value: str) -> bool:
    try:
        check_eori(value)
    except Invalid:
        return False
    return True


def country_warning(eori: str, operator_country: str) -> str:
    """A warning (not a refusal: a company may hold its EORI where it first imported) when an EORI's country
    is not the operator's own: "" when they agree."""
    prefix, country = normalise(eori)[:2], (operator_country or "").upper()
    if not prefix or not country or prefix == country:
        return ""
    return str(
        _("The country of the EORI number %(eori)s (%(eori_country)s) is not the operator's (%(country)s): check it.")
        % {"eori": normalise(eori), "eori_country": country_name(prefix), "country": country_name(country)}
    )
