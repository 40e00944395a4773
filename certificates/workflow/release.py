"""The steps of the Union part of the 2021/2306 COI (boxes 23, 25, 30, 31) and of the 2021/2307 extract
(its box 12 is signed as box 30, its box 13 as box 31).

Same shape as `certificates/workflow/certification.py`: one transaction, the COI's row locked, the COI's table asked for
the person's role (`acting_role`: 403 / 409 with the reason), the rules of `rules/form_2021_2306.py` (422 at their
box), a signature when the box is signed, the status changed in `workflow.status.change_status` (the one place),
a history entry, the parties told. Boxes 19-22, 24, 26-29 are filled by `services.update_boxes`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from certificates.access import Person
from certificates.coi_forms.choices import Satisfactory
from certificates.fields import is_true
from certificates.matrix import Action
from certificates.models import Certificate
from certificates.rules import form_2021_2306 as rules
from certificates.rules.problems import Given, at_boxes, check_all, refuse, require
from certificates.statuses import COIRole, COIStatus
from certificates.workflow.guards import acting_role, locked, require_two_factor
from certificates.workflow.history import record, written_together
from certificates.workflow.signatures import sign
from certificates.workflow.status import change_status
from certificates.workflow.step_notices import ALL_PARTIES, tell
from certificates.workflow_records import Said, Signature, Step, in_words, msgid
from core.errors import Invalid

DECLARATION_23 = gettext_noop("Verification of the consignment prior to the special customs procedure(s).")
DECLARATION_25 = gettext_noop(
    "Documentary checks: %(documentary)s. Selected for identity and physical checks: %(selected)s."
)
DECLARATION_30 = gettext_noop("Decision by the relevant competent authority: %(decision)s.")
DECLARATION_31 = gettext_noop(
    "On reception, after release for free circulation and after the checks of point 6 of Annex III to "
    "Regulation (EU) 2018/848, the packaging or container and, where relevant, the certificate of inspection are "
    "%(accordance)s with that point."
)
IN_ACCORDANCE = gettext_noop("in accordance")
NOT_IN_ACCORDANCE = gettext_noop("not in accordance")


def _on_the_day(coi: Certificate, step: str, given: Given | None = None) -> None:
    """The rules every step of the Union part runs on its day (`rules.ON_THE_DAY`): the parties certified, no
    replacement open, box 20 before box 25. Refused at their boxes (422), nothing signed."""
    problems = at_boxes(coi, check_all(coi, rules.ON_THE_DAY[step], given or Given()))
    require(problems, _("This step cannot be signed today: see the boxes marked."))


def verify_box_23(person: Person, pk: int, *, place: str, code: str | None = None) -> Certificate:
    """Box 23: the authority verifies the consignment before the special customs procedure (Art. 7 of 2021/2306)."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.VERIFY_23)
        require_two_factor(person, code)
        refuse(coi, rules.VERIFY_23)
        _on_the_day(coi, "23")
        sign(person, coi, Signature.Box.CUSTOMS_VERIFICATION, role, place=place, declaration=_(DECLARATION_23))
        record(person, coi, Step.VERIFY_23, role=role, old_status=coi.status)
        tell(
            coi,
            {COIRole.IMPORTER, COIRole.RFL},
            gettext_noop("COI %(number)s: verified before the special customs procedure (box 23)"),
            actor=person.user,
        )
    return coi


