"""Fixtures other apps may import in their conftest.py: `from reference.tests.fixtures import cn_codes`."""

from __future__ import annotations

from typing import Any

import pytest

from reference.loader import LoadResult, load_base


@pytest.fixture
def cn_codes(db: Any) -> LoadResult:
    """The nomenclature of a new installation: HS base and OpenCOI's CN data file (about a second)."""
    return load_base()
