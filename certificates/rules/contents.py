"""The rules of the COI's boxes (guide 000, 3.1), one class per rule, its docstring the rule's text.

Each rule is a `Rule` (`problems.py`): `check(coi, given)` returns the problems it finds per field,
`{field: [message, ...]}`, in the reader's language; `problems.at_boxes` places them at the boxes of the COI's
form for pages and the API. A draft is saved whatever these say (once it
has an exporter); `submission_problems` runs them all before "Submit for certification", and the steps
after it run them again on their own day (`certificates/rules/legal_value.py`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stdnum import iso6346
from stdnum.exceptions import ValidationError as StdnumError

from certificates.coi_forms import form_of
from certificates.models import Certificate, CommodityLine
from certificates.rules.problems import NOTHING, FieldProblems, Given, Rule, add
from core.typography import quantity
from directory.models import Authority, ControlBodyCode
from reference.countries import country_name, is_member_state
from reference.lists import TransportMode, to_kg
from reference.models import CnCode
from reference.nomenclature import categories_for


def cn_categories(cn_code: CnCode) -> set[str]:
    """Recognition categories (A-F) of a CN code: its own, else its nearest ancestor's."""
    return categories_for(cn_code.code)


def product_categories(cn_codes: Iterable[CnCode]) -> set[str]:
    categories: set[str] = set()
    for cn_code in cn_codes:
        categories |= cn_categories(cn_code)
    return categories


def coi_categories(coi: Certificate) -> set[str]:
    commodities = coi.commodities.all()
    if "commodities" not in getattr(coi, "_prefetched_objects_cache", {}):
        commodities = commodities.select_related("cn_code")  # one query, not one more per product
    return product_categories(c.cn_code for c in commodities)


def coi_date(coi: Certificate) -> datetime.date:
    """The day a COI's parties must be certified on: the day of the step being taken, that is today. A COI
    submitted while its exporter was certified is not signed once the certificate has expired (issue 11,
    rule 2: every party check runs again, on that day, at every step that gives the COI effect)."""
    return timezone.localdate()


# Box 1 ------------------------------------------------------------------------------------------------


class ControlBodyRecognised(Rule):
    """Box 1: only a control body recognised for the country of export and for every category of the
    products may issue the COI."""

    @staticmethod
    def refusal(code: ControlBodyCode, export_country: str, categories: set[str]) -> str | None:
        """Why this body may not be chosen, or None when it may."""
        if not code.active:
            return _("%(code)s is no longer recognised.") % {"code": code.code}
        if export_country and code.country != export_country:
            return _("%(code)s is recognised for %(its)s, not for the country of export %(export)s.") % {
                "code": code.code,
                "its": country_name(code.country),
                "export": country_name(export_country),
            }
        missing = sorted(categories - set(code.categories))
        if missing:
            return _("%(code)s is not recognised for product category %(missing)s (it covers %(covers)s).") % {
                "code": code.code,
                "missing": ", ".join(missing),
                "covers": ", ".join(code.categories),
            }
        return None

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.control_body_code is None:
            return {}
        reason = self.refusal(coi.control_body_code, coi.export_country, coi_categories(coi))
        return {"control_body_code": [reason]} if reason else {}


# Box 7 ------------------------------------------------------------------------------------------------


class SingleOriginForSingleLot(Rule):
    """Box 7: several countries of origin are refused for a single lot of a single producer (the guide says
    TRACES NT does not prevent it: we do)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        lines = coi.lines()
        lots = {(line.lot_number.strip().casefold(), line.producer_id) for line in lines}
        if len(coi.origins) > 1 and len(lots) <= 1:
            message = _("Several countries of origin are not allowed for a single lot of a single producer.")
            return {"origin_countries": [message]}
        return {}


# Boxes 9, 10, 12 -------------------------------------------------------------------------------------


class AuthorityOfMemberState(Rule):
    """Box 9: the member state of release is an EU member state, and the validating authority is a
    competent authority of that member state."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        problems: FieldProblems = {}
        if coi.release_member_state and not is_member_state(coi.release_member_state):
            add(problems, "release_member_state", _("The member state of release must be a member state of the EU."))
        authority = coi.validating_authority
        if authority and (authority.kind != Authority.Kind.COMPETENT or authority.country != coi.release_member_state):
            add(
                problems,
                "validating_authority",
                _("%(name)s is not a competent authority of the member state of release.") % {"name": authority.name},
            )
        return problems


class ConsigneeOrBatches(Rule):
    """Box 12: either a first consignee, or "for release for free circulation in batches" ticked, not both.
    Box 10 (country of destination) is the first consignee's country, empty when released in batches. A form
    without the tick (2021/2306: box 24 may stay empty at issue, the importer gives it before verification, Art.
    4(1)(b) of 2021/2307) has nothing to choose between (`batches_on`)."""

    @staticmethod
    def batches_on(coi: Certificate) -> bool:
        """Whether the COI's form has the "in batches" tick (the guides' box 12)."""
        return "release_in_batches" in form_of(coi).box_of_field

    @staticmethod
    def destination(coi: Certificate) -> str:
        return coi.first_consignee.country if coi.first_consignee_id and coi.first_consignee else ""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if self.batches_on(coi) and coi.first_consignee_id and coi.release_in_batches:
            return {"first_consignee": [_("Choose a first consignee or release in batches, not both.")]}
        return {}


