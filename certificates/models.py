"""The Certificate of Inspection (COI), box by box (guide 000, 3.1), and what hangs off it.

Reference lists (packaging, units, transport, document types) are stored as their codes from
`reference/lists.py`; their values are checked by `certificates/rules/` and the services, not by the
database, so that a new entry in a list needs no migration here.

Boxes 18, 20 and 21 (signatures), the history of changes and the checks of the issuing body belong to
the workflow (issue 5) and get their own models beside these.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.coi_forms import FormCode
from certificates.coi_forms.choices import Box29Result, EntryKind, OrganicStatus, ProductCategory, Satisfactory
from certificates.statuses import COIRole, COIStatus
from core.text import LoadedValues
from core.typography import quantity
from directory.models import Authority, ControlBodyCode, Operator, PointOfEntry
from reference.lists import DocumentType
from reference.models import CnCode

WEIGHT: dict[str, Any] = {"max_digits": 14, "decimal_places": 3, "null": True, "blank": True}


# The COI's own row and the rows it points to, read in its one query (a step's locked read takes the same).
DETAIL_RELATED = (
    "control_body_code__control_body",
    "exporter",
    "importer",
    "first_consignee",
    "rfl",
    "validating_authority",
    "point_of_entry__authority",
    "creator",
    "creator_operator",
    "creator_control_body_code",
)


class Certificate(LoadedValues, models.Model):
    # Box 3: given on submission, unique, never reused (see NumberSequence).
    number = models.CharField(_("COI number"), max_length=30, unique=True, null=True, blank=True)
    national_reference = models.CharField(_("national reference number"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=COIStatus.choices, default=COIStatus.DRAFT)
    # Which model the COI follows (certificates/coi_forms/): kept for life; a new COI takes COI_FORM_DEFAULT.
    form = models.CharField(_("form"), max_length=10, choices=FormCode.choices, default=FormCode.R1235_2008)

    # Box 1: the issuing control body (its code for the country of export), box 2 derived from it and the products.
    control_body_code = models.ForeignKey(
        ControlBodyCode, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates",
        verbose_name=_("issuing control body"),
    )  # fmt: skip
    procedure = models.CharField(_("procedure"), max_length=40, blank=True)
    exporter = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="exported_certificates",
        verbose_name=_("exporter"),
    )  # fmt: skip
    # Box 7: ISO codes separated by spaces ("MA TN"); several only when there are several lots or producers.
    origin_countries = models.CharField(_("countries of origin"), max_length=120, blank=True)
    export_country = models.CharField(_("country of export"), max_length=2, blank=True)
    # Box 9.
    release_member_state = models.CharField(_("member state of release"), max_length=2, blank=True)
    validating_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="validated_certificates",
        verbose_name=_("validating competent authority"),
    )  # fmt: skip
    point_of_entry = models.ForeignKey(
        PointOfEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates",
        verbose_name=_("point of entry"),
    )  # fmt: skip
    # Box 10: derived from box 12, stored so the list can filter on it.
    destination_country = models.CharField(_("country of destination"), max_length=2, blank=True)
    importer = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="imported_certificates",
        verbose_name=_("importer"),
    )  # fmt: skip
    rfl = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="rfl_certificates",
        verbose_name=_("responsible for the load"),
    )  # fmt: skip
    first_consignee = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="consigned_certificates",
        verbose_name=_("first consignee"),
    )  # fmt: skip
    release_in_batches = models.BooleanField(_("for release for free circulation in batches"), default=False)
    # Box 16.
    gross_weight = models.DecimalField(_("total gross weight"), **WEIGHT)
    gross_weight_unit = models.CharField(_("unit"), max_length=8, default="kg")
    # Box 17.
    transport_mode = models.CharField(_("means of transport"), max_length=12, blank=True)
    transport_identification = models.CharField(
        _("identification of the means of transport"), max_length=200, blank=True
    )
    # Box 17 also names the transport document and the date the goods leave (expected, then actual): the COI
    # is issued before the goods leave (Reg. (EU) 2018/848, art. 45(1)(b)(iii)); see rules.IssuedBeforeDeparture.
    transport_document = models.CharField(_("transport document reference"), max_length=100, blank=True)
    departure_date = models.DateField(_("date of departure"), null=True, blank=True)
    # Reg. (EU) 2021/2306 only (certificates/coi_forms/form_2021_2306.py): box 6,
    # box 10's kind, and the Union part, boxes 20-29 (boxes 19 = rfl, 24 = first_consignee, 30-31 = signatures).
    traders = models.ManyToManyField(
        Operator, blank=True, related_name="traded_certificates",
        verbose_name=_("operators who buy or sell without storing or handling"),
    )  # fmt: skip
    point_of_entry_kind = models.CharField(
        _("border control post or point of release"), max_length=15, choices=EntryKind.choices, blank=True
    )
    prior_notification_at = models.DateTimeField(_("estimated arrival (prior notification)"), null=True, blank=True)
    # Box 20 (2021/2307 Art. 3): when the notice was first given and the arrival it then announced (lateness is
    # judged on them, never cured by a later change), and when it was last changed.
    prior_notified_at = models.DateTimeField(_("prior notification first given"), null=True, blank=True)
    prior_notification_first_arrival = models.DateTimeField(
        _("estimated arrival first notified"), null=True, blank=True
    )
    prior_notification_changed_at = models.DateTimeField(_("prior notification last changed"), null=True, blank=True)
    transfer_requested = models.BooleanField(_("transfer to a control point requested"), default=False)
    requested_control_point = models.ForeignKey(
        PointOfEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("requested control point"),
    )  # fmt: skip
    customs_warehousing = models.BooleanField(_("customs warehousing"), default=False)
    inward_processing = models.BooleanField(_("inward processing"), default=False)
    customs_operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("operator responsible for the customs procedure"),
    )  # fmt: skip
    customs_operator_control_body = models.ForeignKey(
        ControlBodyCode, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("control body of that operator"),
    )  # fmt: skip
    customs_information = models.CharField(_("additional information"), max_length=1000, blank=True)
    customs_declaration_reference = models.CharField(
        _("customs declaration reference number"), max_length=100, blank=True
    )
    documentary_check = models.CharField(
        _("documentary checks"), max_length=20, choices=Satisfactory.choices, blank=True
    )
    selected_for_checks = models.BooleanField(_("selected for identity and physical checks"), null=True, blank=True)
    transfer_to_control_point = models.BooleanField(_("transfer to a control point"), null=True, blank=True)
    control_point = models.ForeignKey(
        PointOfEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("control point"),
    )  # fmt: skip
    transfer_transport_mode = models.CharField(_("mode of transport to the control point"), max_length=12, blank=True)
    transfer_transport_identification = models.CharField(
        _("identification of the means of transport to the control point"), max_length=200, blank=True
    )
    transfer_transport_document = models.CharField(
        _("transport document to the control point"), max_length=200, blank=True
    )
    identity_check = models.CharField(_("identity checks"), max_length=20, choices=Box29Result.choices, blank=True)
    physical_check = models.CharField(_("physical checks"), max_length=20, choices=Box29Result.choices, blank=True)
    laboratory_test = models.BooleanField(_("laboratory test"), null=True, blank=True)
    laboratory_result = models.CharField(_("test result"), max_length=20, choices=Box29Result.choices, blank=True)
    # Box 29, per lot (issue 22): the lot numbers of box 13 that failed a check of box 29, when only some did.
    lots_not_satisfactory = models.CharField(_("lots not satisfactory"), max_length=1000, blank=True)
    consignee_in_accordance = models.BooleanField(
        _("in accordance with point 6 of Annex III to Regulation (EU) 2018/848"), null=True, blank=True
    )

    # Who created it, and for which organisation: a draft is visible to that organisation only.
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="created_certificates"
    )
    creator_role = models.CharField(_("created as"), max_length=20, choices=COIRole.choices)
    creator_operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="created_certificates"
    )
    creator_control_body_code = models.ForeignKey(
        ControlBodyCode, on_delete=models.PROTECT, null=True, blank=True, related_name="created_certificates"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    # Relatives for the workflow (issue 5): an extract points to its base; a replacement to what it replaces.
    base = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="extracts", verbose_name=_("base COI")
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name=_("replaces")
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )

    class Meta:
        verbose_name = _("certificate of inspection")
        verbose_name_plural = _("certificates of inspection")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["-updated_at"]),
            models.Index(fields=["-created_at"]),
            models.Index(fields=["-submitted_at"]),
            models.Index(fields=["export_country"]),
            models.Index(fields=["destination_country"]),
            models.Index(fields=["release_member_state"]),
        ]

    def __str__(self) -> str:
        return self.number or _("Draft COI %(id)s") % {"id": self.pk}

    @property
    def origins(self) -> list[str]:
        return self.origin_countries.split()

    @property
    def is_draft(self) -> bool:
        return self.status == COIStatus.DRAFT

    def lines(self) -> list[CommodityLine]:
        """Every line of box 13 (uses prefetched commodities and lines when present)."""
        return [line for commodity in self.commodities.all() for line in commodity.lines.all()]

    def producers(self) -> list[tuple[Operator, ControlBodyCode | None]]:
        """Boxes 5 and 6: each producer / processor of box 13 once, with its control body."""
        seen: dict[int, tuple[Operator, ControlBodyCode | None]] = {}
        for line in self.lines():
            if line.producer_id and line.producer_id not in seen:
                seen[line.producer_id] = (line.producer, line.producer_control_body_code)  # type: ignore[assignment]  # producer_id checked: the producer is set
        return list(seen.values())


class Commodity(models.Model):
    """Box 13: one CN code of the consignment; its lines say what, how much, and from whom."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="commodities")
    cn_code = models.ForeignKey(CnCode, on_delete=models.PROTECT, related_name="commodities", verbose_name=_("CN code"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.cn_code)


class CommodityLine(models.Model):
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    lot_number = models.CharField(_("lot number"), max_length=100, blank=True)
    packages = models.PositiveIntegerField(_("number of packages"), null=True, blank=True)
    packaging_type = models.CharField(_("type of packaging"), max_length=8, blank=True)
    net_weight = models.DecimalField(_("net weight"), **WEIGHT)
    net_weight_unit = models.CharField(_("unit"), max_length=8, default="kg")
    producer = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="produced_lines",
        verbose_name=_("producer / processor"),
    )  # fmt: skip
    producer_control_body_code = models.ForeignKey(
        ControlBodyCode, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("control body of the producer / processor"),
    )  # fmt: skip
    # Reg. (EU) 2021/2306, box 13 (the CN code is the commodity's).
    organic_status = models.CharField(
        _("organic or in-conversion"), max_length=15, choices=OrganicStatus.choices, blank=True
    )
    category = models.CharField(_("category"), max_length=2, choices=ProductCategory.choices, blank=True)

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.trade_name} {self.lot_number}".strip()

    @property
    def net_weight_display(self) -> str:
        """'9 071,8 kg' in French, '9,071.8 kg' in English (the active language)."""
        return f"{quantity(self.net_weight)}\u00a0{self.net_weight_unit}" if self.net_weight is not None else ""


