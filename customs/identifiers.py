"""The identifiers customs sends, read as they are written in OpenCOI: an EORI number, an MRN, a COI's or an
extract's number (box 3) and an office code are upper-case without spaces ("fr 433968187" is FR433968187); a CN
or TARIC code is its digits ("0801 32 00" is 08013200). One place, for the exchange's bodies, its query strings,
its paths and the pages."""

from __future__ import annotations

import re
from typing import Any

SPACES = re.compile(r"\s+")


def normalised_identifier(value: Any) -> Any:
    """'fr 433968187 ' -> 'FR433968187'; anything but a text is left to the schema to refuse."""
    return SPACES.sub("", value).upper() if isinstance(value, str) else value


def normalised_cn_code(value: Any) -> Any:
    """'0801 32 00' or '0801.32.00' -> '08013200'; anything but a text is left to the schema to refuse."""
    return SPACES.sub("", value).replace(".", "") if isinstance(value, str) else value
