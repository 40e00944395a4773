"""Every code's path names the product (issue 23, point 4): the nomenclature's non-coded dash lines ("- Cashew
nuts", "- Noix de cajou") stand between the heading and the leaf, in English and in French, so no two codes one
may pick read the same."""

from __future__ import annotations

from collections import defaultdict

import pytest

from reference.loader import load_base, shipped_years
from reference.models import CnCode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", shipped_years())
def test_it_gives_no_two_leaf_codes_one_path(year: int) -> None:
    load_base(year)
    leaves = CnCode.objects.filter(selectable=True, in_force=True)
    assert leaves.count() >= 2646
    for field in ("path_en", "path_fr"):
        codes = defaultdict(list)
        for code, path in leaves.values_list("code", field):
            codes[path].append(code)
        shared = {path: found for path, found in codes.items() if len(found) > 1}
        assert shared == {}, field


def test_it_names_cashew_and_brazil_nuts_in_both_languages() -> None:
    load_base()
    paths = {c.code: (c.path_en, c.path_fr) for c in CnCode.objects.filter(code__startswith="0801")}
    assert paths["08013200"][0].endswith(": Cashew nuts: Shelled")
    assert paths["08013200"][1].endswith("\u00a0: Noix de cajou\u00a0: sans coques")
    assert paths["08012100"][1].endswith("\u00a0: Noix du Brésil\u00a0: en coques")
    assert paths["08011100"][0].endswith(": Coconuts: Desiccated")
