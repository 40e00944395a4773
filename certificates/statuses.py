"""The COI's statuses (guide 000, 3.2; and the box-30 decisions of Reg. (EU) 2021/2306 as customs sees them,
Annex I of Implementing Reg. (EU) 2024/2145) and the roles a person can hold on one COI (guide 000, 3.3).

Which statuses a COI can reach depends on its form (`certificates/coi_forms/`): the guides' form of
Reg. (EC) 1235/2008 ends in Consignment verified, Released as conventional product or Not released; the form
of Reg. (EU) 2021/2306 ends in one of the five box-30 decisions. Both share Draft, Description completed,
Issuing body declaration signed, Base for extract, First consignee declaration signed, OFIS irregularity and
Replaced.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class COIStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DESCRIPTION_COMPLETED = "description_completed", _("Description completed")
    ISSUING_BODY_SIGNED = "issuing_body_signed", _("Issuing body declaration signed")
    CONSIGNMENT_VERIFIED = "consignment_verified", _("Consignment verified")
    FIRST_CONSIGNEE_SIGNED = "first_consignee_signed", _("First consignee declaration signed")
    BASIS_FOR_EXTRACT = "basis_for_extract", _("Basis for extract")
    RELEASED_AS_CONVENTIONAL = "released_as_conventional", _("Released as conventional product")
    NOT_RELEASED = "not_released", _("Not released")
    OFIS_IRREGULARITY = "ofis_irregularity", _("OFIS irregularity")
    DELETED = "deleted", _("Deleted")
    REPLACED = "replaced", _("Replaced")
    # Reg. (EU) 2021/2306, box 30 (and the extract's box 12 of 2021/2307), and TRACES's "Depleted".
    RELEASED_ORGANIC = "released_organic", _("To be released as organic")
    RELEASED_IN_CONVERSION = "released_in_conversion", _("To be released as in-conversion")
    RELEASED_NON_ORGANIC = "released_non_organic", _("To be released as non-organic")
    CANNOT_BE_RELEASED = "cannot_be_released", _("Cannot be released for free circulation")
    DEPLETED = "depleted", _("Depleted")

    @classmethod
    def submitted(cls) -> list[str]:
        """Every status after the draft: the parties named on the COI see it."""
        return [s for s in cls.values if s != cls.DRAFT]

    @classmethod
    def terminal(cls) -> list[str]:
        return [
            cls.RELEASED_AS_CONVENTIONAL,
            cls.NOT_RELEASED,
            cls.DELETED,
            cls.REPLACED,
            cls.RELEASED_NON_ORGANIC,
            cls.CANNOT_BE_RELEASED,
            cls.DEPLETED,
        ]

    @classmethod
    def box20_decisions(cls) -> list[str]:
        return [cls.CONSIGNMENT_VERIFIED, cls.BASIS_FOR_EXTRACT, cls.RELEASED_AS_CONVENTIONAL, cls.NOT_RELEASED]

    @classmethod
    def box30_decisions(cls) -> list[str]:
        """Reg. (EU) 2021/2306, Annex, box 30: the five decisions ("part can be released" is Base for extract)."""
        return [
            cls.RELEASED_ORGANIC,
            cls.RELEASED_IN_CONVERSION,
            cls.RELEASED_NON_ORGANIC,
            cls.CANNOT_BE_RELEASED,
            cls.BASIS_FOR_EXTRACT,
        ]

    @classmethod
    def releases(cls) -> list[str]:
        """Box-30 decisions that release the consignment for free circulation: box 31 may follow."""
        return [cls.RELEASED_ORGANIC, cls.RELEASED_IN_CONVERSION, cls.RELEASED_NON_ORGANIC]


class COIRole(models.TextChoices):
    """A person's role on one COI, from the organisation they act for and the COI's boxes."""

    IMPORTER = "importer", _("Importer")
    EXPORTER = "exporter", _("Exporter")
    CONTROL_BODY = "control_body", _("Issuing control body")
    VALIDATING_AUTHORITY = "validating_authority", _("Validating competent authority")
    ENTRY_AUTHORITY = "entry_authority", _("Authority at the point of entry")
    RFL = "rfl", _("Responsible for the load")
    FIRST_CONSIGNEE = "first_consignee", _("First consignee")
