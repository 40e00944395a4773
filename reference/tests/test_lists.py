from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from reference.lists import DOCUMENT_FIELD_LABELS, DOCUMENT_FIELDS, DocumentType, PackagingType, WeightUnit, to_kg


def test_every_document_type_has_its_mandatory_fields() -> None:
    assert set(DOCUMENT_FIELDS) == set(DocumentType.values)
    assert DOCUMENT_FIELDS["invoice"] == ("reference", "date", "issuer")
    assert DOCUMENT_FIELDS[DocumentType.BILL_OF_LADING] == ("reference", "date", "issuing_country")
    assert "description" in DOCUMENT_FIELDS[DocumentType.OTHER]
    assert all(field in DOCUMENT_FIELD_LABELS for fields in DOCUMENT_FIELDS.values() for field in fields)


def test_packaging_uses_un_ece_codes() -> None:
    assert PackagingType.BAG == "BG" and PackagingType.CARTON == "CT" and PackagingType.SUPER_BULK_BAG == "43"
    assert len(PackagingType.values) == len(set(PackagingType.values))


def test_weights_convert_to_kg() -> None:
    assert to_kg(Decimal("1.5"), WeightUnit.TONNE) == Decimal("1500")
    assert to_kg(Decimal("20"), "kg") == Decimal("20")
    with pytest.raises(ValueError):
        to_kg(Decimal(1), "lb")


def test_labels_are_french_for_french_readers() -> None:
    with translation.override("fr"):
        assert str(DocumentType.INVOICE.label) == "Facture commerciale"
        assert str(PackagingType.BAG.label) == "Sac"