def sign_box_25(
    person: Person, pk: int, *, documentary: str, selected: Any, place: str, code: str | None = None
) -> Certificate:
    """Box 25: documentary checks (Satisfactory / Not satisfactory) and selection for identity and physical checks
    (Yes / No). The COI's issued part must be complete (Art. 5(3)); a failed check leaves only box 30."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_25)
        require_two_factor(person, code)
        if documentary not in Satisfactory.values:
            raise Invalid(_("Choose the result of the documentary checks."), code="box_25")
        if selected in (None, ""):
            raise Invalid(_("Say whether the consignment is selected for identity and physical checks."), code="box_25")
        selected_flag = is_true(selected)
        _on_the_day(coi, "25")
        problems = at_boxes(coi, check_all(coi, rules.SIGN_25))
        require(problems, _("The COI cannot be checked yet: see the boxes marked."))
        coi.documentary_check = documentary
        coi.selected_for_checks = selected_flag and documentary == Satisfactory.SATISFACTORY
        not_done = rules.ChecksNotDone.at_box_25(coi)  # box 29: what is not done by now reads "not done"
        coi.save(update_fields=["documentary_check", "selected_for_checks", *not_done, "updated_at"])
        values = {
            "documentary": {"msgid": msgid(Satisfactory(coi.documentary_check).label)},
            "selected": {"msgid": gettext_noop("yes") if coi.selected_for_checks else gettext_noop("no")},
        }
        declaration = in_words(DECLARATION_25, values)  # signed in the signer's language, as they read it
        sign(person, coi, Signature.Box.DOCUMENTARY_CHECK, role, place=place, declaration=declaration)
        said: list[Said] = [(DECLARATION_25, values)]  # the history and the notices: in each reader's language
        record(person, coi, Step.SIGN_25, role=role, old_status=coi.status, said=said)
        tell(
            coi,
            {COIRole.IMPORTER, COIRole.RFL, COIRole.CONTROL_BODY},
            gettext_noop("COI %(number)s: documentary check recorded (box 25)"),
            actor=person.user,
            said=said,
        )
    return coi


DECISION_TITLES = {
    COIStatus.RELEASED_ORGANIC: gettext_noop("COI %(number)s: to be released as organic (box 30)"),
    COIStatus.RELEASED_IN_CONVERSION: gettext_noop("COI %(number)s: to be released as in-conversion (box 30)"),
    COIStatus.RELEASED_NON_ORGANIC: gettext_noop("COI %(number)s: to be released as non-organic (box 30)"),
    COIStatus.CANNOT_BE_RELEASED: gettext_noop("COI %(number)s: cannot be released for free circulation (box 30)"),
    COIStatus.BASIS_FOR_EXTRACT: gettext_noop("COI %(number)s: part of the consignment can be released (box 30)"),
}
# An extract of 2021/2307 decides in its box 12 (recorded as box 30) and is declared in its box 13.
EXTRACT_DECISION_TITLES = {
    COIStatus.RELEASED_ORGANIC: gettext_noop("Extract %(number)s: to be released as organic (box 12)"),
    COIStatus.RELEASED_IN_CONVERSION: gettext_noop("Extract %(number)s: to be released as in-conversion (box 12)"),
    COIStatus.RELEASED_NON_ORGANIC: gettext_noop("Extract %(number)s: to be released as non-organic (box 12)"),
    COIStatus.CANNOT_BE_RELEASED: gettext_noop("Extract %(number)s: the batch cannot be released (box 12)"),
}
DECLARATION_12 = gettext_noop(
    "The extract covers the batch described, obtained by splitting the consignment of the certificate of "
    "inspection of box 3. Decision: %(decision)s."
)


def decide_box_30(
    person: Person, pk: int, *, decision: str, place: str, reason: str = "", code: str | None = None
) -> Certificate:
    """Box 30 (or an extract's box 12): one of the five decisions (four for an extract), signed; the decision is
    the status customs sees. "Part of the consignment can be released" makes the COI a Base for extract."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_30)
        require_two_factor(person, code)
        refuse(coi, rules.DECIDE_30, Given(decision=decision, reason=reason))
        _on_the_day(coi, "30", Given(decision=decision, reason=reason))
        label = COIStatus(decision).label
        extract = bool(coi.base_id)
        sign(
            person, coi, Signature.Box.DECISION, role, place=place,
            declaration=_(DECLARATION_12 if extract else DECLARATION_30) % {"decision": label}, decision=decision,
            reason=reason.strip(),
        )  # fmt: skip
        change_status(person, coi, decision, Step.SIGN_30, role=role, note=reason.strip())
        parties = ALL_PARTIES if decision in COIStatus.releases() else ALL_PARTIES - {COIRole.FIRST_CONSIGNEE}
        titles = EXTRACT_DECISION_TITLES if extract else DECISION_TITLES
        tell(coi, parties, titles[decision], reason.strip(), actor=person.user)  # type: ignore[index]
    return coi


def sign_box_31(
    person: Person, pk: int, *, in_accordance: Any, remark: str = "", place: str, code: str | None = None
) -> Certificate:
    """Box 31 (an extract's box 13): the first consignee (the batch's consignee) declares, at reception, the
    packaging or container in accordance or not with point 6 of Annex III to 2018/848."""
    with transaction.atomic(), written_together():
        coi = locked(person, pk)
        role = acting_role(person, coi, Action.SIGN_31)
        require_two_factor(person, code)
        refuse(coi, rules.SIGN_31_STATUS)
        if in_accordance in (None, ""):
            raise Invalid(_("Say whether the consignment is in accordance or not."), code="box_31")
        accordance = is_true(in_accordance)
        refuse(coi, rules.SIGN_31, Given(in_accordance=accordance, remark=remark))
        _on_the_day(coi, "31")
        coi.consignee_in_accordance = accordance
        coi.save(update_fields=["consignee_in_accordance", "updated_at"])
        words = _(IN_ACCORDANCE) if accordance else _(NOT_IN_ACCORDANCE)
        sign(
            person, coi, Signature.Box.CONSIGNEE_2306, role, place=place,
            declaration=_(DECLARATION_31) % {"accordance": words}, reason=remark.strip(),
        )  # fmt: skip
        change_status(person, coi, COIStatus.FIRST_CONSIGNEE_SIGNED, Step.SIGN_31, role=role, note=remark.strip())
        title = _DECLARED[(bool(coi.base_id), accordance)]
        tell(coi, ALL_PARTIES - {COIRole.FIRST_CONSIGNEE}, title, remark.strip(), actor=person.user)
    return coi


_DECLARED = {
    (False, True): gettext_noop("COI %(number)s: the first consignee declared the consignment in accordance (box 31)"),
    (False, False): gettext_noop(
        "COI %(number)s: the first consignee declared the consignment NOT in accordance (box 31)"
    ),
    (True, True): gettext_noop("Extract %(number)s: the consignee declared the batch in accordance (box 13)"),
    (True, False): gettext_noop("Extract %(number)s: the consignee declared the batch NOT in accordance (box 13)"),
}
