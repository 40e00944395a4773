"""Fixtures other apps may import in their conftest.py: `from reference.tests.fixtures import cn_codes, cn_codes_of_the_module`."""

from __future__ import annotations

from typing import Any

import pytest

from core.tests.shared_data import once_per_module, own_copy
from reference.loader import LoadResult, load_base

# Loaded once per module when all its tests ask for it (core/tests/shared_data.py), else once per test.
cn_codes_of_the_module = once_per_module(load_base, "cn_codes")


@pytest.fixture
def cn_codes(db: Any, cn_codes_of_the_module: LoadResult | None) -> LoadResult:
    """The nomenclature of a new installation: HS base and OpenCOI's CN data file (about a second)."""
    return own_copy(cn_codes_of_the_module, load_base)
