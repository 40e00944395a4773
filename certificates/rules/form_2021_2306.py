"""The rules of Reg. (EU) 2021/2306 and 2021/2307 that the guides' form does not have, one class per rule.

Each is a `Rule` (`certificates/rules/problems.py`): `check(coi, given)` returns its problems per field, in the
reader's language; the steps of `certificates/workflow/release.py` (`problems.refuse`: 422 at the box) and the
box edits of `certificates/services.py` (`edit_refusals`, `edit_warnings`) ask them on the server, for pages, the
API and imports alike. Messages that name a box take its number from the COI's form (`problems.box_number`).
Readings chosen where the text leaves room are marked "Reading".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from certificates.coi_forms import form_of
from certificates.coi_forms.choices import Box29Result, Satisfactory
from certificates.models import Certificate
from certificates.queries import signatures_of
from certificates.rules.legal_value import ReplacementProtects
from certificates.rules.parties import PartiesCertified
from certificates.rules.problems import NOTHING, FieldProblems, Given, Rule, box_number, check_all
from certificates.rules.procedure import ProcedureOfBox2
from certificates.statuses import COIStatus
from core import clock


def issued_at(coi: Certificate) -> datetime.datetime | None:
    signature = next((s for s in signatures_of(coi) if s.box == "18"), None)
    return signature.signed_at if signature else None


def box_signed(coi: Certificate, box: str) -> bool:
    return any(s.box == box for s in signatures_of(coi))


def _edited_beside(coi: Certificate, given: Given, name: str) -> bool:
    """Whether the edit changes a field of the box holding `name` on the COI's form."""
    return bool(set(given.values) & set(form_of(coi).fields_beside(name)))


class CompletionWithinTenDays(Rule):
    """Art. 5(3), second subparagraph, of 2021/2306: after issue, the issuing body may still complete the number
    of packages (box 13), boxes 16 and 17 and the supporting documents within 10 days of issue, and in any case
    before the authority verifies the COI (box 25) and decides (box 30). Reading: the whole of box 13 stays open
    to it in that window (the guide's "parts of box 13"). The form's table says how long the window is
    (`CoiForm.completion_window`; none on the guides' form, whose box 17 is completed later instead)."""

    FIELDS = ("commodities", "gross_weight", "transport_mode")  # one field of each of boxes 13, 16 and 17

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        window = form_of(coi).completion_window
        edited = [name for name in self.FIELDS if _edited_beside(coi, given, name)]
        if window is None or coi.status != COIStatus.ISSUING_BODY_SIGNED or "control_body" not in given.roles:
            return {}
        if not edited:
            return {}
        # Said at box 13, the first of the three, and at each box the person changed (box 16 for a gross weight).
        at = dict.fromkeys(("commodities", *edited))
        boxes = {"b13": box_number(coi, "commodities"), "b16": box_number(coi, "gross_weight")}
        boxes["b17"] = box_number(coi, "transport_mode")
        if box_signed(coi, "25") or box_signed(coi, "30"):
            message = _(
                "The competent authority has checked this COI (box %(b25)s): boxes %(b13)s, %(b16)s and %(b17)s can "
                "no longer change."
            ) % {**boxes, "b25": box_number(coi, "documentary_check")}
            return {name: [message] for name in at}
        issued = issued_at(coi)
        if issued and (given.now or timezone.now()) > issued + window:
            message = _(
                "Over 10 days since the COI was issued: boxes %(b13)s, %(b16)s and %(b17)s can no longer change."
            )
            return {name: [message % boxes] for name in at}
        return {}


