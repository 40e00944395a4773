"""The rules that keep a COI's legal value at every step after submission (issue 11), one class per rule, its
docstring the rule's text, and what each step of the workflow runs (`box_18_problems`, `box_20_problems`, ...).

Each is a `Rule` (`problems.py`) or a rule on a change (`check_change`), returning problems per field; the
workflow's steps (`certificates/workflow/`) and the box edits (`certificates/services.py`) place them at the boxes
of the COI's form (`problems.at_boxes`) and refuse with `problems.require`: the messages come back at their boxes,
on pages and in the API alike.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.boxes import BoxData
from certificates.coi_forms import form_of
from certificates.matrix import editable_boxes
from certificates.models import Certificate
from certificates.rules.parties import PartiesCertified
from certificates.rules.problems import NOTHING, FieldProblems, Given, Rule, add, box_number, merge
from certificates.rules.submission import submission_problems
from certificates.statuses import COIRole, COIStatus
from certificates.workflow_records import CheckResult
from core import clock
from core.under_lock import known

EMPTY: tuple[Any, ...] = (None, "", [])


# Changes between steps -------------------------------------------------------------------------------


class ChangeKeepsRules:
    """A change between steps runs the same checks as submission and is refused when it leaves a problem at a
    box it changed, or brings a problem that was not there before (issue 11, rule 3): after box 18 the importer
    cannot set box 12 to an operator with no organic activity, as an extract cannot take that consignee. A
    problem is at a box the change changed when the COI's form holds its field in the same box as a changed one."""

    @staticmethod
    def refusal(coi: Certificate, before: FieldProblems, after: FieldProblems, changed: set[str]) -> FieldProblems:
        table = form_of(coi)
        changed_boxes = {table.box_of(name) for name in changed}
        known = {(name, message) for name, messages in before.items() for message in messages}
        refused: FieldProblems = {}
        for name, messages in after.items():
            for message in messages:
                if table.box_of(name) in changed_boxes or (name, message) not in known:
                    add(refused, name, message)
        return refused


class MandatoryNeverEmptied:
    """Once the COI is submitted, a mandatory box (1, 4, 7, 8, 9, 11, 12, 13, 16; on 2021/2306 1, 5, 8, 9, 10, 12,
    24, 13, 16) may be changed but never emptied (issue 11, rule 4): an emptied box 1 or 11 would leave a numbered
    COI that nobody can see."""

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

    def check_change(self, coi: Certificate, before: BoxData, after: BoxData) -> FieldProblems:
        problems: FieldProblems = {}
        emptied = [f for f in self.FIELDS if before.get(f) not in EMPTY and after.get(f) in EMPTY]
        if _box_12_filled(before) and not _box_12_filled(after):
            emptied.append("first_consignee")
        for field in emptied:
            message = _("Box %(box)s is mandatory: it may be changed, never emptied.")
            add(problems, field, message % {"box": box_number(coi, field)})
        return problems


def _box_12_filled(data: BoxData) -> bool:
    return data.get("first_consignee") not in EMPTY or bool(data.get("release_in_batches"))


class TransportCompletedLater:
    """Box 17 may be completed later, before arrival (guide 000, 3.1, box 17): while a field of box 17 is empty,
    the issuing control body, the importer and the RFL may fill it until box 20 is signed; a field once filled
    then follows the table (issue 11, rule 6). The guides' form only: on the 2021/2306 form, box 17 is completed
    by the issuing body within 10 days of issue (`rules.form_2021_2306.CompletionWithinTenDays`)."""

    FIELDS = ("transport_mode", "transport_identification", "transport_document", "departure_date")
    ROLES: frozenset[str] = frozenset({COIRole.CONTROL_BODY, COIRole.IMPORTER, COIRole.RFL})
    STATUSES = frozenset({COIStatus.DESCRIPTION_COMPLETED, COIStatus.ISSUING_BODY_SIGNED})

    def opens(self, coi: Certificate, roles: set[str] | frozenset[str]) -> bool:
        """Whether box 17 is open to these roles beyond the table: an empty field, before box 20."""
        return (
            coi.base_id is None
            and form_of(coi).transport_completed_later
            and coi.status in self.STATUSES
            and bool(self.ROLES & set(roles))
            and any(getattr(coi, f) in EMPTY for f in self.FIELDS)
        )

    def check_change(self, coi: Certificate, before: BoxData, after: BoxData) -> FieldProblems:
        """For a person the table does not let change box 17: a filled field may not change."""
        changed = [f for f in self.FIELDS if before.get(f) not in EMPTY and before.get(f) != after.get(f)]
        if not changed:
            return {}
        message = _("Box %(box)s is already filled: only an empty field of it may still be completed.")
        return {changed[0]: [message % {"box": box_number(coi, changed[0])}]}


def boxes_open_to(coi: Certificate, roles: set[str] | frozenset[str]) -> set[str]:
    """The boxes these roles may change on this COI now: the table's (`matrix.editable_boxes`), and box 17
    while it may be completed later."""
    boxes = editable_boxes(coi, roles)
    if "17" not in boxes and TransportCompletedLater().opens(coi, roles):
        boxes = boxes | {"17"}
    return boxes


def edit_refusal(
    coi: Certificate,
    before: BoxData,
    after: BoxData,
    before_problems: FieldProblems,
    after_problems: FieldProblems,
    *,
    box_17_by_table: bool,
) -> FieldProblems:
    """What refuses a change of boxes after submission (`services.update_boxes`), per field."""
    changed = {name for name in form_of(coi).box_of_field if before.get(name) != after.get(name)}
    refused = merge(
        MandatoryNeverEmptied().check_change(coi, before, after),
        ChangeKeepsRules.refusal(coi, before_problems, after_problems, changed),
    )
    if not box_17_by_table:
        refused = merge(refused, TransportCompletedLater().check_change(coi, before, after))
    return refused


