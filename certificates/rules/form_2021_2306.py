"""The rules of Reg. (EU) 2021/2306 and 2021/2307 that the guides' form does not have, one class per rule.

Each class names its source and has `box`; `problem(...)` returns the message, in the reader's language, or
None. The steps of `certificates/workflow/release.py` and the box edits of `certificates/services.py` ask them
on the server, for pages, the API and imports alike. Readings chosen where the text leaves room are marked
"Reading".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.coi_forms.choices import Satisfactory
from certificates.rules.contents import ProcedureDerived
from certificates.statuses import COIStatus
from reference import procedures
from reference.procedures import Procedure

TEN_DAYS = datetime.timedelta(days=10)


def issued_at(coi: Any) -> datetime.datetime | None:
    signature = next((s for s in coi.signatures.all() if s.box == "18"), None)
    return signature.signed_at if signature else None


def box_signed(coi: Any, box: str) -> bool:
    return any(s.box == box for s in coi.signatures.all())


class CompletionWithinTenDays:
    """Art. 5(3), second subparagraph, of 2021/2306: after issue, the issuing body may still complete the number
    of packages (box 13), boxes 16 and 17 and the supporting documents within 10 days of issue, and in any case
    before the authority verifies the COI (box 25) and decides (box 30). Reading: the whole of box 13 stays open
    to it in that window (the guide's "parts of box 13")."""

    boxes = frozenset({"13", "16", "17"})

    @classmethod
    def problem(cls, coi: Any, boxes: set[str], roles: set[str], now: datetime.datetime | None = None) -> str | None:
        if coi.status != COIStatus.ISSUING_BODY_SIGNED or not (boxes & cls.boxes) or "control_body" not in roles:
            return None
        if box_signed(coi, "25") or box_signed(coi, "30"):
            return _("The competent authority has checked this COI (box 25): boxes 13, 16 and 17 can no longer change.")
        issued = issued_at(coi)
        if issued and (now or timezone.now()) > issued + TEN_DAYS:
            return _("Over 10 days since the COI was issued: boxes 13, 16 and 17 can no longer change.")
        return None


class BorderPostUntilArrival:
    """Box 10 (Annex, Part II, note to box 10): the importer or its representative may update the border control
    post or point of release before the consignment arrives. Reading: it has arrived once the authority has
    recorded its documentary check (box 25)."""

    box = "10"

    @classmethod
    def problem(cls, coi: Any, boxes: set[str]) -> str | None:
        if cls.box in boxes and coi.status == COIStatus.ISSUING_BODY_SIGNED and box_signed(coi, "25"):
            return _("The consignment has arrived (box 25 is signed): box 10 can no longer change.")
        return None


class PriorNotificationInTime:
    """Box 20, Art. 3 of 2021/2307 and Implementing Reg. 2019/1013: the prior notification reaches the authority
    at least one working day before the estimated arrival; a border control post facing logistical constraints
    may accept at least four hours. Reading: less than four hours is refused; four hours to one working day is
    kept with a warning that the post must accept it."""

    box = "20"

    @staticmethod
    def working_day_before(arrival: datetime.datetime) -> datetime.datetime:
        moment = arrival - datetime.timedelta(days=1)
        while moment.weekday() >= 5:  # Saturday, Sunday
            moment -= datetime.timedelta(days=1)
        return moment

    @classmethod
    def refusal(cls, arrival: datetime.datetime | None, now: datetime.datetime | None = None) -> str | None:
        now = now or timezone.now()
        if arrival is not None and arrival - now < datetime.timedelta(hours=4):
            return _("The prior notification must reach the authority at least four hours before the arrival.")
        return None

    @classmethod
    def warning(cls, arrival: datetime.datetime | None, now: datetime.datetime | None = None) -> str | None:
        now = now or timezone.now()
        if arrival is not None and now > cls.working_day_before(arrival):
            return _(
                "Less than one working day before the arrival: only a border control post with logistical "
                "constraints may accept this prior notification."
            )
        return None


class IssuedPartComplete:
    """Art. 5(3) of 2021/2306: before the authority verifies (box 25) and decides (box 30), the number of packages
    of every line of box 13, box 16 and box 17 are complete."""

    box = "13"

    @classmethod
    def problems(cls, coi: Any) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if any(line.packages is None for line in coi.lines()):
            out["13"] = [_("Give the number of packages of every line before the authority's checks.")]
        if coi.gross_weight is None:
            out["16"] = [_("Give the total gross weight before the authority's checks.")]
        if not coi.transport_mode or not coi.transport_identification:
            out["17"] = [_("Give the means of transport before the authority's checks.")]
        return out


class SelectedNeedsIdentityAndPhysicalChecks:
    """Boxes 25 and 29 (Art. 6(1) of 2021/2306): a consignment selected for identity and physical checks gets
    their results in box 29 (and a test result when a laboratory test was made) before the decision of box 30."""

    box = "29"

    @classmethod
    def problem(cls, coi: Any) -> str | None:
        if not coi.selected_for_checks:
            return None
        if not coi.identity_check or not coi.physical_check:
            return _("The consignment was selected: record the identity and physical checks in box 29 first.")
        if coi.laboratory_test and not coi.laboratory_result:
            return _("Record the result of the laboratory test in box 29 first.")
        return None


class DocumentaryCheckBeforeDecision:
    """Box 25 before box 30 (Art. 6(1) of 2021/2306: documentary checks on every consignment). An extract
    (2021/2307) is endorsed on its own box 12: no box 25."""

    box = "25"

    @classmethod
    def problem(cls, coi: Any) -> str | None:
        if coi.base_id is None and not box_signed(coi, "25"):
            return _("Record the documentary check (box 25) before the decision.")
        return None


class FailedDocumentaryCheckForcesRefusal:
    """Annex, Part II, note to box 25: if the documentary check is not satisfactory, box 30 must be completed.
    Reading: the consignment then cannot be released as organic or in-conversion, nor in part; box 30 is the
    next and only step (no identity or physical check, no transfer)."""

    box = "30"
    allowed = (COIStatus.RELEASED_NON_ORGANIC, COIStatus.CANNOT_BE_RELEASED)

    @classmethod
    def problem(cls, coi: Any, decision: str) -> str | None:
        if coi.documentary_check == Satisfactory.NOT_SATISFACTORY and decision not in cls.allowed:
            return _(
                "The documentary check is not satisfactory: the decision can only be “To be released as "
                "non-organic” or “Cannot be released for free circulation”."
            )
        return None


class DecisionOfTheForm:
    """Box 30 of 2021/2306 offers five decisions; box 12 of the extract (2021/2307) four, without "part of the
    consignment can be released"."""

    box = "30"

    @classmethod
    def choices(cls, coi: Any) -> list[str]:
        decisions = COIStatus.box30_decisions()
        return [d for d in decisions if d != COIStatus.BASIS_FOR_EXTRACT] if coi.base_id else decisions

    @classmethod
    def problem(cls, coi: Any, decision: str) -> str | None:
        if decision not in cls.choices(coi):
            return (
                _("Choose one of the decisions of box 30.")
                if not coi.base_id
                else _("Choose one of the four decisions of box 12 of the extract.")
            )
        return None


class InformationForRefusalOrPart:
    """Box 30 (and extract box 12): the additional information is mandatory for "cannot be released" and "part
    of the consignment can be released"."""

    box = "30"

    @classmethod
    def problem(cls, decision: str, reason: str) -> str | None:
        if decision in (COIStatus.CANNOT_BE_RELEASED, COIStatus.BASIS_FOR_EXTRACT) and not reason.strip():
            return _("Give the additional information this decision requires.")
        return None


class FirstConsigneeBeforeRelease:
    """Box 24 (Art. 4(1)(b) of 2021/2307): the importer gives the first consignee if the issuing body has not,
    before verification and endorsement. Reading: a release of the whole consignment needs it (box 31 is its
    declaration); "part can be released" and "cannot be released" do not."""

    box = "24"

    @classmethod
    def problem(cls, coi: Any, decision: str) -> str | None:
        if decision in COIStatus.releases() and not coi.first_consignee_id:
            return _("Give the first consignee (box 24) before the consignment is released.")
        return None


class DeclarationAfterRelease:
    """Box 31 only after a decision that releases the consignment (box 30: organic, in-conversion or
    non-organic); the matrix holds it, this rule says why to whoever asks on another status."""

    box = "31"

    @classmethod
    def problem(cls, coi: Any) -> str | None:
        if coi.status not in COIStatus.releases():
            return _("Box 31 is signed only after box 30 released the consignment.")
        return None


class RemarkWhenNotInAccordance:
    """Box 31 (and extract box 13): "not in accordance" with point 6 of Annex III to 2018/848. Reading: the first
    consignee then says why, in a remark."""

    box = "31"

    @classmethod
    def problem(cls, in_accordance: bool, remark: str) -> str | None:
        if not in_accordance and not remark.strip():
            return _("Say in a remark what is not in accordance.")
        return None


class SpecialProcedureNamed:
    """Box 23: the authority verifies a consignment before a special customs procedure only when the importer
    ticked customs warehousing or inward processing and gave the customs declaration reference (Art. 7(1))."""

    box = "23"

    @classmethod
    def problem(cls, coi: Any) -> str | None:
        if not (coi.customs_warehousing or coi.inward_processing):
            return _("Box 23 names no special customs procedure: there is nothing to verify.")
        if not coi.customs_declaration_reference:
            return _("Box 23 needs the customs declaration reference number first.")
        return None


class ProcedureOfBox2:
    """Box 2 of 2021/2306: the issuing body ticks one of four procedures of Reg. (EU) 2018/848 (Annex, Part I):
    compliance (Art. 46), equivalent third country (Art. 48), equivalent control authority or body (Art. 57),
    trade agreement (Art. 47). Arts 46, 47 and 48 follow from box 1 and the products' categories, as on the guides'
    form (`reference.procedures.procedure_for`): a ticked one must be that one. Art. 57 is a choice of the issuing
    body (its code may be recognised under both Art. 46 and Art. 57), possible only while the Art. 57
    recognitions ran (until 31 December 2024). Left empty, box 2 is derived."""

    box = "2"

    @staticmethod
    def problem(coi: Any, typed: str, today: datetime.date | None = None) -> str | None:
        if not typed:
            return None
        if typed not in Procedure.of_form_2021_2306():
            return _("Tick one of the four procedures of box 2.")
        if typed == Procedure.EQUIVALENT_CONTROL_BODY:
            if (today or timezone.localdate()) >= procedures.EQUIVALENT_CONTROL_BODIES_UNTIL:
                return _(
                    "The recognitions of control bodies for equivalence (art. 57 of Regulation (EU) 2018/848) ended "
                    "on 31 December 2024: tick the procedure under which the issuing body is recognised now."
                )
            return None
        derived = ProcedureDerived.derive(coi, typed_allowed=False)
        if derived and typed != derived:
            return _(
                "Box 1 and the products give %(procedure)s: tick that one, or the equivalent control body (art. 57)."
            ) % {"procedure": Procedure(derived).label}
        return None


def edit_refusals(coi: Any, boxes: set[str], roles: set[str], values: dict[str, Any]) -> dict[str, list[str]]:
    """What a box edit on a 2021/2306 COI may not do now, at its box (nothing of the edit is then stored)."""
    if coi.form != "2021/2306":
        return {}
    found: dict[str, list[str]] = {}
    for box, message in (
        ("13", CompletionWithinTenDays.problem(coi, boxes, roles)),
        ("10", BorderPostUntilArrival.problem(coi, boxes)),
        (
            "20",
            PriorNotificationInTime.refusal(values.get("prior_notification_at"))
            if "prior_notification_at" in values
            else None,
        ),
        ("2", ProcedureOfBox2.problem(coi, values.get("procedure") or "")),
    ):
        if message:
            found.setdefault(box, []).append(message)
    return found


def edit_warnings(coi: Any, values: dict[str, Any]) -> dict[str, list[str]]:
    """What a stored edit should make its author look at again."""
    if coi.form != "2021/2306" or "prior_notification_at" not in values:
        return {}
    message = PriorNotificationInTime.warning(values["prior_notification_at"])
    return {"20": [message]} if message else {}