class BorderPostUntilArrival(Rule):
    """Box 10 (Annex, Part II, note to box 10): the importer or its representative may update the border control
    post or point of release before the consignment arrives. Reading: it has arrived once the authority has
    recorded its documentary check (box 25)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if (
            _edited_beside(coi, given, "point_of_entry")
            and coi.status == COIStatus.ISSUING_BODY_SIGNED
            and box_signed(coi, "25")
        ):
            message = _("The consignment has arrived (box %(b25)s is signed): box %(b10)s can no longer change.") % {
                "b25": box_number(coi, "documentary_check"),
                "b10": box_number(coi, "point_of_entry"),
            }
            return {"point_of_entry": [message]}
        return {}


def working_day_before(arrival: datetime.datetime) -> datetime.datetime:
    """One working day before the arrival (working days skip Saturdays and Sundays only)."""
    moment = arrival - datetime.timedelta(days=1)
    while moment.weekday() >= 5:  # Saturday, Sunday
        moment -= datetime.timedelta(days=1)
    return moment


class PriorNotificationInTime(Rule):
    """Box 20, Art. 3 of 2021/2307 and Implementing Reg. 2019/1013: the prior notification reaches the authority
    at least one working day before the estimated arrival; a border control post facing logistical constraints
    may accept at least four hours. Reading: less than four hours is refused (this rule); four hours to one
    working day is kept with a warning (`PriorNotificationUnderOneWorkingDay`)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        arrival = given.values.get("prior_notification_at")
        if arrival is not None and arrival - (given.now or timezone.now()) < datetime.timedelta(hours=4):
            message = _("The prior notification must reach the authority at least four hours before the arrival.")
            return {"prior_notification_at": [message]}
        return {}


class PriorNotificationUnderOneWorkingDay(Rule):
    """Box 20 (see `PriorNotificationInTime`): a prior notification less than one working day before the arrival
    is kept, with a warning that only a border control post with logistical constraints may accept it. This rule
    judges a change of a notice already given; the first notice's lateness is `FirstNoticeLate`'s, kept."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        arrival = given.values.get("prior_notification_at")
        if coi.prior_notified_at is None:
            return {}  # the first notice: `FirstNoticeLate` keeps and shows its lateness
        if arrival is not None and (given.now or timezone.now()) > working_day_before(arrival):
            message = _(
                "Less than one working day before the arrival: only a border control post with logistical "
                "constraints may accept this prior notification."
            )
            return {"prior_notification_at": [message]}
        return {}


class PriorNotificationKept:
    """Box 20 (Art. 3 of 2021/2307): the moment the notice was first given and the arrival it then announced are
    kept (`Certificate.prior_notified_at`, `prior_notification_first_arrival`), with the moment of its last change
    (`prior_notification_changed_at`); pages, the PDF and the API show them."""

    @staticmethod
    def note(coi: Certificate, arrival: datetime.datetime | None, now: datetime.datetime | None = None) -> None:
        """Record on `coi` (not saved) that box 20 now announces `arrival`."""
        if arrival == coi.prior_notification_at:
            return
        now = now or timezone.now()
        if coi.prior_notified_at is None and arrival is not None:
            coi.prior_notified_at, coi.prior_notification_first_arrival = now, arrival
        coi.prior_notification_changed_at = now


class PriorNotificationNeverWithdrawn(Rule):
    """Box 20: a prior notification once given may be changed (a new estimated arrival), never withdrawn: the
    authority and the importer's control body were told of the consignment (Art. 3 of 2021/2307)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        emptied = "prior_notification_at" in given.values and given.values["prior_notification_at"] is None
        if emptied and coi.prior_notified_at:
            message = _("The prior notification was given: it may be changed, never withdrawn.")
            return {"prior_notification_at": [message]}
        return {}


class FirstNoticeLate(Rule):
    """Box 20: lateness is judged on the first notice (its moment and the arrival it announced): a notice first
    given less than one working day before that arrival stays flagged whatever later changes announce (a warning:
    a border control post with logistical constraints may have accepted it)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        first, arrival = coi.prior_notified_at, coi.prior_notification_first_arrival
        if "prior_notification_at" not in form_of(coi).box_of_field:
            return {}
        if first is None or arrival is None or first <= working_day_before(arrival):
            return {}
        message = _(
            "The prior notification was first given on %(given)s for an arrival on %(arrival)s, less than one "
            "working day before it: only a border control post with logistical constraints may accept it."
        ) % {"given": clock.zoned(first), "arrival": clock.zoned(arrival)}
        return {"prior_notification_at": [message]}


class IssuedPartComplete(Rule):
    """Art. 5(3) of 2021/2306: before the authority verifies (box 25) and decides (box 30), the number of packages
    of every line of box 13, box 16 and box 17 are complete."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        out: FieldProblems = {}
        if any(line.packages is None for line in coi.lines()):
            out["commodities"] = [_("Give the number of packages of every line before the authority's checks.")]
        if coi.gross_weight is None:
            out["gross_weight"] = [_("Give the total gross weight before the authority's checks.")]
        if not coi.transport_mode or not coi.transport_identification:
            out["transport_mode"] = [_("Give the means of transport before the authority's checks.")]
        return out


