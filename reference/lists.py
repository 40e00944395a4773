"""Fixed reference lists of the COI form: document types and their mandatory fields, packaging, units, transport.

These change with the software, not with the year: they are code, and their values are what the database
stores. Never rename a value; add new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class DocumentType(models.TextChoices):
    """Accompanying documents a COI may carry (guide 000, 3.1: "Ajouter un document d'accompagnement")."""

    INVOICE = "invoice", _("Commercial invoice")
    PACKING_LIST = "packing_list", _("Packing list")
    BILL_OF_LADING = "bill_of_lading", _("Bill of lading")
    AIRWAY_BILL = "airway_bill", _("Airway bill")
    TRANSACTION_CERTIFICATE = "transaction_certificate", _("Transaction certificate")
    LABORATORY_ANALYSIS = "laboratory_analysis", _("Laboratory analysis")
    PHYTOSANITARY_CERTIFICATE = "phytosanitary_certificate", _("Phytosanitary certificate")
    OTHER = "other", _("Other document")


class DocumentField(models.TextChoices):
    """The fields an accompanying document may have; which are mandatory depends on its type."""

    REFERENCE = "reference", _("Reference")
    DATE = "date", _("Date of issue")
    ISSUING_COUNTRY = "issuing_country", _("Issuing country")
    ISSUER = "issuer", _("Issuer")
    DESCRIPTION = "description", _("Description")


DOCUMENT_FIELD_LABELS: dict[str, StrOrPromise] = dict(DocumentField.choices)

# Mandatory fields per document type, in the order the form shows them. TextChoices members are str, so
# DOCUMENT_FIELDS["invoice"] works as well as DOCUMENT_FIELDS[DocumentType.INVOICE].
DOCUMENT_FIELDS: dict[str, tuple[str, ...]] = {
    DocumentType.INVOICE: ("reference", "date", "issuer"),
    DocumentType.PACKING_LIST: ("reference", "date"),
    DocumentType.BILL_OF_LADING: ("reference", "date", "issuing_country"),
    DocumentType.AIRWAY_BILL: ("reference", "date", "issuing_country"),
    DocumentType.TRANSACTION_CERTIFICATE: ("reference", "date", "issuer"),
    DocumentType.LABORATORY_ANALYSIS: ("reference", "date", "issuer"),
    DocumentType.PHYTOSANITARY_CERTIFICATE: ("reference", "date", "issuing_country"),
    DocumentType.OTHER: ("description", "reference", "date"),
}


# Fields a document of each type may also carry, shown after its mandatory ones. A field in neither list
# is not a field of that type: the form does not show it and the server refuses a value for it.
DOCUMENT_OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    DocumentType.INVOICE: ("issuing_country", "description"),
    DocumentType.PACKING_LIST: ("issuer", "description"),
    DocumentType.BILL_OF_LADING: ("issuer", "description"),
    DocumentType.AIRWAY_BILL: ("issuer", "description"),
    DocumentType.TRANSACTION_CERTIFICATE: ("issuing_country", "description"),
    DocumentType.LABORATORY_ANALYSIS: ("issuing_country", "description"),
    DocumentType.PHYTOSANITARY_CERTIFICATE: ("issuer", "description"),
    DocumentType.OTHER: ("issuer", "issuing_country"),
}


def mandatory_fields(document_type: str) -> tuple[str, ...]:
    """The fields a document of this type must have; unknown types get the 'other' rule."""
    return DOCUMENT_FIELDS.get(str(document_type), DOCUMENT_FIELDS[DocumentType.OTHER])


@dataclass(frozen=True)
class DocumentFieldSpec:
    """One field of a document type's form: its name (the API's and the database's), its label in the
    active language, and whether the type requires it (guide 000, 3.1: "quelques champs obligatoires")."""

    name: str
    required: bool

    @property
    def label(self) -> str:
        return str(DOCUMENT_FIELD_LABELS[self.name])


def document_fields(document_type: str) -> list[DocumentFieldSpec]:
    """The fields of a document type, mandatory ones first: document_fields("packing_list") ==
    [reference*, date*, issuer, description]. An unknown type has none (its type must be chosen first)."""
    key = str(document_type)
    if key not in DOCUMENT_FIELDS:
        return []
    return [DocumentFieldSpec(f, True) for f in DOCUMENT_FIELDS[key]] + [
        DocumentFieldSpec(f, False) for f in DOCUMENT_OPTIONAL_FIELDS[key]
    ]


class PackagingType(models.TextChoices):
    """Packaging of box 13, valued with the package codes of UN/ECE Recommendation 21 (rev. 12)."""

    BAG = "BG", _("Bag")
    JUTE_BAG = "JT", _("Jute bag")
    SUPER_BULK_BAG = "43", _("Big bag (super bulk bag)")
    SACK = "SA", _("Sack")
    BOX = "BX", _("Box")
    CARTON = "CT", _("Carton")
    CASE = "CS", _("Case")
    CRATE = "CR", _("Crate")
    FRUIT_CRATE = "FC", _("Fruit crate")
    TEA_CHEST = "TC", _("Tea chest")
    DRUM = "DR", _("Drum")
    BARREL = "BA", _("Barrel")
    IBC = "WA", _("Intermediate bulk container (IBC, tote)")
    CAN = "CA", _("Can, tin")
    BOTTLE = "BO", _("Bottle")
    JAR = "JR", _("Jar")
    JERRICAN = "JC", _("Jerrican")
    BUCKET = "BJ", _("Bucket")
    TRAY = "PU", _("Tray")
    BASKET = "BK", _("Basket")
    BALE = "BL", _("Bale")
    BUNDLE = "BE", _("Bundle")
    PALLET = "PX", _("Pallet")
    PACKAGE = "PK", _("Package")
    BULK_GRAIN = "VR", _("Bulk, solid, granular (grains)")
    BULK_POWDER = "VY", _("Bulk, solid, fine particles (powders)")
    BULK_LARGE = "VO", _("Bulk, solid, large particles (nodules)")
    BULK_LIQUID = "VL", _("Bulk, liquid")
    OTHER = "ZZ", _("Other")

    @classmethod
    def bulk(cls) -> frozenset[PackagingType]:
        """Bulk goods: their 'number of packages' is 1 by convention (the hold or the tank)."""
        return frozenset({cls.BULK_GRAIN, cls.BULK_POWDER, cls.BULK_LARGE, cls.BULK_LIQUID})


class WeightUnit(models.TextChoices):
    KG = "kg", _("kg")
    TONNE = "t", _("tonne")


_KG_PER_UNIT: dict[str, Decimal] = {WeightUnit.KG: Decimal(1), WeightUnit.TONNE: Decimal(1000)}


def to_kg(value: Decimal, unit: str) -> Decimal:
    """A weight in kilograms: to_kg(Decimal("1.5"), WeightUnit.TONNE) == Decimal("1500.0")."""
    try:
        factor = _KG_PER_UNIT[str(unit)]
    except KeyError:
        raise ValueError(f"unknown weight unit {unit!r}") from None
    return Decimal(value) * factor


class TransportMode(models.TextChoices):
    """Box 17: means of transport to the EU."""

    VESSEL = "vessel", _("Vessel")
    AIRPLANE = "airplane", _("Airplane")
    ROAD = "road", _("Road vehicle")
    RAILWAY = "railway", _("Railway wagon")
    OTHER = "other", _("Other")

    @classmethod
    def needing_containers(cls) -> frozenset[TransportMode]:
        """Boxes 14 and 15 (containers, seals) are required for these."""
        return frozenset({cls.VESSEL})
