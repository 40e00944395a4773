"""The directory: operators, control bodies, authorities, points of entry, and people's memberships.

Rules that decide who validates what live in `directory/matrix.py`; actions in `directory/services.py`.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.collation import collation_text
from directory.eori import country_warning
from reference.categories import ALL_CATEGORIES
from reference.countries import country_name


class Status(models.TextChoices):
    """Status of an operator profile, an activity or a person's membership (the guides' four, plus rejected)."""

    REQUESTED = "requested", _("Requested")
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    DELETED = "deleted", _("Deleted")
    REJECTED = "rejected", _("Rejected")

    @classmethod
    def pending(cls) -> list[str]:
        return [cls.REQUESTED]

    @classmethod
    def closed(cls) -> list[str]:
        return [cls.DELETED, cls.REJECTED]


class Address(models.Model):
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, db_index=True)
    region = models.CharField(_("administrative region"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def one_line_address(self) -> str:
        return ", ".join(p for p in [self.address, f"{self.postcode} {self.city}".strip(), self.country_name] if p)


control_body_code_validator = RegexValidator(
    r"^[A-Z]{2}-BIO-\d{2,3}$", _("A control body code has the form CC-BIO-NNN, e.g. MA-BIO-154 or FR-BIO-01.")
)


def validate_categories(value: str) -> None:
    if not value or any(c not in ALL_CATEGORIES for c in value) or len(set(value)) != len(value):
        raise ValidationError(_("Product categories are letters among A, B, C, D, E and F, each once."))


class ControlBody(Address):
    """An organic certifier. Its country is the head office's; its codes are per country where it works."""

    website = models.URLField(_("web site"), blank=True)

    class Meta:
        verbose_name = _("control body")
        verbose_name_plural = _("control bodies")
        ordering = ["name"]


class ControlBodyCode(models.Model):
    """One recognition: a code such as MA-BIO-154 for one country, and the product categories it covers."""

    control_body = models.ForeignKey(ControlBody, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=11, unique=True, validators=[control_body_code_validator])
    country = models.CharField(_("country where it certifies"), max_length=2, db_index=True, editable=False)
    categories = models.CharField(_("product categories"), max_length=6, validators=[validate_categories])
    active = models.BooleanField(_("recognised"), default=True)

    class Meta:
        verbose_name = _("control body code")
        verbose_name_plural = _("control body codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.control_body.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.code = self.code.upper().strip()
        self.country = self.code[:2]
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Django's save() arguments passed through

    def covers(self, categories: set[str] | str) -> bool:
        return self.active and set(categories) <= set(self.categories)


class Authority(Address):
    class Kind(models.TextChoices):
        COMPETENT = "competent", _("Competent authority")
        ENTRY = "entry", _("Authority at a point of entry")
        COMMISSION = "commission", _("European Commission")
        # A customs office (Reg. (EU) 2024/2145): its staff are validated as every authority's, by the Commission;
        # its office code and what it may see of a COI are the customs app's (`customs/models.py`).
        CUSTOMS = "customs", _("Customs office")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["country", "name"]


class PointOfEntry(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, db_index=True)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="points_of_entry", verbose_name=_("authority")
    )

    class Meta:
        verbose_name = _("point of entry")
        verbose_name_plural = _("points of entry")
        ordering = ["country", "name"]

    def __str__(self) -> str:
        """'Le Havre (FRLEH)': people know a point of entry by its name; the code tells two apart."""
        return f"{self.name} ({self.code})"


