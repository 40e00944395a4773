"""Signing a box (18, 20 or 21): who, for which organisation, where, and the declaration the box prints."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from certificates.access import Person
from certificates.models import Certificate
from certificates.queries import keep_signature, signatures_of
from certificates.workflow.history import organisation_of, person_name
from certificates.workflow_records import Signature
from core.errors import Conflict, Invalid

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
# Box 21 when the first consignee finds the packaging, the container or the COI not in order (issue 11, rule 10).
DECLARATION_21_NOT_IN_ORDER = gettext_noop(
    "The undersigned declares, on receipt, that the packaging, the container or the certificate of this "
    "consignment are not in order: %(remark)s"
)


def sign(person: Person, coi: Certificate, box: str, role: str, *, place: str, declaration: str, **extra: Any) -> None:
    """Store the signature of `box`: refused without a place (422) or when the box is already signed (409)."""
    if not place.strip():
        raise Invalid(_("Give the place of signature."), code="place")
    if any(s.box == box for s in signatures_of(coi)):  # read once with the step's rules
        raise Conflict(_("Box %(box)s of this COI has already been signed.") % {"box": box})
    signature = Signature.objects.create(
        certificate=coi,
        box=box,
        signer=person.user,
        signer_name=person_name(person.user),
        organisation=organisation_of(coi, role),
        place=place.strip(),
        declaration=declaration,
        **extra,
    )
    keep_signature(coi, signature)
