"""What the customs exchange of Implementing Reg. (EU) 2024/2145 keeps beside the COI.

- `CustomsOffice`: a customs office (name and Member State are its `Authority`'s, kind "customs"; its staff are
  validated as every authority's, `directory/matrix.py`), with its office code.
- `CustomsClient`: a national single window (or a CERTEX-like hub) calling the API for an office: a token for a
  system, not a person; only its SHA-256 is stored.
- `DeclarationItem`: one item of a customs declaration (MRN, item number) quoting one document (a COI or an
  extract) and what it wrote off (Art. 6); restored once, by an amendment or an invalidation (Art. 7) or because
  the goods were not released (Art. 6(4)).
- `Movement`: one change of what remains of one line (lot) of a document, in kilograms: a write-off, its
  restoration, or a manual change with its reason (Art. 8). What remains of a line is its net weight less its
  write-offs plus its restorations (`customs.quantities.remaining`).
- `CustomsRecord`: additional information customs enters for a document (Art. 9), amended or deleted later.

The answer given to each request id (a retry after a lost answer gets the same answer and never writes off twice)
is kept by the API's one mechanism of kept answers, `api.models.IdempotentRequest` (`customs/exchange.py`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, CommodityLine
from core.tokens import SecretToken
from directory.models import Authority
from reference.countries import is_member_state

# The Customs Office Reference Number of the EU customs office list (COL): the Member State's two letters and
# six letters or digits, e.g. FR000690 (Le Havre port).
office_code_validator = RegexValidator(
    r"^[A-Z]{2}[A-Z0-9]{6}$", _("A customs office code has two letters and six letters or digits, e.g. FR000690.")
)
KG: dict[str, Any] = {"max_digits": 14, "decimal_places": 3}


class CustomsOffice(models.Model):
    authority = models.OneToOneField(
        Authority, on_delete=models.CASCADE, related_name="customs_office", verbose_name=_("authority")
    )
    code = models.CharField(_("customs office code"), max_length=8, unique=True, validators=[office_code_validator])

    class Meta:
        verbose_name = _("customs office")
        verbose_name_plural = _("customs offices")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.authority.name} ({self.code})"

    @property
    def name(self) -> str:
        return self.authority.name

    @property
    def member_state(self) -> str:
        return self.authority.country

    def clean(self) -> None:
        if self.authority.kind != Authority.Kind.CUSTOMS:
            raise ValidationError({"authority": _("A customs office is an authority of the kind Customs office.")})
        if not is_member_state(self.authority.country):
            raise ValidationError({"authority": _("A customs office is in a Member State of the Union.")})
        if self.code[:2] != self.authority.country:
            raise ValidationError({"code": _("A customs office code starts with its Member State's two letters.")})


class CustomsClient(SecretToken):
    """A system calling the exchange for one office (`core.tokens.SecretToken`: its secret is shown once when
    issued, only its SHA-256 is stored)."""

    PREFIX = "occ_"

    office = models.ForeignKey(CustomsOffice, on_delete=models.CASCADE, related_name="clients")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(SecretToken.Meta):
        verbose_name = _("customs machine client")
        verbose_name_plural = _("customs machine clients")

    @classmethod
    def issue(cls, office: CustomsOffice, name: str, by: Any = None) -> tuple[CustomsClient, str]:
        """Create a client and return it with its secret, which is never stored."""
        return cls.issue_token(name, office=office, created_by=by)

    @classmethod
    def usable(cls) -> models.QuerySet[CustomsClient]:
        return super().usable().select_related("office__authority")

    @classmethod
    def authenticate(cls, secret: str) -> CustomsClient | None:
        return cls.find(secret)


class Restoration(models.TextChoices):
    """Why a declaration item's write-off was given back (Art. 6(4) and Art. 7)."""

    AMENDMENT = "amendment", _("Declaration amended after release")
    INVALIDATION = "invalidation", _("Declaration invalidated")
    NOT_RELEASED = "not_released", _("Goods not released")


class DeclarationItem(models.Model):
    office = models.ForeignKey(CustomsOffice, on_delete=models.PROTECT, related_name="items")
    client = models.ForeignKey(CustomsClient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mrn = models.CharField(_("MRN"), max_length=18, db_index=True)
    item_number = models.PositiveIntegerField(_("item number"))
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="customs_items", verbose_name=_("document")
    )
    cn_code = models.CharField(_("CN code"), max_length=10)
    net_weight = models.DecimalField(_("net weight (kg)"), **KG)
    importer_eori = models.CharField(_("importer (EORI)"), max_length=17)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    request_id = models.CharField(_("request id"), max_length=64)
    contingency = models.BooleanField(_("recorded during a contingency"), default=False)
    restored_at = models.DateTimeField(_("restored"), null=True, blank=True)
    restored_because = models.CharField(_("restored because"), max_length=15, choices=Restoration.choices, blank=True)

    class Meta:
        verbose_name = _("declaration item")
        verbose_name_plural = _("declaration items")
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mrn", "item_number", "certificate"],
                condition=Q(restored_at__isnull=True),
                name="customs_item_written_off_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mrn}/{self.item_number}"

    @property
    def is_active(self) -> bool:
        return self.restored_at is None


class Movement(models.Model):
    class Kind(models.TextChoices):
        WRITE_OFF = "write_off", _("Written off by a customs declaration")
        RESTORATION = "restoration", _("Restored")
        MANUAL_WRITE_OFF = "manual_write_off", _("Written off by hand")
        MANUAL_RESTORATION = "manual_restoration", _("Restored by hand")

        @classmethod
        def taking(cls) -> list[str]:
            return [cls.WRITE_OFF, cls.MANUAL_WRITE_OFF]

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="customs_movements")
    line = models.ForeignKey(CommodityLine, on_delete=models.PROTECT, related_name="customs_movements")
    kind = models.CharField(_("movement"), max_length=20, choices=Kind.choices)
    net_weight = models.DecimalField(_("net weight (kg)"), **KG)
    item = models.ForeignKey(DeclarationItem, on_delete=models.CASCADE, null=True, blank=True, related_name="movements")
    at = models.DateTimeField(_("when"), default=timezone.now)
    office = models.ForeignKey(CustomsOffice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("who"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("quantity movement")
        verbose_name_plural = _("quantity movements")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["certificate", "at"]), models.Index(fields=["line", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.net_weight} kg"

    @property
    def takes(self) -> bool:
        return self.kind in self.Kind.taking()


class CustomsRecord(models.Model):
    """Additional information customs gives for a document quoted in a declaration (Art. 9)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="customs_records")
    office = models.ForeignKey(CustomsOffice, on_delete=models.PROTECT, related_name="records")
    mrn = models.CharField(_("MRN"), max_length=18)
    item_number = models.PositiveIntegerField(_("item number"), null=True, blank=True)
    text = models.TextField(_("information"))
    created_at = models.DateTimeField(_("entered"), default=timezone.now)
    updated_at = models.DateTimeField(_("amended"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("customs record")
        verbose_name_plural = _("customs records")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mrn}: {self.text[:40]}"
