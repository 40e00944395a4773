"""The steps of certification: submission for certification (Draft -> Description completed), the issuing
body's checks and box 18, the authority's decision in box 20, the first consignee's box 21. Same rules for
every step: see `certificates/workflow/__init__.py`."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from certificates import rules
from certificates.access import Person, roles_on
from certificates.matrix import Action, allowed
from certificates.models import Certificate
from certificates.queries import with_detail
from certificates.rules import BoxErrors
from certificates.services import form_problems
from certificates.statuses import COIRole, COIStatus
from certificates.workflow.guards import acting_role, locked, require_two_factor
from certificates.workflow.history import record, written_together
from certificates.workflow.numbering import next_number
from certificates.workflow.signatures import (
    DECLARATION_18,
    DECLARATION_20,
    DECLARATION_21,
    DECLARATION_21_NOT_IN_ORDER,
    sign,
)
from certificates.workflow.status import change_status, change_status_and_tell
from certificates.workflow.step_notices import ALL_PARTIES, tell
from certificates.workflow_records import CheckResult, Checks, Signature, Step, msgid
from core.errors import Conflict, DomainError, Invalid
from core.text import refuse_bad_text

# Submission for certification ---------------------------------------------------------------------------


def submit(person: Person, pk: int) -> Certificate:
    """ "Submit for certification": every mandatory box and rule is checked; the COI gets its number and the
    status Description completed; the issuing body, the importer and the exporter are told. Refused with
    every problem at its box, nothing changed (422); 409 when already submitted, 403 without the right."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        if not coi.is_draft:
            raise Conflict(_("This COI has already been submitted."))
        if not allowed(coi, roles_on(person, coi), Action.EDIT_ALL):
            raise DomainError(_("You may not submit this COI."))
        coi = with_detail(coi)
        problems = form_problems(coi, rules.submission_problems)
        if problems:
            raise BoxErrors(problems, _("The COI cannot be submitted yet: see the boxes marked."))
        now = timezone.now()
        coi.number = next_number(coi.export_country, timezone.localdate(now).year)
        coi.submitted_at = now
        change_status_and_tell(
            person,
            coi,
            COIStatus.DESCRIPTION_COMPLETED,
            Step.SUBMIT,
            role=coi.creator_role,
            also=("number", "submitted_at"),
            told={COIRole.CONTROL_BODY, COIRole.IMPORTER, COIRole.EXPORTER},
            title=gettext_noop("COI %(number)s is submitted for certification"),
        )
    return coi


# Box 18 ------------------------------------------------------------------------------------------------


