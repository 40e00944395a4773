"""The `<id:...>` path converter: a database id, 1 to 2**63 - 1 (a bigint). Any other number in a URL matches
no route, so it is a 404 like an unknown id, never a database overflow (a 500)."""

from __future__ import annotations

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver then tries the next route, and answers 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def read_id(text: object) -> int | None:
    """An id as a form, a query string or a picker gives it: digits 0-9 only, 1 to MAX_ID; None for anything else
    ("", "5.5", "True", "-1", "²", "1_0", a number no bigint holds). The one reading of a typed id: a page then
    refuses it at its field (or answers 404), never a 500 from the database."""
    value = str(text if text is not None else "").strip()
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        return None
    return int(value)