# Boxes 13 to 16 --------------------------------------------------------------------------------------


class ContainerNumbersValid(Rule):
    """Box 14: container numbers follow ISO 6346 (owner code, category, serial number, check digit)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        problems: FieldProblems = {}
        for container in coi.containers.all():
            try:
                iso6346.validate(container.number)
            except StdnumError:
                add(
                    problems,
                    "containers",
                    _("%(number)s is not a valid container number (ISO 6346, check digit).")
                    % {"number": container.number},
                )
        return problems


class ContainersForVessel(Rule):
    """Boxes 14 and 15: the container numbers and their seals are required when the means of transport is a
    vessel."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.transport_mode not in TransportMode.needing_containers():
            return {}
        containers = list(coi.containers.all())
        if not containers:
            return {"containers": [_("Give the container numbers: the consignment travels by vessel.")]}
        if any(not c.seals.strip() for c in containers):
            return {"seals": [_("Give the seal numbers of every container: the consignment travels by vessel.")]}
        return {}


class GrossWeightCoversNetWeights(Rule):
    """Box 16: the total gross weight is not less than the sum of the net weights of box 13 (compared in the
    same unit)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.gross_weight is None:
            return {}
        net = sum((to_kg(line.net_weight, line.net_weight_unit) for line in coi.lines() if line.net_weight), Decimal(0))
        gross = to_kg(coi.gross_weight, coi.gross_weight_unit)
        if gross < net:
            net_in_unit = net / to_kg(Decimal(1), coi.gross_weight_unit)
            return {
                "gross_weight": [
                    _("The gross weight is less than the sum of the net weights (%(net)s %(unit)s).")
                    % {"net": quantity(net_in_unit), "unit": coi.gross_weight_unit}
                ]
            }
        return {}


# A line's fields that box 13 needs, with the name a person reads when one is missing (not the field table's
# `certificates.fields.LINE_FIELDS`: these are its model attributes, the producer's control body included).
REQUIRED_OF_A_LINE = (
    ("trade_name", gettext_noop("trade name")),
    ("lot_number", gettext_noop("lot number")),
    ("packages", gettext_noop("number of packages")),
    ("packaging_type", gettext_noop("type of packaging")),
    ("net_weight", gettext_noop("net weight")),
    ("producer_id", gettext_noop("producer / processor")),
    ("producer_control_body_code_id", gettext_noop("control body of the producer / processor")),
)


class LinesComplete(Rule):
    """Box 13: at least one commodity; every line has a trade name, a lot number, a number of packages, a
    packaging type, a net weight with its unit, and its producer / processor with its control body."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        commodities = list(coi.commodities.all())
        if not commodities:
            return {"commodities": [_("Choose at least one product.")]}
        problems: FieldProblems = {}
        for commodity in commodities:
            lines = list(commodity.lines.all())
            if not lines:
                add(problems, "commodities", _("%(cn)s: add at least one line.") % {"cn": commodity.cn_code.formatted})
            for number, line in enumerate(lines, start=1):
                missing = self.missing(line)
                if missing:
                    add(
                        problems,
                        "commodities",
                        _("%(cn)s, line %(n)s: %(missing)s missing.")
                        % {"cn": commodity.cn_code.formatted, "n": number, "missing": ", ".join(missing)},
                    )
        return problems

    @staticmethod
    def missing(line: CommodityLine) -> list[str]:
        # The names of the fields missing, read in the reader's language (only those: a complete line asks none).
        return [_(label) for field, label in REQUIRED_OF_A_LINE if getattr(line, field) in (None, "")]


class MandatoryBoxes(Rule):
    """On submission every mandatory box is filled: 1, 2, 4, 7, 8, 9 (member state and authority), 11,
    12 (or the batches tick), 13 and 16 (the guides' numbers: on 2021/2306 boxes 1, 2, 5, 8, 9, 10, 12 and 16).
    Box 17 may come later, before arrival; so may box 24 of 2021/2306, the first consignee, which the importer
    gives before verification (Art. 4(1)(b) of 2021/2307: a form without the "in batches" tick)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        # The messages are msgids, read in the reader's language only for a box left empty.
        required = [
            ("control_body_code", coi.control_body_code_id, gettext_noop("Choose the issuing control body.")),
            ("procedure", coi.procedure, gettext_noop("The procedure cannot be derived: choose the products and the "
             "control body.")),
            ("exporter", coi.exporter_id, gettext_noop("Choose the exporter.")),
            ("origin_countries", coi.origins, gettext_noop("Choose at least one country of origin.")),
            ("export_country", coi.export_country, gettext_noop("Choose the country of export.")),
            ("release_member_state", coi.release_member_state, gettext_noop("Choose the member state of release.")),
            ("validating_authority", coi.validating_authority_id, gettext_noop("Choose the competent authority that "
             "will validate the COI.")),
            ("importer", coi.importer_id, gettext_noop("Choose the importer.")),
            ("gross_weight", coi.gross_weight, gettext_noop("Give the total gross weight.")),
        ]  # fmt: skip
        if ConsigneeOrBatches.batches_on(coi):
            consignee = gettext_noop(
                "Choose the first consignee, or tick “for release for free circulation in batches”."
            )
            required.insert(8, ("first_consignee", coi.first_consignee_id or coi.release_in_batches, consignee))
        problems: FieldProblems = {}
        for name, value, message in required:
            if not value:
                add(problems, name, _(message))
        return problems