def record_checks(
    person: Person,
    pk: int,
    *,
    documentary: str,
    physical: str,
    documentary_remarks: str = "",
    physical_remarks: str = "",
) -> Checks:
    """The issuing body's documentary and physical checks: Acceptable, Not acceptable or Not done."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_18)
        return _store_checks(person, coi, role, documentary, physical, documentary_remarks, physical_remarks)


CHECKS_FIELDS = ["documentary", "documentary_remarks", "physical", "physical_remarks", "recorded_by", "recorded_at"]


def _store_checks(
    person: Person, coi: Certificate, role: str, documentary: str, physical: str, doc_remarks: str, phys_remarks: str
) -> Checks:
    if documentary not in CheckResult.values or physical not in CheckResult.values:
        raise Invalid(_("Choose the result of each check: acceptable, not acceptable or not done."), code="checks")
    checks = Checks(
        certificate=coi,
        documentary=documentary,
        documentary_remarks=doc_remarks.strip(),
        physical=physical,
        physical_remarks=phys_remarks.strip(),
        recorded_by=person.user,
        recorded_at=timezone.now(),
    )
    refuse_bad_text(Checks, checks, update_fields=None)  # the texts' backstop, as a save would run it
    # One statement whether the COI had checks or not (INSERT ... ON CONFLICT UPDATE; the COI's row is locked).
    Checks.objects.bulk_create(
        [checks], update_conflicts=True, unique_fields=["certificate"], update_fields=CHECKS_FIELDS
    )
    coi.checks = checks  # box 18's rules read them from the COI
    words = gettext_noop("Documentary check: %(doc)s. Physical check: %(phys)s.")
    results = {
        "doc": {"msgid": msgid(CheckResult(checks.documentary).label)},
        "phys": {"msgid": msgid(CheckResult(checks.physical).label)},
    }
    remarks = " ".join(r for r in (checks.documentary_remarks, checks.physical_remarks) if r)
    record(person, coi, Step.CHECKS, role=role, old_status=coi.status, said=[(words, results)], note=remarks)
    return checks


def sign_box_18(
    person: Person,
    pk: int,
    *,
    place: str,
    code: str | None = None,
    checks: dict[str, str] | None = None,
    late_reason: str = "",
) -> Certificate:
    """The issuing control body signs its declaration, after its checks; a replacement's signature
    makes the COI it replaces Replaced. Refused (`BoxErrors`, 422) unless every rule holds that day
    (`rules.box_18_problems`); `late_reason` says why it is signed after the date of departure of box 17
    (kept with the signature, in the history and on the PDF)."""
    with transaction.atomic(), written_together():  # the checks' entry, box 18's, a replaced COI's: one INSERT
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_18)
        require_two_factor(person, code)
        if checks:
            _store_checks(
                person,
                coi,
                role,
                checks.get("documentary", ""),
                checks.get("physical", ""),
                checks.get("documentary_remarks", ""),
                checks.get("physical_remarks", ""),
            )
        if not _has_checks(coi):
            raise Invalid(_("Record the documentary and physical checks before signing."), code="checks")
        _require_complete(coi, late_reason)
        old = _replaced_one(person, coi)
        late = late_reason.strip() if rules.IssuedBeforeDeparture.late(coi) else ""
        sign(person, coi, Signature.Box.ISSUING_BODY, role, place=place, declaration=_(DECLARATION_18), reason=late)
        words = gettext_noop("Signed after the date of departure (%(day)s): %(reason)s")
        values = {"day": {"day": coi.departure_date.isoformat() if coi.departure_date else ""}, "reason": late}
        said = [(words, values)] if late else []
        change_status(person, coi, COIStatus.ISSUING_BODY_SIGNED, Step.SIGN_18, role=role, said=said)
        if old is not None:
            change_status_and_tell(
                person,
                old,
                COIStatus.REPLACED,
                Step.REPLACED,
                role=role,
                said=[(gettext_noop("Replaced by COI %(number)s."), {"number": coi.number})],
                told=ALL_PARTIES,
                title=gettext_noop("COI %(number)s has been replaced by COI %(new)s"),
                params={"new": coi.number},
            )
        tell(
            coi,
            ALL_PARTIES - {COIRole.CONTROL_BODY},
            gettext_noop("COI %(number)s: the issuing control body signed box 18"),
            actor=person.user,
        )
    return coi


def _has_checks(coi: Certificate) -> bool:
    """Whether the issuing body's checks are recorded (read once: box 18's rules read the same)."""
    try:
        return coi.checks is not None
    except ObjectDoesNotExist:
        return False


def _require_complete(coi: Certificate, late_reason: str) -> None:
    problems = form_problems(with_detail(coi), lambda fresh: rules.box_18_problems(fresh, late_reason=late_reason))
    rules.require(problems, _("The COI cannot be signed yet: see the boxes marked."))


def _replaced_one(person: Person, coi: Certificate) -> Certificate | None:
    """The COI this one replaces, locked, when it can still be replaced."""
    if coi.replaces_id is None:
        return None
    old = Certificate.objects.select_for_update().get(pk=coi.replaces_id)
    if old.status != COIStatus.ISSUING_BODY_SIGNED:
        raise Conflict(
            _("COI %(number)s, which this one replaces, is now “%(status)s”: it can no longer be replaced.")
            % {"number": old.number, "status": old.get_status_display()}
        )
    return old


# Box 20 ------------------------------------------------------------------------------------------------

DECISION_TITLES = {
    COIStatus.CONSIGNMENT_VERIFIED: gettext_noop("COI %(number)s: consignment verified (box 20)"),
    COIStatus.BASIS_FOR_EXTRACT: gettext_noop("COI %(number)s: basis for extract, released in batches (box 20)"),
    COIStatus.RELEASED_AS_CONVENTIONAL: gettext_noop("COI %(number)s: released as conventional product (box 20)"),
    COIStatus.NOT_RELEASED: gettext_noop("COI %(number)s: not released (box 20)"),
}


def decide(
    person: Person, pk: int, *, decision: str, place: str, reason: str = "", code: str | None = None
) -> Certificate:
    """Box 20, signed by the validating authority or the authority at the point of entry, with one decision.
    On an extract submitted for endorsement, this is its endorsement."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_20)
        require_two_factor(person, code)
        _check_decision(coi, decision, reason)
        replacement = rules.at_boxes(coi, rules.ReplacementProtects().check(coi))
        rules.require(replacement, _("Box 20 cannot be signed now."), status=409)
        uncertified = rules.at_boxes(coi, rules.box_20_problems(coi, decision))
        rules.require(uncertified, _("Box 20 cannot be signed: see the boxes marked."))
        label = COIStatus(decision).label
        sign(
            person,
            coi,
            Signature.Box.AUTHORITY,
            role,
            place=place,
            declaration=_(DECLARATION_20) % {"decision": label},
            decision=decision,
            reason=reason.strip(),
        )
        change_status(person, coi, decision, Step.SIGN_20, role=role, note=reason.strip())
        parties = ALL_PARTIES if decision == COIStatus.CONSIGNMENT_VERIFIED else ALL_PARTIES - {COIRole.FIRST_CONSIGNEE}
        tell(coi, parties, DECISION_TITLES[decision], reason.strip(), actor=person.user)  # type: ignore[index]  # decision checked against box 20's decisions above
    return coi