class SelectedNeedsIdentityAndPhysicalChecks(Rule):
    """Boxes 25 and 29 (Art. 6(1) of 2021/2306): a consignment selected for identity and physical checks gets
    their results in box 29 ("not done" is no result) before the decision of box 30; a laboratory test made
    (selected or not) gets its result before it."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        results = Box29Result.results()
        if coi.selected_for_checks and not (coi.identity_check in results and coi.physical_check in results):
            message = _("The consignment was selected: record the identity and physical checks in box %(box)s first.")
            return {"identity_check": [message % {"box": box_number(coi, "identity_check")}]}
        if coi.laboratory_test and coi.laboratory_result not in results:
            message = _("Record the result of the laboratory test in box %(box)s first.")
            return {"laboratory_result": [message % {"box": box_number(coi, "laboratory_result")}]}
        return {}


class DocumentaryCheckBeforeDecision(Rule):
    """Box 25 before box 30 (Art. 6(1) of 2021/2306: documentary checks on every consignment). An extract
    (2021/2307) is endorsed on its own box 12: no box 25."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.base_id is None and not box_signed(coi, "25"):
            message = _("Record the documentary check (box %(box)s) before the decision.")
            return {"documentary_check": [message % {"box": box_number(coi, "documentary_check")}]}
        return {}


class FailedDocumentaryCheckForcesRefusal(Rule):
    """Annex, Part II, note to box 25: if the documentary check is not satisfactory, box 30 must be completed.
    Reading: the consignment then cannot be released as organic or in-conversion, nor in part; box 30 is the
    next and only step (no identity or physical check, no transfer)."""

    allowed = (COIStatus.RELEASED_NON_ORGANIC, COIStatus.CANNOT_BE_RELEASED)

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.documentary_check == Satisfactory.NOT_SATISFACTORY and given.decision not in self.allowed:
            message = _(
                "The documentary check is not satisfactory: the decision can only be “To be released as "
                "non-organic” or “Cannot be released for free circulation”."
            )
            return {"decision": [message]}
        return {}


class DecisionOfTheForm(Rule):
    """Box 30 of 2021/2306 offers five decisions; box 12 of the extract (2021/2307) four, without "part of the
    consignment can be released"."""

    @staticmethod
    def choices(coi: Certificate) -> list[str]:
        decisions = COIStatus.box30_decisions()
        return [d for d in decisions if d != COIStatus.BASIS_FOR_EXTRACT] if coi.base_id else decisions

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if given.decision in self.choices(coi):
            return {}
        if not coi.base_id:
            message = _("Choose one of the decisions of box %(box)s.") % {"box": box_number(coi, "decision")}
        else:
            number = next(b.number for b in form_of(coi).boxes_for(coi) if "decision" in b.fields)
            message = _("Choose one of the four decisions of box %(box)s of the extract.") % {"box": number}
        return {"decision": [message]}