class Operator(Address):
    region = models.CharField(_("administrative region"), max_length=100, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    website = models.URLField(_("web site"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The name's collation key as text (`core.collation.collation_text`), kept by `save`: searches page through
    # operators in the order a reader expects ('Établissements Martin' among the E, not after 'Zeta Bio').
    name_key = models.TextField(editable=False, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["name_key", "name"]
        indexes = [models.Index(fields=["country", "name"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = collation_text(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def is_valid(self) -> bool:
        return self.status == Status.VALID

    @property
    def eori_warnings(self) -> list[str]:
        """One warning per EORI number whose country is not the operator's (read from prefetched identifiers)."""
        eoris = [i.value for i in self.identifiers.all() if i.type == IdentifierType.EORI]
        return [w for w in (country_warning(value, self.country) for value in eoris) if w]


class IdentifierType(models.TextChoices):
    EORI = "eori", "EORI"
    VAT = "vat", _("VAT number")
    DUNS = "duns", "DUNS"
    CBR = "cbr", _("Central Business Register")
    CIN = "cin", "CIN"
    IMO_MANAGEMENT = "imo_mgmt", _("IMO, management")
    IMO_OWNER = "imo_owner", _("IMO, owner")
    OTHER = "other", _("Other")


class OperatorIdentifier(models.Model):
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="identifiers")
    type = models.CharField(_("type"), max_length=10, choices=IdentifierType.choices)
    value = models.CharField(_("value"), max_length=60)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        indexes = [models.Index(fields=["type", "value"])]
        constraints = [models.UniqueConstraint(fields=["operator", "type", "value"], name="identifier_once")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.value}"


class ActivityKind(models.TextChoices):
    IMPORTER = "importer", _("Organic Importer")
    OPERATOR = "operator", _("Organic Operator (first consignee)")
    EXPORTER = "exporter", _("Organic Exporter")
    PRODUCER = "producer", _("Organic Producer / Processor")


class OperatorActivity(models.Model):
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("activity"), max_length=10, choices=ActivityKind.choices)
    control_body_code = models.ForeignKey(
        ControlBodyCode,
        on_delete=models.PROTECT,
        related_name="certified_activities",
        verbose_name=_("control body"),
    )
    identifier = models.CharField(_("identifier"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    application_date = models.DateField(_("application date"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["operator", "kind"], name="activity_once_per_operator")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.control_body_code.code})"

    def certified_on(self, day: datetime.date) -> bool:
        """Valid and within its dates on that day (an open end means no limit)."""
        if self.status != Status.VALID:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


class MembershipKind(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    CONTROL_BODY = "control_body", _("Organic control body")
    AUTHORITY = "authority", _("Authority")


# What a membership holds: the organisation of its kind.
_Held = TypeVar("_Held", Operator, ControlBodyCode, Authority)


class Membership(models.Model):
    """A person's request to act for one organisation, and its decision.

    Exactly one of operator / control_body_code / authority is set, matching `kind`. A person of a
    control body holds one membership per country entry (code) they work for.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("role type"), max_length=12, choices=MembershipKind.choices)
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, null=True, blank=True, related_name="members")
    control_body_code = models.ForeignKey(
        ControlBodyCode, on_delete=models.CASCADE, null=True, blank=True, related_name="members"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, null=True, blank=True, related_name="members")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    is_admin = models.BooleanField(_("administrator"), default=False)
    message = models.TextField(_("message"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["status", "kind"])]
        constraints = [
            models.CheckConstraint(
                name="membership_one_organisation",
                condition=(
                    Q(kind="operator", operator__isnull=False, control_body_code__isnull=True, authority__isnull=True)
                    | Q(
                        kind="control_body",
                        operator__isnull=True,
                        control_body_code__isnull=False,
                        authority__isnull=True,
                    )
                    | Q(
                        kind="authority", operator__isnull=True, control_body_code__isnull=True, authority__isnull=False
                    )
                ),
            ),
            models.UniqueConstraint(fields=["user", "operator"], name="membership_once_operator"),
            models.UniqueConstraint(fields=["user", "control_body_code"], name="membership_once_cb_code"),
            models.UniqueConstraint(fields=["user", "authority"], name="membership_once_authority"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.get_status_display()})"

    @property
    def organisation(self) -> Operator | ControlBodyCode | Authority:
        return self.operator or self.control_body_code or self.authority  # type: ignore[return-value]  # exactly one of the three is set (the membership's kind)

    @property
    def held_operator(self) -> Operator:
        """The operator of an operator's membership. ValueError on another kind: the database's constraint keeps
        exactly the key of the membership's kind set, so asking another is a fault of the caller."""
        return self._held(self.operator, MembershipKind.OPERATOR)

    @property
    def held_control_body_code(self) -> ControlBodyCode:
        """The control body code of a control body's membership (ValueError on another kind)."""
        return self._held(self.control_body_code, MembershipKind.CONTROL_BODY)

    @property
    def held_authority(self) -> Authority:
        """The authority of an authority's membership (ValueError on another kind)."""
        return self._held(self.authority, MembershipKind.AUTHORITY)

    def _held(self, organisation: _Held | None, kind: str) -> _Held:
        if organisation is None or self.kind != kind:
            raise ValueError(f"membership {self.pk} is of kind {self.kind}, not {kind}")
        return organisation

    @property
    def organisation_name(self) -> str:
        if self.control_body_code:
            return f"{self.control_body_code.control_body.name} ({self.control_body_code.code})"
        return self.held_operator.name if self.kind == MembershipKind.OPERATOR else self.held_authority.name

    @property
    def is_valid(self) -> bool:
        return self.status == Status.VALID


class RflGrant(models.Model):
    """The 'responsible for the load' role: granted by the Commission to a person of an operator, per point of entry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rfl_grants")
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="rfl_grants")
    point_of_entry = models.ForeignKey(PointOfEntry, on_delete=models.CASCADE, related_name="rfl_grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("RFL role")
        verbose_name_plural = _("RFL roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "operator", "point_of_entry"], name="rfl_once_per_point")
        ]

    def __str__(self) -> str:
        return f"RFL {self.user} / {self.operator} @ {self.point_of_entry.code}"


class RflRequest(models.Model):
    """A person's request for the RFL role ("intéressé au chargement", guide 001, 2.3) for an operator they are
    a Valid member of, at the points of entry they choose; the Commission grants or refuses it from its queue."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rfl_requests")
    operator = models.ForeignKey(
        Operator, on_delete=models.CASCADE, related_name="rfl_requests", verbose_name=_("operator")
    )
    points_of_entry = models.ManyToManyField(
        PointOfEntry, related_name="rfl_requests", verbose_name=_("points of entry")
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("RFL role request")
        verbose_name_plural = _("RFL role requests")
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"RFL {self.user} / {self.operator} ({self.get_status_display()})"


class Decision(models.Model):
    """One change of status of a membership, an operator profile or an activity: who, when, old, new, why.

    Written in the same transaction as the change itself (`directory/services.py`), never edited.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="history")
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, null=True, blank=True, related_name="history")
    activity = models.ForeignKey(
        OperatorActivity, on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    old_status = models.CharField(_("old status"), max_length=10, choices=Status.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=10, choices=Status.choices, blank=True)
    # A request's whole message (up to the 2000 characters its form and the API take), or a decision's reason.
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status} ({self.at:%Y-%m-%d})"
