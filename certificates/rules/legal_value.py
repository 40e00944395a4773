"""The rules that keep a COI's legal value at every step after submission (issue 11), one class per rule, its
docstring the rule's text, and what each step of the workflow runs (`box_18_problems`, `box_20_problems`, ...).

The workflow's steps (`certificates/workflow*.py`) and the box edits (`certificates/services.py`) call these
and refuse with `problems.require`: the messages come back at their boxes, on pages and in the API alike.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.boxes import BOX_OF_FIELD, BoxData
from certificates.coi_forms import FormCode
from certificates.matrix import editable_boxes
from certificates.models import Certificate
from certificates.rules.parties import PartiesCertified
from certificates.rules.problems import Problems, add, merge
from certificates.rules.submission import submission_problems
from certificates.statuses import COIRole, COIStatus
from certificates.workflow_records import CheckResult
from core import clock

EMPTY: tuple[Any, ...] = (None, "", [])


# Changes between steps -------------------------------------------------------------------------------


class ChangeKeepsRules:
    """A change between steps runs the same checks as submission and is refused when it leaves a problem at a
    box it changed, or brings a problem that was not there before (issue 11, rule 3): after box 18 the importer
    cannot set box 12 to an operator with no organic activity, as an extract cannot take that consignee."""

    @staticmethod
    def refusal(before: Problems, after: Problems, changed: set[str]) -> Problems:
        known = {(box, message) for box, messages in before.items() for message in messages}
        refused: Problems = {}
        for box, messages in after.items():
            for message in messages:
                if box in changed or (box, message) not in known:
                    add(refused, box, message)
        return refused


class MandatoryNeverEmptied:
    """Once the COI is submitted, a mandatory box (1, 4, 7, 8, 9, 11, 12, 13, 16) may be changed but never
    emptied (issue 11, rule 4): an emptied box 1 or 11 would leave a numbered COI that nobody can see."""

    FIELDS = (
        "control_body_code",
        "exporter",
        "origin_countries",
        "export_country",
        "release_member_state",
        "validating_authority",
        "importer",
        "commodities",
        "gross_weight",
    )

    def check_change(self, before: BoxData, after: BoxData) -> Problems:
        problems: Problems = {}
        emptied = [f for f in self.FIELDS if before.get(f) not in EMPTY and after.get(f) in EMPTY]
        if _box_12_filled(before) and not _box_12_filled(after):
            emptied.append("first_consignee")
        for field in emptied:
            box = BOX_OF_FIELD[field]
            add(problems, box, _("Box %(box)s is mandatory: it may be changed, never emptied.") % {"box": box})
        return problems


def _box_12_filled(data: BoxData) -> bool:
    return data.get("first_consignee") not in EMPTY or bool(data.get("release_in_batches"))


class TransportCompletedLater:
    """Box 17 may be completed later, before arrival (guide 000, 3.1, box 17): while a field of box 17 is empty,
    the issuing control body, the importer and the RFL may fill it until box 20 is signed; a field once filled
    then follows the table (issue 11, rule 6). The guides' form only: on the 2021/2306 form, box 17 is completed
    by the issuing body within 10 days of issue (`rules.form_2021_2306.CompletionWithinTenDays`)."""

    box = "17"
    FIELDS = ("transport_mode", "transport_identification", "transport_document", "departure_date")
    ROLES: frozenset[str] = frozenset({COIRole.CONTROL_BODY, COIRole.IMPORTER, COIRole.RFL})
    STATUSES = frozenset({COIStatus.DESCRIPTION_COMPLETED, COIStatus.ISSUING_BODY_SIGNED})

    def opens(self, coi: Certificate, roles: set[str] | frozenset[str]) -> bool:
        """Whether box 17 is open to these roles beyond the table: an empty field, before box 20."""
        return (
            coi.base_id is None
            and coi.form == FormCode.R1235_2008
            and coi.status in self.STATUSES
            and bool(self.ROLES & set(roles))
            and any(getattr(coi, f) in EMPTY for f in self.FIELDS)
        )

    def check_change(self, before: BoxData, after: BoxData) -> Problems:
        """For a person the table does not let change box 17: a filled field may not change."""
        changed = [f for f in self.FIELDS if before.get(f) not in EMPTY and before.get(f) != after.get(f)]
        if not changed:
            return {}
        return {self.box: [_("Box 17 is already filled: only an empty field of it may still be completed.")]}


def boxes_open_to(coi: Certificate, roles: set[str] | frozenset[str]) -> set[str]:
    """The boxes these roles may change on this COI now: the table's (`matrix.editable_boxes`), and box 17
    while it may be completed later."""
    boxes = editable_boxes(coi, roles)
    if "17" not in boxes and TransportCompletedLater().opens(coi, roles):
        boxes = boxes | {"17"}
    return boxes


def edit_refusal(
    before: BoxData, after: BoxData, before_problems: Problems, after_problems: Problems, *, box_17_by_table: bool
) -> Problems:
    """What refuses a change of boxes after submission (`services.update_boxes`), at its boxes."""
    changed = _changed_boxes(before, after)
    refused = merge(
        MandatoryNeverEmptied().check_change(before, after),
        ChangeKeepsRules.refusal(before_problems, after_problems, changed),
    )
    if not box_17_by_table:
        refused = merge(refused, TransportCompletedLater().check_change(before, after))
    return refused


def _changed_boxes(before: BoxData, after: BoxData) -> set[str]:
    return {box for field, box in BOX_OF_FIELD.items() if before.get(field) != after.get(field)}


# Box 17 and box 18 -----------------------------------------------------------------------------------


class DepartureAfterSubmission:
    """Box 17: the COI is issued before the goods leave (Reg. (EU) 2018/848, art. 45(1)(b)(iii)): a date of
    departure before the submission is flagged at box 17 (a warning: the date may be the actual one)."""

    box = "17"

    def check(self, coi: Certificate) -> Problems:
        submitted = timezone.localdate(coi.submitted_at) if coi.submitted_at else timezone.localdate()
        if coi.departure_date is None or coi.departure_date >= submitted:
            return {}
        message = _(
            "The date of departure (%(day)s) is before the submission (%(submitted)s): the COI must be issued "
            "before the goods leave."
        )
        return {self.box: [message % {"day": clock.day(coi.departure_date), "submitted": clock.day(submitted)}]}


class IssuedBeforeDeparture:
    """Box 18: signed on or before the date of departure of box 17; later only with the reason the issuing
    control body gives, kept in the history and printed with its signature (issue 11, rule 7)."""

    box = "18"

    @staticmethod
    def late(coi: Certificate, day: datetime.date | None = None) -> bool:
        return coi.departure_date is not None and (day or timezone.localdate()) > coi.departure_date

    def check(self, coi: Certificate, late_reason: str) -> Problems:
        if not self.late(coi) or late_reason.strip():
            return {}
        return {
            self.box: [
                _("The goods left on %(day)s (box 17): give the reason for signing box 18 after the departure.")
                % {"day": clock.day(coi.departure_date)}
            ]
        }


class ChecksAcceptable:
    """Box 18 is not signed while the documentary check or the physical check is "Not acceptable": the
    declaration says the COI is issued on the basis of the checks required ("Not done" stays possible)."""

    box = "checks"

    def check(self, coi: Certificate) -> Problems:
        try:
            checks = coi.checks
        except ObjectDoesNotExist:
            return {self.box: [_("Record the documentary and physical checks before signing.")]}
        problems: Problems = {}
        for result, label in (
            (checks.documentary, _("The documentary check is “Not acceptable”: box 18 cannot be signed.")),
            (checks.physical, _("The physical check is “Not acceptable”: box 18 cannot be signed.")),
        ):
            if result == CheckResult.NOT_ACCEPTABLE:
                add(problems, self.box, label)
        return problems


def box_18_problems(coi: Certificate, *, late_reason: str = "") -> Problems:
    """Box 18, on the day it is signed: every rule of submission (box 1's body certifies the exporter, every
    party and producer certified that day), the checks acceptable or not done, signed before the departure."""
    return merge(
        submission_problems(coi), ChecksAcceptable().check(coi), IssuedBeforeDeparture().check(coi, late_reason)
    )


# Box 20, box 21, deletion ----------------------------------------------------------------------------


class ReplacementProtects:
    """While a replacement of the COI is open (not yet signed in box 18), box 20 and the deletion of the COI it
    replaces are refused, naming the replacement: the replacement is the one with legal value, and it is never
    left stranded (issue 11, rule 8)."""

    box = "20"

    def check(self, coi: Certificate, box: str = "20") -> Problems:
        pending = Certificate.objects.filter(replaces=coi, status=COIStatus.DESCRIPTION_COMPLETED).first()
        if pending is None:
            return {}
        return {
            box: [
                _("COI %(number)s is being replaced by COI %(new)s: sign or settle the replacement first.")
                % {"number": coi.number, "new": pending.number}
            ]
        }


EFFECTIVE_DECISIONS = (COIStatus.CONSIGNMENT_VERIFIED, COIStatus.BASIS_FOR_EXTRACT)


def box_20_problems(coi: Certificate, decision: str) -> Problems:
    """Box 20 (or an extract's endorsement), on the day it is signed: a decision that gives the COI effect needs
    the importer and the first consignee certified that day (an extract: its consignee)."""
    if decision not in EFFECTIVE_DECISIONS:
        return {}
    return PartiesCertified(("12",) if coi.base_id else ("11", "12")).check(coi)


class FirstConsigneeDeclaration:
    """Box 21: on receipt the first consignee declares the packaging, container and COI in order, or declares
    they are not, with a remark saying what (issue 11, rule 10); the parties and the importer's control body
    are then told."""

    box = "21"

    def check(self, in_order: bool, remark: str) -> Problems:
        if in_order or remark.strip():
            return {}
        return {self.box: [_("Say what is not in order: the packaging, the container or the COI.")]}


def box_21_problems(coi: Certificate, *, in_order: bool, remark: str) -> Problems:
    """Box 21, on the day it is signed: the importer and the first consignee certified that day, and a remark
    when something is not in order."""
    return merge(PartiesCertified(("11", "12")).check(coi), FirstConsigneeDeclaration().check(in_order, remark))


def warnings(coi: Certificate) -> Problems:
    """What is flagged at its box without refusing anything: a date of departure before the submission."""
    return DepartureAfterSubmission().check(coi)