class InformationForRefusalOrPart(Rule):
    """Box 30 (and extract box 12): the additional information is mandatory for "cannot be released" and "part
    of the consignment can be released"."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if given.decision in (COIStatus.CANNOT_BE_RELEASED, COIStatus.BASIS_FOR_EXTRACT) and not given.reason.strip():
            return {"reason": [_("Give the additional information this decision requires.")]}
        return {}


class FirstConsigneeBeforeRelease(Rule):
    """Box 24 (Art. 4(1)(b) of 2021/2307): the importer gives the first consignee if the issuing body has not,
    before verification and endorsement. Reading: a release of the whole consignment needs it (box 31 is its
    declaration); "part can be released" and "cannot be released" do not."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if given.decision in COIStatus.releases() and not coi.first_consignee_id:
            message = _("Give the first consignee (box %(box)s) before the consignment is released.")
            return {"first_consignee": [message % {"box": box_number(coi, "first_consignee")}]}
        return {}


class DeclarationAfterRelease(Rule):
    """Box 31 only after a decision that releases the consignment (box 30: organic, in-conversion or
    non-organic); the matrix holds it, this rule says why to whoever asks on another status."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.status not in COIStatus.releases():
            message = _("Box %(b31)s is signed only after box %(b30)s released the consignment.") % {
                "b31": box_number(coi, "consignee_in_accordance"),
                "b30": box_number(coi, "decision"),
            }
            return {"consignee_in_accordance": [message]}
        return {}


class RemarkWhenNotInAccordance(Rule):
    """Box 31 (and extract box 13): "not in accordance" with point 6 of Annex III to 2018/848. Reading: the first
    consignee then says why, in a remark."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if not given.in_accordance and not given.remark.strip():
            return {"remark": [_("Say in a remark what is not in accordance.")]}
        return {}


class SpecialProcedureNamed(Rule):
    """Box 23: the authority verifies a consignment before a special customs procedure only when the importer
    ticked customs warehousing or inward processing and gave the customs declaration reference (Art. 7(1))."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        number = {"box": box_number(coi, "customs_warehousing")}
        if not (coi.customs_warehousing or coi.inward_processing):
            message = _("Box %(box)s names no special customs procedure: there is nothing to verify.") % number
            return {"customs_warehousing": [message]}
        if not coi.customs_declaration_reference:
            message = _("Box %(box)s needs the customs declaration reference number first.") % number
            return {"customs_declaration_reference": [message]}
        return {}


# Issue 22, point 1: the decision follows from the checks -----------------------------------------------------

# Box 29's results, by field, and how a refusal names each check.
CHECKS_OF_BOX_29 = ("identity_check", "physical_check", "laboratory_result")


def check_names() -> dict[str, str]:
    return {
        "documentary_check": _("the documentary check (box 25)"),
        "identity_check": _("the identity check (box 29)"),
        "physical_check": _("the physical check (box 29)"),
        "laboratory_result": _("the laboratory test result (box 29)"),
    }


def failed_checks(coi: Certificate) -> list[str]:
    """The checks not satisfactory (fields of boxes 25 and 29) of the COI, or of its base for an extract."""
    source = coi.base if coi.base_id else coi
    fields = ("documentary_check", *CHECKS_OF_BOX_29)
    return [f for f in fields if getattr(source, f) == Satisfactory.NOT_SATISFACTORY]


def lots_of(text: str) -> list[str]:
    """The lot numbers of box 29's "lots not satisfactory", as typed: separated by commas, semicolons or lines."""
    out: list[str] = []
    for lot in text.replace(";", ",").replace("\n", ",").split(","):
        if lot.strip() and lot.strip() not in out:
            out.append(lot.strip())
    return out


def failed_lots_in(extract: Any) -> list[str]:
    """The lots of an extract's batch (box 11) that box 29 of its base recorded as not satisfactory."""
    failed = set(lots_of(extract.base.lots_not_satisfactory))
    return sorted({line.lot_number for line in extract.lines() if line.lot_number in failed})


