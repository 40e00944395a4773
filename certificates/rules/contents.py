"""The rules of the COI's boxes (guide 000, 3.1), one class per rule, its docstring the rule's text.

Each rule's `check(coi)` returns the problems it finds as `{box: [message, ...]}` so pages and the API
show each message at its box, in the reader's language. A draft is saved whatever these say (once it
has an exporter); `submission_problems` runs them all before "Submit for certification", and the steps
after it run them again on their own day (`certificates/rules/legal_value.py`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iso6346
from stdnum.exceptions import ValidationError as StdnumError

from certificates.models import Certificate, CommodityLine
from certificates.rules.problems import Problems, add
from core.typography import quantity
from directory.models import Authority, ControlBodyCode
from reference.countries import country_name, is_member_state
from reference.lists import TransportMode, to_kg
from reference.models import CnCode
from reference.nomenclature import categories_for
from reference.procedures import Procedure, procedure_for


def cn_categories(cn_code: CnCode) -> set[str]:
    """Recognition categories (A-F) of a CN code: its own, else its nearest ancestor's."""
    return categories_for(cn_code.code)


def product_categories(cn_codes: Iterable[CnCode]) -> set[str]:
    categories: set[str] = set()
    for cn_code in cn_codes:
        categories |= cn_categories(cn_code)
    return categories


def coi_categories(coi: Certificate) -> set[str]:
    return product_categories(c.cn_code for c in coi.commodities.all())


def coi_date(coi: Certificate) -> datetime.date:
    """The day a COI's parties must be certified on: the day of the step being taken, that is today. A COI
    submitted while its exporter was certified is not signed once the certificate has expired (issue 11,
    rule 2: every party check runs again, on that day, at every step that gives the COI effect)."""
    return timezone.localdate()


# Box 1 ------------------------------------------------------------------------------------------------


class ControlBodyRecognised:
    """Box 1: only a control body recognised for the country of export and for every category of the
    products may issue the COI."""

    box = "1"

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

    def check(self, coi: Certificate) -> Problems:
        if coi.control_body_code is None:
            return {}
        reason = self.refusal(coi.control_body_code, coi.export_country, coi_categories(coi))
        return {self.box: [reason]} if reason else {}


# Box 2 ------------------------------------------------------------------------------------------------


class ProcedureDerived:
    """Box 2: the procedure is derived from the products and the issuing control body, never typed."""

    box = "2"

    @staticmethod
    def derive(coi: Certificate, typed_allowed: bool = True) -> str:
        """The procedure from box 1 and the products' categories; on the 2021/2306 form, an art. 57 procedure
        ticked by the issuing body is kept (`typed_allowed`; see rules.form_2021_2306.ProcedureOfBox2)."""
        if typed_allowed and coi.form == "2021/2306" and coi.procedure == Procedure.EQUIVALENT_CONTROL_BODY:
            return coi.procedure
        if coi.control_body_code is None or not coi.pk:
            return ""
        categories = coi_categories(coi)
        return str(procedure_for(categories, coi.control_body_code.code)) if categories else ""

    def check(self, coi: Certificate) -> Problems:
        return {}


# Box 7 ------------------------------------------------------------------------------------------------


class SingleOriginForSingleLot:
    """Box 7: several countries of origin are refused for a single lot of a single producer (the guide says
    TRACES NT does not prevent it: we do)."""

    box = "7"

    def check(self, coi: Certificate) -> Problems:
        lines = coi.lines()
        lots = {(line.lot_number.strip().casefold(), line.producer_id) for line in lines}
        if len(coi.origins) > 1 and len(lots) <= 1:
            return {self.box: [_("Several countries of origin are not allowed for a single lot of a single producer.")]}
        return {}


# Boxes 9, 10, 12 -------------------------------------------------------------------------------------


class AuthorityOfMemberState:
    """Box 9: the member state of release is an EU member state, and the validating authority is a
    competent authority of that member state."""

    box = "9"

    def check(self, coi: Certificate) -> Problems:
        problems: Problems = {}
        if coi.release_member_state and not is_member_state(coi.release_member_state):
            add(problems, self.box, _("The member state of release must be a member state of the EU."))
        authority = coi.validating_authority
        if authority and (authority.kind != Authority.Kind.COMPETENT or authority.country != coi.release_member_state):
            add(
                problems,
                self.box,
                _("%(name)s is not a competent authority of the member state of release.") % {"name": authority.name},
            )
        return problems


class ConsigneeOrBatches:
    """Box 12: either a first consignee, or "for release for free circulation in batches" ticked, not both.
    Box 10 (country of destination) is the first consignee's country, empty when released in batches."""

    box = "12"

    @staticmethod
    def destination(coi: Certificate) -> str:
        return coi.first_consignee.country if coi.first_consignee_id and coi.first_consignee else ""

    def check(self, coi: Certificate) -> Problems:
        if coi.first_consignee_id and coi.release_in_batches:
            return {self.box: [_("Choose a first consignee or release in batches, not both.")]}
        return {}


