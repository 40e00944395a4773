"""Box 2 of the COI: the import procedure, derived from the products and the issuing control body, never typed.

Regulation (EU) 2018/848, art. 45(1)(b), lets an organic product into the Union by one of three routes:

- compliance (art. 45(1)(b)(i)): the operator complies with the Regulation and is controlled by a control body
  or authority recognised by the Commission under art. 46 (e.g. `MA-BIO-154` in Morocco);
- equivalence under a trade agreement (art. 45(1)(b)(ii) and art. 47): Switzerland, Chile, the United Kingdom;
- equivalence of a recognised third country (art. 45(1)(b)(iii) and art. 48, the countries of Annex I of
  Implementing Regulation (EU) 2021/2325, formerly Annex III of Regulation (EC) No 1235/2008).

The rule (`procedure_for`): the country is the first two letters of the control body's code (codes are
`CC-BIO-NNN`, `CC` the country where the body certifies). If that country is recognised as equivalent, by a
trade agreement or under art. 48, and its recognition covers *every* product category of the COI, the
procedure is that equivalence; otherwise it is compliance through a recognised control body (art. 46).

The lists below are data: check them against the Official Journal when the Commission amends the annexes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Procedure(models.TextChoices):
    COMPLIANCE = (
        "compliance",
        _("Compliance: recognised control bodies, art. 45(1)(b)(i) and art. 46 of Regulation (EU) 2018/848"),
    )
    TRADE_AGREEMENT = (
        "trade_agreement",
        _("Equivalence under a trade agreement, art. 45(1)(b)(ii) and art. 47 of Regulation (EU) 2018/848"),
    )
    RECOGNISED_THIRD_COUNTRY = (
        "recognised_third_country",
        _("Equivalence of a recognised third country, art. 45(1)(b)(iii) and art. 48 of Regulation (EU) 2018/848"),
    )
    # Box 2 of the 2021/2306 form only: ticked by the issuing body, never derived (no data says which bodies
    # were recognised under art. 57); see `certificates/rules/form_2021_2306.py`, ProcedureOfBox2.
    EQUIVALENT_CONTROL_BODY = (
        "equivalent_control_body",
        _("Equivalent control authority or control body, art. 45(1)(b)(iii) and art. 57 of Regulation (EU) 2018/848"),
    )

    @classmethod
    def equivalence(cls) -> frozenset[Procedure]:
        return frozenset({cls.TRADE_AGREEMENT, cls.RECOGNISED_THIRD_COUNTRY, cls.EQUIVALENT_CONTROL_BODY})

    @classmethod
    def of_form_2021_2306(cls) -> list[Procedure]:
        """The four tick-boxes of box 2 of the 2021/2306 model, in its order: Arts 46, 48, 57, 47."""
        return [cls.COMPLIANCE, cls.RECOGNISED_THIRD_COUNTRY, cls.EQUIVALENT_CONTROL_BODY, cls.TRADE_AGREEMENT]


# Art. 57 of Regulation (EU) 2018/848: the recognitions of control authorities and bodies for equivalence (Annex II
# to Implementing Regulation (EU) 2021/2325) expired at the end of 31 December 2024; a COI issued from this day on
# cannot be issued under art. 57 (source: Madeira regional government's summary of the amendment of 2021/1378,
# "esse reconhecimento caducou a 1 de janeiro de 2025"; check against art. 57(1) on EUR-Lex).
EQUIVALENT_CONTROL_BODIES_UNTIL = datetime.date(2025, 1, 1)


# Art. 47 of Regulation (EU) 2018/848: third countries recognised under a trade agreement, with the product
# categories (A-F, see reference.categories) the agreement covers.
TRADE_AGREEMENT_COUNTRIES: dict[str, frozenset[str]] = {
    "CH": frozenset("ABCDEF"),  # Agreement EU-Switzerland on trade in agricultural products, Annex 9
    "CL": frozenset("ADF"),  # Agreement EU-Chile on trade in organic products (2017)
    "GB": frozenset("ABCDEF"),  # EU-UK Trade and Cooperation Agreement, Annex 14
}

# Art. 48 of Regulation (EU) 2018/848 (transitional art. 58): recognised third countries, Annex I of
# Commission Implementing Regulation (EU) 2021/2325, with the categories of their recognition.
RECOGNISED_THIRD_COUNTRIES: dict[str, frozenset[str]] = {
    "AR": frozenset("ABD"),
    "AU": frozenset("AD"),
    "CA": frozenset("ABDEF"),
    "CR": frozenset("AD"),
    "IL": frozenset("ADF"),
    "IN": frozenset("AF"),
    "JP": frozenset("AD"),
    "KR": frozenset("D"),
    "NZ": frozenset("ABCD"),
    "TN": frozenset("ADF"),
    "US": frozenset("AD"),
}


def control_body_country(control_body_code: str) -> str:
    """`MA-BIO-154` -> `MA`; empty when the code does not start with a country."""
    prefix = (control_body_code or "").strip()[:2].upper()
    return prefix if len(prefix) == 2 and prefix.isalpha() else ""


def _covers(recognised: frozenset[str] | None, categories: Iterable[str]) -> bool:
    wanted = {c.upper() for c in categories}
    return recognised is not None and bool(wanted) and wanted <= recognised


def procedure_for(categories: Iterable[str], control_body_code: str) -> Procedure:
    """The procedure of box 2 for products of these categories certified by this control body (module docstring)."""
    country = control_body_country(control_body_code)
    if _covers(TRADE_AGREEMENT_COUNTRIES.get(country), categories):
        return Procedure.TRADE_AGREEMENT
    if _covers(RECOGNISED_THIRD_COUNTRIES.get(country), categories):
        return Procedure.RECOGNISED_THIRD_COUNTRY
    return Procedure.COMPLIANCE