class FailedCheckExcludesOrganicRelease(Rule):
    """Arts 6(1) and 6(3) of 2021/2306, Annex notes to boxes 29 and 30: an identity or physical check or a
    laboratory result not satisfactory (box 29) excludes a release as organic or in-conversion of what it
    concerns; box 30 then offers what the law allows: "to be released as non-organic", "cannot be released" or
    "part of the consignment can be released" (the additional information, mandatory for it, says which part),
    the part then released with extracts (Art. 6(3)(e)). Per lot: box 29 may name the lots of box 13 that failed
    ("lots not satisfactory"); an extract whose batch holds one of them is never released as organic or
    in-conversion (box 12), one whose batch holds none of them is, the check being about the other lots.
    Reading: without lots named, box 29 speaks of the whole consignment, so a batch split from it is released as
    organic or in-conversion only by the authority's explicit choice, its reason (that the batch is not what
    failed) given in the additional information, kept in the history and printed on the PDF.
    (A failed documentary check: `FailedDocumentaryCheckForcesRefusal`, no part either.)"""

    EXCLUDED = (COIStatus.RELEASED_ORGANIC, COIStatus.RELEASED_IN_CONVERSION)

    @staticmethod
    def failed(coi: Certificate) -> list[str]:
        return [f for f in failed_checks(coi) if f != "documentary_check" or coi.base_id]

    @classmethod
    def excludes(cls, coi: Certificate) -> bool:
        """Whether no reason can make a release as organic or in-conversion possible (what box 30 offers)."""
        if not cls.failed(coi):
            return False
        return not coi.base_id or bool(failed_lots_in(coi))

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        failed = self.failed(coi)
        if given.decision not in self.EXCLUDED or not failed:
            return {}
        names = capfirst(", ".join(check_names()[f] for f in failed))
        if coi.base_id:
            in_batch = failed_lots_in(coi)
            if in_batch:
                message = _(
                    "Lot %(lots)s of this batch is not satisfactory (box %(box)s of the certificate of inspection): "
                    "the batch cannot be released as organic or in-conversion. Choose “To be released as "
                    "non-organic” or “Cannot be released for free circulation”."
                ) % {"lots": ", ".join(in_batch), "box": box_number(coi.base or coi, "identity_check")}
                return {"decision": [message]}
            base_lots = coi.base.lots_not_satisfactory if coi.base is not None else ""
            if base_lots.strip() or given.reason.strip():
                return {}  # the failed lots are elsewhere, or the authority's explicit choice, with its reason
            message = _(
                "%(checks)s of the consignment is not satisfactory: the batch is released as organic or "
                "in-conversion only if you say in the additional information why it is not concerned; otherwise "
                "choose “To be released as non-organic” or “Cannot be released for free circulation”."
            )
        else:
            message = _(
                "%(checks)s is not satisfactory: the consignment cannot be released as organic or in-conversion. "
                "Choose “To be released as non-organic”, “Cannot be released for free circulation” or, where only "
                "some lots failed, “Part of the consignment can be released” (say which in the additional "
                "information)."
            )
        return {"decision": [message % {"checks": names}]}


class PartNeedsALotThatPassed(Rule):
    """Box 30, "part of the consignment can be released" after a failed check of box 29: the part released is the
    lots that passed, so it needs one. Refused when box 29 names every lot of box 13 as not satisfactory (then
    "to be released as non-organic" or "cannot be released")."""

    @staticmethod
    def every_lot_failed(coi: Certificate) -> bool:
        failed = set(lots_of(coi.lots_not_satisfactory))
        return bool(failed) and all(line.lot_number in failed for line in coi.lines())

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.base_id or given.decision != COIStatus.BASIS_FOR_EXTRACT or not self.every_lot_failed(coi):
            return {}
        message = _(
            "Every lot of box %(b13)s is not satisfactory (box %(b29)s): no part can be released as organic or "
            "in-conversion. Choose “To be released as non-organic” or “Cannot be released for free circulation”."
        ) % {"b13": box_number(coi, "commodities"), "b29": box_number(coi, "identity_check")}
        return {"decision": [message]}