class Container(models.Model):
    """Boxes 14 and 15: a container (ISO 6346 number) and its seal numbers."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="containers")
    position = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(_("container number"), max_length=20)
    seals = models.CharField(_("seal numbers"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.number


def document_path(instance: Document, filename: str) -> str:
    """A random name: the original one is kept in the row, never in the storage path."""
    ext = os.path.splitext(filename)[1].lower()[:8]
    return f"coi-documents/{uuid.uuid4().hex}{ext}"


class Document(models.Model):
    """An accompanying document: its type, that type's mandatory fields, and the uploaded file."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(_("type"), max_length=30)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    date = models.DateField(_("date of issue"), null=True, blank=True)
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # After submission a document is never deleted: it is withdrawn, kept and still downloadable by the parties.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("accompanying document")
        verbose_name_plural = _("accompanying documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.type_label} {self.reference}".strip()

    @property
    def type_label(self) -> str:
        return str(dict(DocumentType.choices).get(self.type, self.type))


class NumberSequence(models.Model):
    """The last COI number given per (country of export, year); locked with select_for_update to give the next."""

    country = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year"], name="coi_sequence_once")]

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {self.last}"


# The workflow's records belong to this app; importers may take them from here (explicit re-exports).
from certificates.workflow_records import (  # noqa: E402, I001
    Checks as Checks,
    Depletion as Depletion,
    ExtractQuantity as ExtractQuantity,
    HistoryEntry as HistoryEntry,
    Irregularity as Irregularity,
    Signature as Signature,
)
