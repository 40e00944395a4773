"""Two locks (issue 21 point 6): `requirements.lock` holds what runs (`make serve`, `make demo` install only it),
`requirements-test.lock` what only the checks need (`make test` installs both)."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CHECKS_ONLY = {"pytest", "playwright", "moto", "schemathesis", "mypy", "ruff", "hypothesis", "locust", "pip-audit"}


def pins(name: str) -> list[str]:
    return [line.strip() for line in (ROOT / name).read_text().splitlines() if line.strip()]


def names(lines: list[str]) -> set[str]:
    return {canonicalize_name(line.split("==")[0]) for line in lines}


def lock_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("lock", ROOT / "scripts" / "lock.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_keeps_what_only_the_checks_need_out_of_the_runtime_lock() -> None:
    runtime, checks = names(pins("requirements.lock")), names(pins("requirements-test.lock"))
    assert runtime & CHECKS_ONLY == set()
    assert CHECKS_ONLY - {"locust"} <= checks  # locust has its own lock, bench/requirements.lock
    assert runtime & checks == set()


def test_it_pins_each_dependency_in_the_lock_its_place_says() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, checks = pins("requirements.lock"), pins("requirements-test.lock")
    assert {canonicalize_name(Requirement(r).name) for r in project["dependencies"]} <= names(runtime)
    assert {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["test"]} <= names(checks)
    # What each package needs (read from the installed metadata) is in the same lock, or in the runtime one.
    assert lock_script().split(project, runtime + checks) == (runtime, checks, [])
