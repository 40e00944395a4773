"""The COI's statuses (guide 000, 3.2) and the roles a person can hold on one COI (guide 000, 3.3)."""

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

    @classmethod
    def submitted(cls) -> list[str]:
        """Every status after the draft: the parties named on the COI see it."""
        return [s for s in cls.values if s != cls.DRAFT]

    @classmethod
    def terminal(cls) -> list[str]:
        return [cls.RELEASED_AS_CONVENTIONAL, cls.NOT_RELEASED, cls.DELETED, cls.REPLACED]

    @classmethod
    def box20_decisions(cls) -> list[str]:
        return [cls.CONSIGNMENT_VERIFIED, cls.BASIS_FOR_EXTRACT, cls.RELEASED_AS_CONVENTIONAL, cls.NOT_RELEASED]


class COIRole(models.TextChoices):
    """A person's role on one COI, from the organisation they act for and the COI's boxes."""

    IMPORTER = "importer", _("Importer")
    EXPORTER = "exporter", _("Exporter")
    CONTROL_BODY = "control_body", _("Issuing control body")
    VALIDATING_AUTHORITY = "validating_authority", _("Validating competent authority")
    ENTRY_AUTHORITY = "entry_authority", _("Authority at the point of entry")
    RFL = "rfl", _("Responsible for the load")
    FIRST_CONSIGNEE = "first_consignee", _("First consignee")
