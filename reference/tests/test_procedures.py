from __future__ import annotations

import pytest

from reference.procedures import Procedure, control_body_country, procedure_for


@pytest.mark.parametrize(
    ("categories", "control_body", "expected"),
    [
        ({"A"}, "MA-BIO-154", Procedure.COMPLIANCE),  # Morocco: recognised control body, art. 46
        ({"A", "D"}, "US-ORG-001", Procedure.RECOGNISED_THIRD_COUNTRY),  # the USA, art. 48, for A and D
        ({"B"}, "US-ORG-001", Procedure.COMPLIANCE),  # ...but not for animal products
        ({"A", "B"}, "US-ORG-001", Procedure.COMPLIANCE),  # every category must be covered
        ({"D"}, "CH-BIO-006", Procedure.TRADE_AGREEMENT),  # Switzerland, art. 47
        ({"E"}, "GB-ORG-05", Procedure.TRADE_AGREEMENT),  # the United Kingdom
        ({"A"}, "jp-bio-001", Procedure.RECOGNISED_THIRD_COUNTRY),
        (set(), "JP-BIO-001", Procedure.COMPLIANCE),  # no product yet: nothing to be equivalent for
        ({"A"}, "", Procedure.COMPLIANCE),
    ],
)
def test_the_procedure_follows_products_and_control_body(
    categories: set[str], control_body: str, expected: Procedure
) -> None:
    assert procedure_for(categories, control_body) == expected


def test_it_reads_the_country_of_a_control_body_code() -> None:
    assert control_body_country("MA-BIO-154") == "MA"
    assert control_body_country("12-X") == ""
