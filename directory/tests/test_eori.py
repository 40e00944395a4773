from __future__ import annotations

import pytest

from core.errors import Invalid
from directory.eori import check_eori, is_valid_eori


@pytest.mark.parametrize(
    ("value", "normal"),
    [("FR 512 345 679 00017", "FR51234567900017"), ("de123456789012345", "DE123456789012345"), ("MA12", "MA12")],
)
def test_it_accepts_and_normalises(value: str, normal: str) -> None:
    assert check_eori(value) == normal


@pytest.mark.parametrize(
    "value", ["", "F", "12345", "XX1234", "FR12345678901234", "DE1234567890123456", "DE12-?", "FR"]
)
def test_it_refuses(value: str) -> None:
    with pytest.raises(Invalid):
        check_eori(value)
    assert not is_valid_eori(value)
