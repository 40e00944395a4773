"""What the workflow (guide 000, 3.2 and 3.3) keeps beside the COI's boxes: the issuing body's checks, the
signatures of boxes 18, 20 and 21, the history of every step, the quantities each extract takes from its
base's lots, the depletion of a base and OFIS irregularities.

Imported at the end of `certificates/models.py`, so they belong to the `certificates` app.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.coi_forms import Formed, form_of
from certificates.statuses import COIRole, COIStatus
from core import clock
from core.typography import colon, quantity


class CheckResult(models.TextChoices):
    ACCEPTABLE = "acceptable", _("Acceptable")
    NOT_ACCEPTABLE = "not_acceptable", _("Not acceptable")
    NOT_DONE = "not_done", _("Not done")


class Step(models.TextChoices):
    """What a history entry records."""

    SUBMIT = "submit", _("Submitted for certification")
    EDIT = "edit", _("Boxes changed")
    CHECKS = "checks", _("Checks recorded")
    SIGN_18 = "sign_18", _("Box 18 signed by the issuing control body")
    SIGN_20 = "sign_20", _("Box 20 signed by the authority")
    SIGN_21 = "sign_21", _("Box 21 signed by the first consignee")
    VERIFY_23 = "verify_23", _("Box 23: consignment verified before the special customs procedure")
    SIGN_25 = "sign_25", _("Box 25 signed: documentary check")
    SIGN_30 = "sign_30", _("Box 30 signed: decision")
    SIGN_31 = "sign_31", _("Box 31 signed by the first consignee")
    EXTRACT = "extract", _("Extract initiated")
    SUBMIT_EXTRACT = "submit_extract", _("Extract submitted for endorsement")
    SPLIT = "split", _("COI split into extracts")
    DEPLETE = "deplete", _("Marked as depleted")
    REPLACE = "replace", _("Replacement started")
    REPLACED = "replaced", _("Replaced")
    FLAG = "flag", _("OFIS irregularity flagged")
    DELETE = "delete", _("Deleted")
    DOCUMENT_ADDED = "document_added", _("Document attached")
    DOCUMENT_WITHDRAWN = "document_withdrawn", _("Document withdrawn")
    # The customs exchange (Implementing Reg. (EU) 2024/2145, Arts 6 to 8; the `customs` app writes them).
    CUSTOMS_WRITE_OFF = "customs_write_off", _("Written off by a customs declaration")
    CUSTOMS_RESTORATION = "customs_restoration", _("Restored after a customs declaration")
    CUSTOMS_MANUAL = "customs_manual", _("Quantity changed by hand")


class Checks(models.Model):
    """The issuing control body's documentary and physical checks, recorded before box 18 is signed."""

    certificate = models.OneToOneField("certificates.Certificate", on_delete=models.CASCADE, related_name="checks")
    documentary = models.CharField(_("documentary check"), max_length=20, choices=CheckResult.choices)
    documentary_remarks = models.CharField(_("remarks on the documentary check"), max_length=1000, blank=True)
    physical = models.CharField(_("physical check"), max_length=20, choices=CheckResult.choices)
    physical_remarks = models.CharField(_("remarks on the physical check"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("checks")
        verbose_name_plural = _("checks")

    def __str__(self) -> str:
        return f"{self.documentary} / {self.physical}"


class Signature(models.Model):
    """Box 18, 20 or 21: who signed, for which organisation, where and when, and what was declared."""

    class Box(models.TextChoices):
        ISSUING_BODY = "18", _("Box 18: declaration of the issuing control body")
        AUTHORITY = "20", _("Box 20: endorsement by the competent authority")
        FIRST_CONSIGNEE = "21", _("Box 21: declaration of the first consignee")
        # Reg. (EU) 2021/2306 (an extract of 2021/2307 signs its boxes 12 and 13 as "30" and "31").
        CUSTOMS_VERIFICATION = "23", _("Box 23: special customs procedures")  # its one title (form_2021_2306)
        DOCUMENTARY_CHECK = "25", _("Box 25: control by the competent authority")
        DECISION = "30", _("Box 30: decision by the competent authority")
        CONSIGNEE_2306 = "31", _("Box 31: declaration of the first consignee")

    certificate = models.ForeignKey("certificates.Certificate", on_delete=models.CASCADE, related_name="signatures")
    box = models.CharField(_("box"), max_length=2, choices=Box.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signer_name = models.CharField(_("name of the signatory"), max_length=300)
    organisation = models.CharField(_("organisation"), max_length=300)
    place = models.CharField(_("place"), max_length=200)
    signed_at = models.DateTimeField(_("date"), default=timezone.now)
    declaration = models.TextField(_("declaration"))
    decision = models.CharField(_("decision"), max_length=30, choices=COIStatus.choices, blank=True)
    # Box 20: the reason of the decision; box 18: why it was signed after the date of departure (box 17);
    # box 21: the first consignee's remark when the packaging, container or COI are not in order.
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    # Box 21: the first consignee declared on receipt that the packaging, container or COI are not in order.
    not_in_order = models.BooleanField(_("not in order"), default=False)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["certificate", "box"], name="coi_box_signed_once")]

    def __str__(self) -> str:
        return f"{self.box}: {self.signer_name}"

    def title_on(self, coi: Formed) -> str:
        """The signed box's title as that COI's form numbers it: an extract of 2021/2307 signs its boxes 12
        and 13 as "30" and "31", and calls them 12 and 13."""
        if is_extract_of_2021_2307(coi) and self.box in EXTRACT_BOX_TITLES:
            return numbered(str(EXTRACT_BOX_TITLES[self.box]), EXTRACT_NUMBERS[self.box], coi, self.box)
        return numbered(str(self.get_box_display()), self.box, coi, self.box)


def numbered(label: str, written: str, coi: Formed, signature: str) -> str:
    """A label that names a signed box by the number it is written with ("Box 25: ...", "Case 25 : ..."), with the
    number of the box that prints that signature on the COI's own form (`CoiForm.signed_number`) in its place."""
    number = form_of(coi).signed_number(coi, signature)
    return re.sub(rf"\b{re.escape(written)}\b", number, label, count=1)


def is_extract_of_2021_2307(coi: Formed) -> bool:
    """An extract with the model of its own (Annex to 2021/2307): an extract of a 2021/2306 COI."""
    return bool(getattr(coi, "base_id", None)) and form_of(coi).has_extract_model()


# What an extract of 2021/2307 calls the boxes it signs as "30" and "31", and the steps that sign them.
EXTRACT_BOX_TITLES: dict[str, Any] = {
    Signature.Box.DECISION: _("Box 12 of the extract: declaration of the competent authority"),
    Signature.Box.CONSIGNEE_2306: _("Box 13 of the extract: declaration of the consignee of the batch"),
}
# The signature each signing step records (its label names that box).
SIGNATURE_OF_STEP: dict[str, str] = {
    Step.SIGN_18: "18", Step.SIGN_20: "20", Step.SIGN_21: "21", Step.VERIFY_23: "23", Step.SIGN_25: "25",
    Step.SIGN_30: "30", Step.SIGN_31: "31",
}  # fmt: skip
# The number an extract's titles write its boxes 12 and 13 with, by the signature they print.
EXTRACT_NUMBERS: dict[str, str] = {Signature.Box.DECISION: "12", Signature.Box.CONSIGNEE_2306: "13"}
EXTRACT_STEP_TITLES: dict[str, Any] = {
    Step.SIGN_30: _("Box 12 of the extract signed: decision"),
    Step.SIGN_31: _("Box 13 of the extract signed by the consignee of the batch"),
}


# Sent with `entries=[HistoryEntry, ...]` once history entries are written together in one INSERT
# (`workflow.history.written_together`; a bulk INSERT sends no post_save).
history_written = Signal()


class HistoryEntry(models.Model):
    """One step of a COI's life: who, for which organisation, when, what, the boxes changed and a note."""

    certificate = models.ForeignKey("certificates.Certificate", on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(_("who"), max_length=300)
    organisation = models.CharField(_("for"), max_length=300, blank=True)
    role = models.CharField(_("as"), max_length=30, choices=COIRole.choices, blank=True)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    old_status = models.CharField(_("old status"), max_length=30, choices=COIStatus.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=30, choices=COIStatus.choices, blank=True)
    # [{"box": "12", "field": "first_consignee", "old": "...", "new": "..."}], values as people read them.
    changes = models.JSONField(_("boxes changed"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The note in words read in the reader's language (`reads`): [[msgid, {name: value}], ...], each msgid marked
    # for translation where the entry is written (gettext_noop); a value {"kg": "9000.5"} is a quantity (and
    # {"number": "1200"} a count) written as the reader writes numbers, {"day": "2026-12-07"} a day as the reader
    # writes it, {"msgid": "..."} words translated too (a choice's label: `msgid`), any other value as it is.
    # `note` then holds only what a person typed (a reason). Entries written before this field: their note alone.
    said = models.JSONField(_("note's words"), default=list, blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["certificate", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.step} {self.actor_name}"

    def reads(self) -> str:
        """The note in the active language: each of `said`'s messages translated, its values written as the
        reader writes them, joined by "; ", then the typed `note` after a colon ("MRN 26FR… item 1 : 500 kg de
        08013200 : Recount"), or after a space when the words end a sentence ("Remplace le COI …. Why"); an
        entry without `said` reads its `note` as stored."""
        words = read_said(self.said)
        if not words or not self.note:
            return words or str(self.note)
        return f"{words} {self.note}" if words.endswith(".") else f"{words}{colon()} {self.note}"  # after a sentence

    def title_on(self, coi: Formed) -> str:
        """The step's name as that COI's form numbers its boxes (an extract of 2021/2307: boxes 12 and 13)."""
        signature = SIGNATURE_OF_STEP.get(self.step)
        if is_extract_of_2021_2307(coi) and self.step in EXTRACT_STEP_TITLES:
            assert signature is not None
            return numbered(str(EXTRACT_STEP_TITLES[self.step]), EXTRACT_NUMBERS[signature], coi, signature)
        label = str(self.get_step_display())
        return numbered(label, signature, coi, signature) if signature else label


# A step's own words: (msgid marked with gettext_noop, its values), as `HistoryEntry.said` stores them (JSON gives
# them back as lists) and as a notice carries them (`step_notices.tell`).
Said = tuple[str, dict[str, Any]]


def read_said(said: Iterable[Said] | Iterable[list[Any]]) -> str:
    """A step's own words in the active language: each message translated and its values written as the reader
    writes them (`in_words`), joined by "; ", or by a space after a sentence ("Extrait du COI …. LOT-A : 10 /
    1 234,5 kg"); "" for none."""
    out = ""
    for message, values in said:
        words = in_words(message, values)
        out = f"{out}{' ' if out.endswith('.') else '; '}{words}" if out else words
    return out


def in_words(message: str, values: dict[str, Any]) -> str:
    """One message of a step's own words in the active language (see `HistoryEntry.said` for the values)."""

    def read(value: Any) -> str:
        if isinstance(value, dict) and ("kg" in value or "number" in value):
            return quantity(Decimal(str(value.get("kg", value.get("number")))))
        if isinstance(value, dict) and "msgid" in value:
            return gettext(str(value["msgid"]))
        if isinstance(value, dict) and "day" in value:
            return clock.day(datetime.date.fromisoformat(value["day"])) if value["day"] else ""
        return str(value)

    return gettext(message) % {name: read(value) for name, value in values.items()}


def msgid(label: Any) -> str:
    """A choice's label (a lazy translation) as its msgid, the words `said` translates when read."""
    with translation.override(None):
        return str(label)


class ExtractQuantity(models.Model):
    """How much of one lot of the base an extract's line takes: never more than what remains."""

    extract = models.ForeignKey("certificates.Certificate", on_delete=models.CASCADE, related_name="extract_quantities")
    base_line = models.ForeignKey("certificates.CommodityLine", on_delete=models.PROTECT, related_name="extracted")
    line = models.OneToOneField(
        "certificates.CommodityLine", on_delete=models.CASCADE, null=True, blank=True, related_name="taken_from"
    )
    packages = models.PositiveIntegerField(_("number of packages"), default=0)
    net_weight = models.DecimalField(_("net weight"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("extracted quantity")
        verbose_name_plural = _("extracted quantities")

    def __str__(self) -> str:
        return f"{self.packages} / {self.net_weight}"


class Depletion(models.Model):
    """A base COI marked as depleted by the authority: no extract after that."""

    certificate = models.OneToOneField("certificates.Certificate", on_delete=models.CASCADE, related_name="depletion")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("depletion")
        verbose_name_plural = _("depletions")

    def __str__(self) -> str:
        return f"{self.certificate_id} depleted"


class Irregularity(models.Model):
    """An OFIS irregularity flagged on a COI, with its description."""

    certificate = models.ForeignKey("certificates.Certificate", on_delete=models.CASCADE, related_name="irregularities")
    description = models.TextField(_("description"))
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    role = models.CharField(_("as"), max_length=30, choices=COIRole.choices, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    status_before = models.CharField(_("status before"), max_length=30, choices=COIStatus.choices)

    class Meta:
        verbose_name = _("OFIS irregularity")
        verbose_name_plural = _("OFIS irregularities")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.description[:60]
