"""Issue 21, point 4: what differs between the two forms is the forms' data (`certificates/coi_forms/`: `CoiForm`,
its boxes, the field table), never a branch on a COI's form code elsewhere. A new `if coi.form == "2021/2306"`
outside `coi_forms/` fails here: say it as an attribute of `CoiForm` (or a box or a row) instead."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("certificates", "api", "customs", "core", "accounts", "directory", "reference")
BRANCH = re.compile(
    r"""\.form\s*(==|!=|\bin\b)"""  # coi.form == ..., coi.form in (...)
    r"""|(==|!=)\s*(FormCode\.R\w+|["'](1235/2008|2021/2306)["'])"""  # ... == FormCode.R2021_2306 / "2021/2306"
    r"""|\.get\(\w+\.form\b"""  # a dict keyed by form code: RELEASE_ALLOWED.get(coi.form, ...)
    r"""|\{\s*FormCode\.R\w+\s*:"""  # {FormCode.R2021_2306: ...}
)


def sources() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            parts = path.relative_to(ROOT).parts
            if path.suffix not in (".py", ".html") or {"tests", "migrations", "coi_forms"} & set(parts):
                continue
            found.append(path)
    return found


def test_it_finds_no_branch_on_a_form_code_outside_the_forms_tables() -> None:
    branches = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sources()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if BRANCH.search(line)
    ]
    assert branches == []


def test_it_would_see_such_a_branch() -> None:
    for line in (
        'if coi.form == "2021/2306":',
        "box = A if coi.form != FormCode.R2021_2306 else B",
        "return coi.status in RELEASE_ALLOWED.get(coi.form, frozenset())",
        'TAGS = {FormCode.R2021_2306: "x"}',
        "if code == FormCode.R1235_2008:",
    ):
        assert BRANCH.search(line), line
    assert not BRANCH.search("coi_form = form_of(coi)")