def offered_decisions(coi: Certificate) -> list[str]:
    """What box 30 (an extract's box 12) offers the authority: its form's decisions less those the checks exclude
    whatever is said (a failed documentary check, a failed check of box 29, a failed lot in an extract's batch)."""
    choices = DecisionOfTheForm.choices(coi)
    if coi.documentary_check == Satisfactory.NOT_SATISFACTORY and not coi.base_id:
        choices = [d for d in choices if d in FailedDocumentaryCheckForcesRefusal.allowed]
    if FailedCheckExcludesOrganicRelease.excludes(coi):
        choices = [d for d in choices if d not in FailedCheckExcludesOrganicRelease.EXCLUDED]
    if not coi.base_id and PartNeedsALotThatPassed.every_lot_failed(coi):
        choices = [d for d in choices if d != COIStatus.BASIS_FOR_EXTRACT]
    return choices


class ResultNeedsItsTest(Rule):
    """Box 29: a test result (satisfactory or not) follows "Laboratory test: Yes"; a check not done is recorded as
    "not done" (`ChecksNotDone`), never as satisfactory."""

    FIELDS = ("laboratory_test", "laboratory_result")

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if not set(given.values) & set(self.FIELDS):
            return {}

        def now(name: str) -> Any:
            return given.values[name] if name in given.values else getattr(coi, name)

        if now("laboratory_result") in Box29Result.results() and now("laboratory_test") is not True:
            message = _("A test result needs its laboratory test: tick “Laboratory test: Yes” first.")
            return {"laboratory_result": [message]}
        return {}


class ChecksNotDone:
    """Box 29 (issue 22): once the documentary check is recorded (box 25), an identity or physical check that was
    not done reads "Not done" (stored, so the page, the PDF, the API and an extract of the COI say so), never
    blank, and the laboratory test "No" when none was recorded: box 25 records them so, and a check made later
    replaces "not done" with its result. The test result follows its test: none without a test (printed "Not
    done"), awaited (empty, which box 30 refuses) once the test is ticked "Yes"."""

    CHECKS = ("identity_check", "physical_check")

    @classmethod
    def at_box_25(cls, coi: Certificate) -> list[str]:
        """Record "not done" on `coi` (not saved) for each check without a result; the fields it set."""
        changed = [name for name in cls.CHECKS if not getattr(coi, name)]
        for name in changed:
            setattr(coi, name, Box29Result.NOT_DONE)
        if coi.laboratory_test is None:
            coi.laboratory_test = False
            changed.append("laboratory_test")
        return changed

    @classmethod
    def in_edit(cls, coi: Certificate, values: dict[str, Any]) -> None:
        """Complete a box edit's read `values` (in place) after box 25: an emptied check reads "not done"."""
        if coi.base_id or not set(cls.CHECKS) <= set(form_of(coi).box_of_field) or not box_signed(coi, "25"):
            return
        for name in cls.CHECKS:
            if name in values and not values[name]:
                values[name] = Box29Result.NOT_DONE
        if "laboratory_test" in values and values["laboratory_test"] is None:
            values["laboratory_test"] = False
        test = values.get("laboratory_test", coi.laboratory_test)
        if test and values.get("laboratory_result", coi.laboratory_result) == Box29Result.NOT_DONE:
            values["laboratory_result"] = ""  # the test was made: its result is awaited


