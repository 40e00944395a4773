"""The docs name what is there (issue 21 point 5): every file a docstring of ours or a README names exists, and
the README's map ("What is where") has a row for every app and every folder of `certificates/`."""

from __future__ import annotations

import ast
import fnmatch
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A file name as the docs write it: `certificates/rules/contents.py`, `contents.py`, `coi-*-matrix.csv`. Not a
# piece of a longer name (`django.core.files`, `<template>_body.txt` is a name pattern, `{n}.py` a format).
NAMED_FILE = re.compile(r"(?<![\w./*<>{}-])((?:[\w*-]+/)*[\w*-]*\w\.(?:py|csv|md|html|txt|sh|toml|json|po))(?![\w/])")

# Files the docs name that are not ours to ship, each with why.
NOT_OURS = {
    "CN2027.csv": "the EU's yearly nomenclature, saved by the operator and given to load_cn --file",
    "build_cn.py": "the script that built reference/data/cn, named in SOURCE.md as not shipped",
}

APPS = ("core", "reference", "accounts", "directory", "certificates", "api", "demo")
# Django's own folders, the same in every app: never in the map.
CONVENTIONAL = {"tests", "migrations"}


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [name for name in out.splitlines() if (ROOT / name).exists()]


def docs(files: list[str]) -> Iterator[tuple[str, str]]:
    """(file, text) of every README and docs page, and of every docstring of our modules (migrations left out:
    Django writes them)."""
    for name in files:
        if name.endswith(".md"):
            yield name, (ROOT / name).read_text(encoding="utf-8")
        elif name.endswith(".py") and "/migrations/" not in name:
            tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    text = ast.get_docstring(node, clean=False)
                    if text:
                        yield f"{name}:{getattr(node, 'lineno', 1)}", text


def missing_files(text: str, files: list[str]) -> list[str]:
    """The file names in `text` that match no file of the tree: by their path from the root, by the end of a
    path (`rules/contents.py`) or, with `*`, as a pattern."""
    found = []
    for match in NAMED_FILE.finditer(text):
        named = match.group(1)
        if named in NOT_OURS:
            continue
        if not any(
            f == named or f.endswith("/" + named) or fnmatch.fnmatch(f, named) or fnmatch.fnmatch(f, "*/" + named)
            for f in files
        ):
            found.append(named)
    return found


def map_rows() -> list[str]:
    """The first cell of each row of the README's "What is where" table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    return [line.split("|")[1].strip().strip("`") for line in section.splitlines() if line.startswith("| `")]


def test_it_finds_every_file_a_docstring_or_readme_names() -> None:
    files = tracked_files()
    stale = [f"{where}: {named}" for where, text in docs(files) for named in missing_files(text, files)]
    assert stale == []


def test_it_reads_a_file_name_as_the_docs_write_it() -> None:
    files = ["certificates/rules/contents.py", "certificates/coi_forms/coi-2021-2306-matrix.csv"]
    text = (
        "See `certificates/rules/contents.py`, rules/contents.py, contents.py and coi-*-matrix.csv; not "
        "certificates/rules.py, nor steps.py, nor rules/boxes.py. `<template>_body.txt` and `{n}.py` are patterns."
    )
    assert missing_files(text, files) == ["certificates/rules.py", "steps.py", "rules/boxes.py"]


def test_it_finds_every_app_and_every_folder_of_certificates_in_the_readme_map() -> None:
    rows = set(map_rows())
    folders = sorted(
        f"certificates/{d.name}/"
        for d in (ROOT / "certificates").iterdir()
        if (d / "__init__.py").exists() and d.name not in CONVENTIONAL
    )
    assert "certificates/workflow/" in folders  # the folders are read from the tree
    assert [name for name in (*APPS, *folders) if name not in rows] == []


def test_it_finds_each_file_of_the_readme_map_in_its_row_s_folder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    elsewhere = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        folder, holds = (cell.strip().strip("`") for cell in line.split("|")[1:3])
        folder = folder.rstrip("/")
        for match in NAMED_FILE.finditer(holds):
            named = match.group(1)
            if not ((ROOT / folder / named).exists() or (ROOT / named).exists() or named in NOT_OURS):
                elsewhere.append(f"{folder}: {named}")
    assert elsewhere == []