# Boxes 13 to 16 --------------------------------------------------------------------------------------


class ContainerNumbersValid:
    """Box 14: container numbers follow ISO 6346 (owner code, category, serial number, check digit)."""

    box = "14"

    def check(self, coi: Certificate) -> Problems:
        problems: Problems = {}
        for container in coi.containers.all():
            try:
                iso6346.validate(container.number)
            except StdnumError:
                add(
                    problems,
                    self.box,
                    _("%(number)s is not a valid container number (ISO 6346, check digit).")
                    % {"number": container.number},
                )
        return problems


class ContainersForVessel:
    """Boxes 14 and 15: the container numbers and their seals are required when the means of transport is a
    vessel."""

    box = "14"

    def check(self, coi: Certificate) -> Problems:
        if coi.transport_mode not in TransportMode.needing_containers():
            return {}
        containers = list(coi.containers.all())
        if not containers:
            return {self.box: [_("Give the container numbers: the consignment travels by vessel.")]}
        if any(not c.seals.strip() for c in containers):
            return {"15": [_("Give the seal numbers of every container: the consignment travels by vessel.")]}
        return {}


class GrossWeightCoversNetWeights:
    """Box 16: the total gross weight is not less than the sum of the net weights of box 13 (compared in the
    same unit)."""

    box = "16"

    def check(self, coi: Certificate) -> Problems:
        if coi.gross_weight is None:
            return {}
        net = sum((to_kg(line.net_weight, line.net_weight_unit) for line in coi.lines() if line.net_weight), Decimal(0))
        gross = to_kg(coi.gross_weight, coi.gross_weight_unit)
        if gross < net:
            net_in_unit = net / to_kg(Decimal(1), coi.gross_weight_unit)
            return {
                self.box: [
                    _("The gross weight is less than the sum of the net weights (%(net)s %(unit)s).")
                    % {"net": quantity(net_in_unit), "unit": coi.gross_weight_unit}
                ]
            }
        return {}


class LinesComplete:
    """Box 13: at least one commodity; every line has a trade name, a lot number, a number of packages, a
    packaging type, a net weight with its unit, and its producer / processor with its control body."""

    box = "13"

    def check(self, coi: Certificate) -> Problems:
        commodities = list(coi.commodities.all())
        if not commodities:
            return {self.box: [_("Choose at least one product.")]}
        problems: Problems = {}
        for commodity in commodities:
            lines = list(commodity.lines.all())
            if not lines:
                add(problems, self.box, _("%(cn)s: add at least one line.") % {"cn": commodity.cn_code.formatted})
            for number, line in enumerate(lines, start=1):
                missing = self.missing(line)
                if missing:
                    add(
                        problems,
                        self.box,
                        _("%(cn)s, line %(n)s: %(missing)s missing.")
                        % {"cn": commodity.cn_code.formatted, "n": number, "missing": ", ".join(missing)},
                    )
        return problems

    @staticmethod
    def missing(line: CommodityLine) -> list[str]:
        fields = [
            (line.trade_name, _("trade name")),
            (line.lot_number, _("lot number")),
            (line.packages, _("number of packages")),
            (line.packaging_type, _("type of packaging")),
            (line.net_weight, _("net weight")),
            (line.producer_id, _("producer / processor")),
            (line.producer_control_body_code_id, _("control body of the producer / processor")),
        ]
        return [str(label) for value, label in fields if value in (None, "")]


class MandatoryBoxes:
    """On submission every mandatory box is filled: 1, 2, 4, 7, 8, 9 (member state and authority), 11,
    12 (or the batches tick), 13 and 16. Box 17 may come later, before arrival."""

    def check(self, coi: Certificate) -> Problems:
        required = [
            ("1", coi.control_body_code_id, _("Choose the issuing control body.")),
            ("2", coi.procedure, _("The procedure cannot be derived: choose the products and the control body.")),
            ("4", coi.exporter_id, _("Choose the exporter.")),
            ("7", coi.origins, _("Choose at least one country of origin.")),
            ("8", coi.export_country, _("Choose the country of export.")),
            ("9", coi.release_member_state, _("Choose the member state of release.")),
            ("9", coi.validating_authority_id, _("Choose the competent authority that will validate the COI.")),
            ("11", coi.importer_id, _("Choose the importer.")),
            ("12", coi.first_consignee_id or coi.release_in_batches, _("Choose the first consignee, or tick "
             "“for release for free circulation in batches”.")),
            ("16", coi.gross_weight, _("Give the total gross weight.")),
        ]  # fmt: skip
        problems: Problems = {}
        for box, value, message in required:
            if not value:
                add(problems, box, message)
        return problems
