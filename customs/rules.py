"""The exchange's rules, one class per rule: each says why a document cannot be relied on, in a code a machine acts
on and a sentence a person reads (French and English).

Readings (the Annex of Implementing Reg. (EU) 2024/2145 as summarised in /work/shared/reference, point 2 of
Annex I; `customs/README.md` lists them all):
- release is allowed by the box-30 decisions "To be released as organic" and "To be released as in-conversion"
  (an extract: the same decisions of its box 12), and, on the guides' form of Reg. (EC) 1235/2008, by the
  endorsement of box 20 "Consignment verified". Every other status (Base for extract, Depleted, To be released
  as non-organic, Cannot be released, First consignee declaration signed, any status before box 30...) refuses.
- the declared importer's EORI is one of the EORI numbers of the importer of box 12 (an extract's box 5);
- a declared CN code (eight digits, or the ten of TARIC whose first eight are the CN code) is covered by a line
  whose code is the same, or a heading or subheading the declared code falls under.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from certificates.coi_forms import form_of
from certificates.models import Certificate
from certificates.statuses import COIStatus
from core.errors import DomainError
from core.typography import quantity


class Refused(DomainError):
    """A refusal by the exchange's rules: `code` for the machine, the message for the person; `item` is the
    declaration's item (its position in the request, from 0) it concerns, when one does."""

    status = 409

    def __init__(self, message: StrOrPromise, *, code: str, status: int | None = None, item: int | None = None) -> None:
        super().__init__(message, code=code, status=status)
        self.item = item


@dataclass(frozen=True)
class Refusal:
    code: str
    detail: str
    item: int | None = None


def allows_release(coi: Certificate) -> bool:
    """The statuses that let customs release goods under the document are its form's (`CoiForm.release_statuses`,
    see the module's readings)."""
    return coi.status in form_of(coi).release_statuses


def cn_matches(declared: str, line_code: str) -> bool:
    """08013200 or 0801320000 (TARIC) is covered by a line of 08013200, 080132 or 0801."""
    return declared[:8].startswith(line_code)


class DocumentExists:
    code = "document_not_found"

    @staticmethod
    def message(reference: str) -> StrOrPromise:
        return _("No COI or extract has the number %(reference)s.") % {"reference": reference}


class StatusAllowsRelease:
    """The status (box 30, an extract's box 12; box 20 on the guides' form) allows release for free circulation,
    and something remains to be released."""

    code = "status_not_releasable"
    depleted = "depleted"

    @classmethod
    def refusal(cls, coi: Certificate, customs_status: str) -> Refusal | None:
        if customs_status == COIStatus.DEPLETED and allows_release(coi):
            return Refusal(
                cls.depleted,
                str(_("Nothing remains to be released under %(number)s: it is depleted.") % {"number": coi.number}),
            )
        if not allows_release(coi):
            label = COIStatus(coi.status).label
            return Refusal(
                cls.code,
                str(
                    _("The status of %(number)s, %(status)s, does not allow release for free circulation.")
                    % {"number": coi.number, "status": label}
                ),
            )
        return None


class ImporterMatches:
    """The declaration's importer is the document's (box 12; an extract's box 5), by EORI."""

    code = "importer_mismatch"

    @classmethod
    def refusal(cls, coi: Certificate, eori: str, importer_eoris: Iterable[str]) -> Refusal | None:
        if eori in set(importer_eoris):
            return None
        return Refusal(
            cls.code,
            str(
                _("%(number)s was not issued for the importer with EORI %(eori)s.")
                % {"number": coi.number, "eori": eori}
            ),
        )


class CoversCnCode:
    code = "cn_code_not_covered"

    @classmethod
    def refusal(cls, coi: Certificate, cn_code: str, codes: Iterable[str], item: int) -> Refusal | None:
        if any(cn_matches(cn_code, code) for code in codes):
            return None
        return Refusal(
            cls.code,
            str(_("%(number)s covers no goods of CN code %(code)s.") % {"number": coi.number, "code": cn_code}),
            item,
        )


class WithinRemaining:
    """Never more than remains of the document's lines of that CN code (Art. 6(1)(b))."""

    code = "quantity_exceeds_remaining"

    @classmethod
    def refusal(cls, coi: Certificate, cn_code: str, wanted: Decimal, left: Decimal, item: int) -> Refusal | None:
        if wanted <= left:
            return None
        return Refusal(
            cls.code,
            str(
                _("%(number)s has %(left)s kg left of CN code %(code)s: %(wanted)s kg cannot be written off.")
                % {"number": coi.number, "left": quantity(left), "code": cn_code, "wanted": quantity(wanted)}
            ),
            item,
        )