class FailedLotsOfBox13(Rule):
    """Box 29, per lot (issue 22): the lots not satisfactory are lot numbers of box 13, named only when a check of
    box 29 is not satisfactory; a lot once recorded as not satisfactory stays so (what was checked stays)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if "lots_not_satisfactory" not in given.values:
            return {}
        lots = lots_of(given.values["lots_not_satisfactory"] or "")
        kept = [lot for lot in lots_of(coi.lots_not_satisfactory) if lot not in lots]
        if kept:
            message = _("Lot %(lots)s was recorded as not satisfactory in box %(box)s: it stays so.")
            box = box_number(coi, "lots_not_satisfactory")
            return {"lots_not_satisfactory": [message % {"lots": ", ".join(kept), "box": box}]}
        if not lots:
            return {}
        known = {line.lot_number for line in coi.lines() if line.lot_number}
        unknown = [lot for lot in lots if lot not in known]
        if unknown:
            message = _("Lot %(lots)s is not a lot number of box %(box)s.")
            number = box_number(coi, "commodities")
            return {"lots_not_satisfactory": [message % {"lots": ", ".join(unknown), "box": number}]}

        def now(name: str) -> Any:
            return given.values[name] if name in given.values else getattr(coi, name)

        if not any(now(name) == Box29Result.NOT_SATISFACTORY for name in CHECKS_OF_BOX_29):
            message = _("Name lots not satisfactory only when a check of box %(box)s is not satisfactory.")
            return {"lots_not_satisfactory": [message % {"box": box_number(coi, "identity_check")}]}
        return {}


# Issue 22, point 2: what an authority has checked stays as checked -------------------------------------------

# What each signature covers and what the law reopens are the form's (`CoiForm.signature_covers`, `reopens`).
# Covered boxes whose refusal after box 25 another rule words (`BorderPostUntilArrival`, `CompletionWithinTenDays`).
WORDED_ELSEWHERE = frozenset({"10", "13", "16", "17"})


class SignedBoxesStay(Rule):
    """Issue 22, point 2: after box 23's verification or box 25's documentary check, a box they cover
    (`CoiForm.signature_covers`) is refused at that box, unless the law lets it change (`CoiForm.reopens`, then
    `withdrawn` names the verification the change withdraws). A result recorded in box 29 stays as recorded."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        table = form_of(coi)
        if not table.signature_covers or coi.base_id:
            return {}
        signed = {s.box for s in signatures_of(coi)}
        out: FieldProblems = {}
        for name in given.values:
            box = table.box_of(name)
            number = table.by_key[box].number if box in table.by_key else ""
            for signature in ("23", "25"):
                covered = number in table.covered_by(signature) and (signature, number) not in table.reopens
                if signature in signed and covered and not (signature == "25" and number in WORDED_ELSEWHERE):
                    message = _("Box %(signature)s is signed: box %(box)s, which it covers, can no longer change.")
                    out.setdefault(name, []).append(message % {"signature": signature, "box": number})
                    break
            recorded = getattr(coi, name, "") if name in CHECKS_OF_BOX_29 else ""
            if recorded in Box29Result.results() and given.values[name] != recorded:
                out.setdefault(name, []).append(_("A result recorded in box 29 stays as recorded."))
        return out

    @staticmethod
    def withdrawn(coi: Certificate, changed_boxes: set[str]) -> list[str]:
        """The verifications a stored change withdraws: signed, covering a box the law lets change."""
        signed = {s.box for s in signatures_of(coi)}
        reopens = form_of(coi).reopens
        return sorted(signature for signature, box in reopens if signature in signed and box in changed_boxes)


# Issue 22, point 3: every step of the Union part checks the parties and the time rules on its day -------------


class PartiesCertifiedOnTheDay(Rule):
    """Boxes 23, 25, 30 and 31 (an extract's 12 and 13), on the day each is signed, as the guides' boxes 20 and 21
    since issue 11: the importer (box 12) and the first consignee (box 24; an extract: the consignee of the batch,
    its box 10) hold a Valid profile and are certified that day by a body recognised for the products. Box 30
    checks them for a decision that gives the COI effect (a release, or part released), not to refuse it."""

    EFFECTIVE = (*COIStatus.releases(), COIStatus.BASIS_FOR_EXTRACT)

    def __init__(self, step: str) -> None:
        self.step = step

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if self.step == "30" and given.decision not in self.EFFECTIVE:
            return {}
        return PartiesCertified(("first_consignee",) if coi.base_id else ("importer", "first_consignee")).check(coi)


class NoticeBeforeControl(Rule):
    """Box 25 (Art. 3 of 2021/2307): the prior notification of box 20 precedes the consignment's arrival, so the
    documentary check is recorded only once box 20 is given."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        if coi.base_id is None and coi.prior_notification_at is None:
            message = _("Box %(box)s (prior notification) is not given: the documentary check comes after it.")
            return {"prior_notification_at": [message % {"box": box_number(coi, "prior_notification_at")}]}
        return {}


class ReplacementPending(Rule):
    """Every step of the Union part: while a replacement of the COI is open, the replacement is the one with legal
    value (`legal_value.ReplacementProtects`, issue 11 rule 8), refused at the step's box."""

    def __init__(self, at: str) -> None:
        self.at = at

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        return {} if coi.base_id else ReplacementProtects(self.at).check(coi, given)