# Box 17 and box 18 -----------------------------------------------------------------------------------


class DepartureAfterSubmission(Rule):
    """Box 17: the COI is issued before the goods leave (Reg. (EU) 2018/848, art. 45(1)(b)(iii)): a date of
    departure before the submission is flagged at box 17 (a warning: the date may be the actual one)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        submitted = timezone.localdate(coi.submitted_at) if coi.submitted_at else timezone.localdate()
        if coi.departure_date is None or coi.departure_date >= submitted:
            return {}
        message = _(
            "The date of departure (%(day)s) is before the submission (%(submitted)s): the COI must be issued "
            "before the goods leave."
        )
        values = {"day": clock.day(coi.departure_date), "submitted": clock.day(submitted)}
        return {"departure_date": [message % values]}


class IssuedBeforeDeparture(Rule):
    """Box 18: signed on or before the date of departure of box 17; later only with the reason the issuing
    control body gives (`given.reason`), kept in the history and printed with its signature (issue 11, rule 7)."""

    @staticmethod
    def late(coi: Certificate, day: datetime.date | None = None) -> bool:
        return coi.departure_date is not None and (day or timezone.localdate()) > coi.departure_date

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if not self.late(coi) or given.reason.strip():
            return {}
        message = _(
            "The goods left on %(day)s (box %(b17)s): give the reason for signing box %(b18)s after the departure."
        )
        return {
            "late_reason": [
                message
                % {
                    "day": clock.day(coi.departure_date),
                    "b17": box_number(coi, "departure_date"),
                    "b18": box_number(coi, "late_reason"),
                }
            ]
        }


class ChecksAcceptable(Rule):
    """Box 18 is not signed while the documentary check or the physical check is "Not acceptable": the
    declaration says the COI is issued on the basis of the checks required ("Not done" stays possible). The
    checks are no box of the form: their problems are at "checks"."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        try:
            checks = coi.checks
        except ObjectDoesNotExist:
            return {"checks": [_("Record the documentary and physical checks before signing.")]}
        problems: FieldProblems = {}
        for result, label in (
            (checks.documentary, _("The documentary check is “Not acceptable”: box 18 cannot be signed.")),
            (checks.physical, _("The physical check is “Not acceptable”: box 18 cannot be signed.")),
        ):
            if result == CheckResult.NOT_ACCEPTABLE:
                add(problems, "checks", label)
        return problems


def box_18_problems(coi: Certificate, *, late_reason: str = "") -> FieldProblems:
    """Box 18, on the day it is signed: every rule of submission (box 1's body certifies the exporter, every
    party and producer certified that day), the checks acceptable or not done, signed before the departure."""
    return merge(
        submission_problems(coi),
        ChecksAcceptable().check(coi),
        IssuedBeforeDeparture().check(coi, Given(reason=late_reason)),
    )


# Box 20, box 21, deletion ----------------------------------------------------------------------------


class ReplacementProtects(Rule):
    """While a replacement of the COI is open (not yet signed in box 18), box 20 and the deletion of the COI it
    replaces are refused, naming the replacement: the replacement is the one with legal value, and it is never
    left stranded (issue 11, rule 8). `at`: "decision" (box 20), or "delete" for the deletion (no box)."""

    def __init__(self, at: str = "decision") -> None:
        self.at = at

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if known(coi, "lock_has_relatives") is False:  # a step's locked read: no extract, no replacement
            return {}
        pending = Certificate.objects.filter(replaces=coi, status=COIStatus.DESCRIPTION_COMPLETED).first()
        if pending is None:
            return {}
        return {
            self.at: [
                _("COI %(number)s is being replaced by COI %(new)s: sign or settle the replacement first.")
                % {"number": coi.number, "new": pending.number}
            ]
        }


EFFECTIVE_DECISIONS = (COIStatus.CONSIGNMENT_VERIFIED, COIStatus.BASIS_FOR_EXTRACT)


def box_20_problems(coi: Certificate, decision: str) -> FieldProblems:
    """Box 20 (or an extract's endorsement), on the day it is signed: a decision that gives the COI effect needs
    the importer and the first consignee certified that day (an extract: its consignee)."""
    if decision not in EFFECTIVE_DECISIONS:
        return {}
    return PartiesCertified(("first_consignee",) if coi.base_id else ("importer", "first_consignee")).check(coi)


class FirstConsigneeDeclaration(Rule):
    """Box 21: on receipt the first consignee declares the packaging, container and COI in order, or declares
    they are not, with a remark saying what (issue 11, rule 10); the parties and the importer's control body
    are then told."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if given.in_order or given.remark.strip():
            return {}
        return {"remark": [_("Say what is not in order: the packaging, the container or the COI.")]}


def box_21_problems(coi: Certificate, *, in_order: bool, remark: str) -> FieldProblems:
    """Box 21, on the day it is signed: the importer and the first consignee certified that day, and a remark
    when something is not in order."""
    return merge(
        PartiesCertified(("importer", "first_consignee")).check(coi),
        FirstConsigneeDeclaration().check(coi, Given(in_order=in_order, remark=remark)),
    )


def warnings(coi: Certificate) -> FieldProblems:
    """What is flagged at its box without refusing anything: a date of departure before the submission."""
    return DepartureAfterSubmission().check(coi)
