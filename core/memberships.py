"""Which organisations a person belongs to: filled in by the directory app."""

from __future__ import annotations

from typing import Any

from directory.services import memberships_summary


def memberships_for(user: Any) -> list[dict[str, Any]]:
    return memberships_summary(user)