class ReplacedOnlyBeforeUnionChecks(Rule):
    """The replace step (issuing body, after box 18): refused, at the signed box, once the authority has verified
    the consignment in box 23 or recorded its documentary check in box 25; nothing is copied.

    Source: Reg. (EU) 2021/2306 Art. 6(1), last subparagraph: a replacement corrects clerical or editorial errors
    only, with the competent authority's agreement, and leaves identification, traceability and guarantee data
    unchanged; TRACES NT's Member State guide ("Other functions", Replace): the replacing COI is the one the
    authority endorses. Reading: once box 23 or box 25 is signed, what the authority checked stays as checked
    (issue 22, point 2); a new copy would start without those checks, so the issuing body can no longer replace
    the COI: a correction then goes through the authority (box 30's decision). An extract is never replaced."""

    SIGNED = (("23", "customs_warehousing"), ("25", "documentary_check"))

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        signed = {s.box for s in signatures_of(coi)}
        for box, name in self.SIGNED:
            if box in signed:
                message = _(
                    "Box %(box)s is signed by the authority: the issuing body can no longer replace this COI; "
                    "what the authority checked stays as checked."
                )
                return {name: [message % {"box": box}]}
        return {}


# What each step of the Union part runs on its day (one table; `workflow/release.py` asks it at every step).
ON_THE_DAY: dict[str, tuple[Rule, ...]] = {
    "23": (PartiesCertifiedOnTheDay("23"), ReplacementPending("customs_warehousing")),
    "25": (PartiesCertifiedOnTheDay("25"), ReplacementPending("documentary_check"), NoticeBeforeControl()),
    "30": (PartiesCertifiedOnTheDay("30"), ReplacementPending("decision")),
    "31": (PartiesCertifiedOnTheDay("31"), ReplacementPending("consignee_in_accordance")),
}


# What each step asks, in order (a step refuses on the first that finds a problem: `problems.refuse`).
VERIFY_23 = (SpecialProcedureNamed(),)
SIGN_25 = (IssuedPartComplete(),)
DECIDE_30 = (
    DecisionOfTheForm(),
    DocumentaryCheckBeforeDecision(),
    FailedDocumentaryCheckForcesRefusal(),
    SelectedNeedsIdentityAndPhysicalChecks(),
    InformationForRefusalOrPart(),
    FirstConsigneeBeforeRelease(),
    FailedCheckExcludesOrganicRelease(),
    PartNeedsALotThatPassed(),
)
SIGN_31_STATUS = (DeclarationAfterRelease(),)
SIGN_31 = (RemarkWhenNotInAccordance(),)
# A box edit (`services.update_boxes`): refused whole on any of these; then warned.
EDIT_REFUSALS = (
    CompletionWithinTenDays(),
    BorderPostUntilArrival(),
    PriorNotificationInTime(),
    PriorNotificationNeverWithdrawn(),
    ResultNeedsItsTest(),
    FailedLotsOfBox13(),
    SignedBoxesStay(),
    ProcedureOfBox2(),
)
EDIT_WARNINGS = (PriorNotificationUnderOneWorkingDay(),)
# What the COI's page, its PDF and the API flag without refusing anything (beside `legal_value.warnings`).
WARNINGS = (FirstNoticeLate(),)


def edit_refusals(coi: Certificate, given: Given) -> FieldProblems:
    """What a box edit may not do now, per field (nothing of the edit is then stored)."""
    return check_all(coi, EDIT_REFUSALS, given)


def edit_warnings(coi: Certificate, given: Given) -> FieldProblems:
    """What a stored edit should make its author look at again."""
    return check_all(coi, EDIT_WARNINGS, given)


def warnings(coi: Certificate) -> FieldProblems:
    """What a 2021/2306 COI's page, PDF and API answer flag, per field: a prior notification first given late."""
    return check_all(coi, WARNINGS)
