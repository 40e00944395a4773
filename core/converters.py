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
