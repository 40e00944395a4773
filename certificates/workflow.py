"""The COI's life after submission (guide 000, 3.2 and 3.3): one function per step.

Each step, in one transaction with the COI's row locked: finds the COI the person may see (404 otherwise),
checks the table (`certificates/matrix.py`) for the person's roles on THIS COI in its current status (403
with the reason when the role may never do it, 409 when the status no longer allows it, e.g. someone
signed first), applies the change, writes a history entry and queues the notifications. No page and no
API endpoint assigns a status: they call these functions. Extracts, split and depletion are in
`certificates/workflow_extracts.py`.

Where the table is silent, this is how it is read (and why):
- Extracts have rows of their own (`coi-extract-matrix.csv`): drafted by the importer or the RFL of the
  base (boxes 9 and 12 and the quantities), submitted for endorsement (status Description completed),
  endorsed by the validating or the entry authority in box 20 (Consignment verified, Released as
  conventional or Not released: never Basis for extract), then signed in box 21 by their consignee. The
  issuing body signed the base; it does not sign each extract again.
- "Split the COI": the authority divides the base into extracts itself, each endorsed at once (it is
  the endorsing authority) and left for its consignee to sign. "Mark as depleted" goes with the right to
  split (the table names no one; the guide's help names the authority).
- Replacement: the new copy starts in Description completed (the control body's own status: it may edit
  every box and sign box 18), with a number of its own; when it is signed, the old one becomes Replaced,
  which requires the old one to be still in Issuing body declaration signed (409 otherwise). One pending
  replacement at a time.
- Released as conventional, Not released, Deleted, Replaced and OFIS irregularity allow nothing more:
  the COI stays readable to its parties. An OFIS irregularity is followed up in OFIS, outside.
- Every signature (boxes 18, 20, 21, endorsement, split) needs two-factor authentication switched on;
  pages and the API also ask for a current TOTP code.
- "Edit parts of box 13" is read as box 13 (the guide does not say which parts); box edits between steps
  go through `services.update_boxes`, which asks the table and writes a "Boxes changed" history entry.
- What remains of a lot counts every extract but deleted ones: a draft extract reserves its quantities.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from certificates import rules
from certificates.access import Person, get_visible, roles_on
from certificates.matrix import Action, actions_for
from certificates.models import Certificate
from certificates.statuses import COIRole, COIStatus
from certificates.workflow_history import ROLE_ORDER, person_name, record
from certificates.workflow_models import CheckResult, Checks, Signature, Step
from certificates.workflow_notify import ALL_PARTIES, tell
from core.errors import Conflict, DomainError, Invalid

DECLARATION_18 = gettext_noop(
    "This is to certify that this certificate has been issued on the basis of the checks required by "
    "Regulation (EU) 2018/848 and that the products designated above have been obtained in accordance "
    "with the rules laid down in that Regulation."
)
DECLARATION_20 = gettext_noop("Endorsement of the certificate of inspection by the competent authority: %(decision)s.")
DECLARATION_21 = gettext_noop(
    "The undersigned certifies, on receipt, that the packaging or containers of the consignment and the "
    "labelling of the products have been checked and correspond to this certificate."
)
DECLARATION_21_NOT_IN_ORDER = gettext_noop(
    "The undersigned declares, on receipt, that the packaging, the container or the certificate of this "
    "consignment are not in order: %(remark)s"
)


# Checks shared by every step ---------------------------------------------------------------------------


def acting_role(person: Person, coi: Certificate, action: Action) -> str:
    """The role in which the person may do `action` on this COI now; refused with the reason otherwise."""
    roles = roles_on(person, coi)
    for role in ROLE_ORDER:
        if role in roles and action in actions_for(coi, role):
            return str(role)
    elsewhere = [s for s in COIStatus.values if any(action in actions_for(_as(coi, s), role) for role in roles)]
    if elsewhere:
        raise Conflict(
            _("This COI is now “%(status)s”: “%(action)s” is no longer possible.%(last)s")
            % {"status": coi.get_status_display(), "action": action.label, "last": _last_step(coi)}
        )
    if not roles:
        raise DomainError(_("You have no role on this COI that allows “%(action)s”.") % {"action": action.label})
    names = ", ".join(str(COIRole(r).label) for r in sorted(roles))
    raise DomainError(
        _("As %(roles)s of this COI, you may not “%(action)s”.") % {"roles": names, "action": action.label}
    )


def _as(coi: Certificate, status: str) -> Any:
    return SimpleNamespace(status=status, base_id=coi.base_id)


def _last_step(coi: Certificate) -> str:
    entry = coi.history.order_by("-at", "-pk").first()
    if entry is None:
        return ""
    return " " + _("%(who)s: “%(step)s” on %(when)s; nothing of yours was changed.") % {
        "who": entry.actor_name,
        "step": entry.get_step_display(),
        "when": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
    }


def locked(person: Person, pk: int) -> Certificate:
    return get_visible(person, pk, for_update=True)


def require_two_factor(person: Person, code: str | None) -> None:
    """A signature needs two-factor authentication on; pages and the API also give a current code."""
    authenticator = Authenticator.objects.filter(user_id=getattr(person.user, "pk", None), type="totp").first()
    if authenticator is None:
        raise DomainError(
            _("Switch on two-factor authentication in your account before signing: a signature shows your name."),
            code="two_factor_required",
        )
    if code is not None and not TOTP(authenticator).validate_code(str(code).strip()):
        raise Invalid(_("The authentication code is wrong or already used: type the current one."), code="code")


def change_status(
    person: Person, coi: Certificate, new_status: str, step: str, *, role: str, note: str = ""
) -> Certificate:
    """Save the new status and write its history entry (the one place a status is assigned)."""
    old = coi.status
    coi.status = new_status
    coi.save(update_fields=["status", "updated_at"])
    record(person, coi, step, role=role, old_status=old, new_status=new_status, note=note)
    return coi


def sign(person: Person, coi: Certificate, box: str, role: str, *, place: str, declaration: str, **extra: Any) -> None:
    if not place.strip():
        raise Invalid(_("Give the place of signature."), code="place")
    if coi.signatures.filter(box=box).exists():
        raise Conflict(_("Box %(box)s of this COI has already been signed.") % {"box": box})
    Signature.objects.create(
        certificate=coi,
        box=box,
        signer=person.user,
        signer_name=person_name(person.user),
        organisation=_organisation(coi, role),
        place=place.strip()[:200],
        declaration=declaration,
        **extra,
    )


def _organisation(coi: Certificate, role: str) -> str:
    from certificates.workflow_history import organisation_of

    return organisation_of(coi, role)


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
    with transaction.atomic():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_18)
        return _store_checks(person, coi, role, documentary, physical, documentary_remarks, physical_remarks)


def _store_checks(
    person: Person, coi: Certificate, role: str, documentary: str, physical: str, doc_remarks: str, phys_remarks: str
) -> Checks:
    if documentary not in CheckResult.values or physical not in CheckResult.values:
        raise Invalid(_("Choose the result of each check: acceptable, not acceptable or not done."), code="checks")
    checks, _created = Checks.objects.update_or_create(
        certificate=coi,
        defaults={
            "documentary": documentary,
            "documentary_remarks": doc_remarks.strip()[:1000],
            "physical": physical,
            "physical_remarks": phys_remarks.strip()[:1000],
            "recorded_by": person.user,
            "recorded_at": timezone.now(),
        },
    )
    note = _("Documentary check: %(doc)s. Physical check: %(phys)s.") % {
        "doc": checks.get_documentary_display(),
        "phys": checks.get_physical_display(),
    }
    remarks = " ".join(r for r in (checks.documentary_remarks, checks.physical_remarks) if r)
    record(person, coi, Step.CHECKS, role=role, old_status=coi.status, note=f"{note} {remarks}".strip())
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
    with transaction.atomic():
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
        if not Checks.objects.filter(certificate=coi).exists():
            raise Invalid(_("Record the documentary and physical checks before signing."), code="checks")
        _require_complete(coi, late_reason)
        old = _replaced_one(person, coi)
        late = late_reason.strip() if rules.IssuedBeforeDeparture.late(coi) else ""
        sign(person, coi, Signature.Box.ISSUING_BODY, role, place=place, declaration=_(DECLARATION_18), reason=late)
        note = _("Signed after the date of departure (%(day)s): %(reason)s") % {
            "day": coi.departure_date.isoformat() if coi.departure_date else "",
            "reason": late,
        }
        change_status(person, coi, COIStatus.ISSUING_BODY_SIGNED, Step.SIGN_18, role=role, note=note if late else "")
        if old is not None:
            change_status(
                person,
                old,
                COIStatus.REPLACED,
                Step.REPLACED,
                role=role,
                note=_("Replaced by COI %(number)s.") % {"number": coi.number},
            )
            tell(
                old,
                ALL_PARTIES,
                gettext_noop("COI %(number)s has been replaced by COI %(new)s"),
                params={"new": coi.number},
                actor=person.user,
            )
        tell(
            coi,
            ALL_PARTIES - {COIRole.CONTROL_BODY},
            gettext_noop("COI %(number)s: the issuing control body signed box 18"),
            actor=person.user,
        )
    return coi


def _require_complete(coi: Certificate, late_reason: str) -> None:
    from certificates.services import detail_queryset

    problems = rules.box_18_problems(detail_queryset().get(pk=coi.pk), late_reason=late_reason)
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
    with transaction.atomic():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_20)
        require_two_factor(person, code)
        _check_decision(coi, decision, reason)
        rules.require(rules.ReplacementProtects().check(coi), _("Box 20 cannot be signed now."), status=409)
        rules.require(rules.box_20_problems(coi, decision), _("Box 20 cannot be signed: see the boxes marked."))
        label = COIStatus(decision).label
        sign(
            person,
            coi,
            Signature.Box.AUTHORITY,
            role,
            place=place,
            declaration=_(DECLARATION_20) % {"decision": label},
            decision=decision,
            reason=reason.strip()[:1000],
        )
        change_status(person, coi, decision, Step.SIGN_20, role=role, note=reason.strip())
        parties = ALL_PARTIES if decision == COIStatus.CONSIGNMENT_VERIFIED else ALL_PARTIES - {COIRole.FIRST_CONSIGNEE}
        tell(coi, parties, DECISION_TITLES[decision], reason.strip(), actor=person.user)  # type: ignore[index]
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
    with transaction.atomic():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_21)
        require_two_factor(person, code)
        rules.require(
            rules.box_21_problems(coi, in_order=in_order, remark=remark),
            _("Box 21 cannot be signed: see the boxes marked."),
        )
        remark = "" if in_order else remark.strip()[:1000]
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


# Replacement, OFIS irregularity and deletion live beside: one module per family of steps.
from certificates.workflow_after import copy_boxes, delete, flag_irregularity, replace  # noqa: E402, F401