def _check_decision(coi: Certificate, decision: str, reason: str) -> None:
    choices = [d for d in COIStatus.box20_decisions() if not (coi.base_id and d == COIStatus.BASIS_FOR_EXTRACT)]
    if decision not in choices:
        raise Invalid(_("Choose one of the decisions of box 20."), code="decision")
    consignee = bool(coi.first_consignee_id) and not coi.release_in_batches
    if decision == COIStatus.CONSIGNMENT_VERIFIED and not consignee:
        raise Invalid(_("“Consignment verified” needs a first consignee in box 12."), code="decision")
    if decision == COIStatus.BASIS_FOR_EXTRACT and (coi.first_consignee_id or not coi.release_in_batches):
        raise Invalid(
            _("“Basis for extract” is for a COI released in batches: box 12 must be empty, the batches box ticked."),
            code="decision",
        )
    if decision in (COIStatus.RELEASED_AS_CONVENTIONAL, COIStatus.NOT_RELEASED) and not reason.strip():
        raise Invalid(_("Give the reason for this decision."), code="reason")


# Box 21 ------------------------------------------------------------------------------------------------


def sign_box_21(
    person: Person, pk: int, *, place: str, code: str | None = None, in_order: bool = True, remark: str = ""
) -> Certificate:
    """The first consignee's declaration on receipt: in order, or not in order with a remark saying what (the
    parties and the importer's control body are told). Refused (`BoxErrors`) unless the importer and the first
    consignee are certified that day (`rules.box_21_problems`)."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_21)
        require_two_factor(person, code)
        rules.require(
            rules.at_boxes(coi, rules.box_21_problems(coi, in_order=in_order, remark=remark)),
            _("Box 21 cannot be signed: see the boxes marked."),
        )
        remark = "" if in_order else remark.strip()
        declaration = _(DECLARATION_21) if in_order else _(DECLARATION_21_NOT_IN_ORDER) % {"remark": remark}
        sign(
            person,
            coi,
            Signature.Box.FIRST_CONSIGNEE,
            role,
            place=place,
            declaration=declaration,
            reason=remark,
            not_in_order=not in_order,
        )
        change_status(person, coi, COIStatus.FIRST_CONSIGNEE_SIGNED, Step.SIGN_21, role=role, note=remark)
        if in_order:
            tell(
                coi,
                ALL_PARTIES - {COIRole.FIRST_CONSIGNEE},
                gettext_noop("COI %(number)s: the first consignee signed box 21 on receipt"),
                actor=person.user,
            )
        else:
            tell(
                coi,
                ALL_PARTIES - {COIRole.FIRST_CONSIGNEE},
                gettext_noop("COI %(number)s: the first consignee declared on receipt that something is not in order"),
                remark,
                actor=person.user,
                importer_body=True,
            )
    return coi
