"""`make lock`: split the virtualenv's pins (`pip freeze` on stdin) into two locks, from pyproject.toml.

- `requirements.lock`: what runs (`make install`, `make serve`, `make demo`): the project's dependencies and
  everything they need, as installed (extras included: `django-allauth[mfa]`, `psycopg[binary]`...).
- `requirements-test.lock`: what only the checks need (`make test` installs both): the `test` extra's packages
  and what they need beyond the first lock (pytest, Playwright, moto, schemathesis, mypy, ruff...).

Run with the virtualenv's python (it reads the installed packages' metadata). A pin on stdin that neither
needs is left out and named on stderr.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def needs(requirements: list[str]) -> set[str]:
    """The canonical names of `requirements` and of everything they need, read from the installed metadata."""
    extras_of: dict[str, set[str]] = {}
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        known = extras_of.get(name)
        if known is not None and set(req.extras) <= known:
            continue
        extras = extras_of[name] = (known or set()) | set(req.extras)
        for line in metadata.distribution(req.name).requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in extras | {""}):
                todo.append(sub)
    return set(extras_of)


def split(project: dict[str, object], pins: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(runtime pins, test-only pins, pins neither needs), each sorted by name."""
    dependencies = list(project["dependencies"])  # type: ignore[call-overload]
    test = list(project["optional-dependencies"]["test"])  # type: ignore[index]
    runtime = needs(dependencies)
    checks = needs(dependencies + test) - runtime
    by_name = {canonicalize_name(p.split("==")[0]): p for p in pins if "==" in p}

    def pick(names: set[str]) -> list[str]:
        return sorted((by_name[n] for n in names if n in by_name), key=str.lower)

    return pick(runtime), pick(checks), pick(set(by_name) - runtime - checks)


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [line.strip() for line in sys.stdin if line.strip() and not line.startswith("#")]
    runtime, checks, neither = split(project, pins)
    (ROOT / "requirements.lock").write_text("\n".join(runtime) + "\n")
    (ROOT / "requirements-test.lock").write_text("\n".join(checks) + "\n")
    if neither:
        print("left out (no dependency needs them):", " ".join(neither), file=sys.stderr)


if __name__ == "__main__":
    main()
