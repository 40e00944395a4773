"""Loading the nomenclature: the official CN shipped in `reference/data/cn/`, or the EU's yearly CN file.

Every source yields `Entry` rows; `load` writes them in place with bulk queries and is idempotent: a second run
with the same data changes nothing. Codes are never deleted, since certificates reference them: codes the loaded
nomenclature does not have are taken out of force (`in_force=False`, not selectable), and come back if a later
file has them again.

Each code gets its path in English and French (heading, six-digit subheading, leaf: `CnCode.path`) and the same
text folded for search (`search_en`, `search_fr`: lower case, no accents), computed here from the codes loaded.

Only the chapters and headings of organic products are kept (`SCOPE`): agricultural products of Annex I TFEU and
the other products of Annex I of Regulation (EU) 2018/848 (essential oils, cork, wool, silk, cotton...).
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from reference.categories import ALL_CATEGORIES
from reference.models import CnCode
from reference.nomenclature import categories_for, fold, normalise_code, search_text

DATA_DIR = Path(__file__).resolve().parent / "data" / "cn"
CHAPTERS_FILE = DATA_DIR / "chapters.csv"
# The EU's nomenclature, every line in force with its indentation, the non-coded dash lines included ("- Cashew
# nuts" between 0801 and its leaves "In shell" / "Shelled"), in English and French (SOURCE.md there).
NOMENCLATURE_FILE = DATA_DIR / "cn_nomenclature_lines.csv"
LEVELS = (2, 4, 6, 8)
BATCH = 500

SCOPE = tuple(f"{chapter:02d}" for chapter in range(1, 25)) + (
    "2501", "3301", "3501", "3502", "3503", "3505", "4001", "4101", "4102", "4103", "4301", "4501",
    "5001", "5002", "5003", "5101", "5102", "5103", "5201", "5202", "5203", "5301", "5302", "5305",
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


# The shipped files -----------------------------------------------------------------------------------------------


def shipped_years() -> list[int]:
    """The CN years shipped in `reference/data/cn/` (cn2025_agrifood.csv...), oldest first."""
    return sorted(int(p.name[2:6]) for p in DATA_DIR.glob("cn[0-9][0-9][0-9][0-9]_agrifood.csv"))


def current_year(today: datetime.date | None = None) -> int:
    """The CN in force today (the site's day, `TIME_ZONE`): the CN of year N applies from 1 January N; the latest
    shipped year at most."""
    year = (today or timezone.localdate()).year
    years = shipped_years()
    return max([y for y in years if y <= year] or years[:1])


def chapter_entries(path: Path = CHAPTERS_FILE) -> dict[str, Entry]:
    """The chapters' titles: code, description_en, description_fr."""
    with open(path, encoding="utf-8", newline="") as f:
        return {r["code"]: Entry(r["code"], r["description_en"], r["description_fr"]) for r in csv.DictReader(f)}


@functools.cache
def shipped_entries(year: int) -> dict[str, Entry]:
    """Chapters, headings, six-digit subheadings (where upstream has one) and eight-digit codes of a shipped year.

    The file has one row per eight-digit code with the texts of its heading and subheading (see SOURCE.md there).
    A heading with no text of its own takes its first subheading's or leaf's text (0409 00 00 "Natural honey").
    """
    entries = chapter_entries()
    with open(DATA_DIR / f"cn{year}_agrifood.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code, heading, sub = row["cn8"], row["heading"], row["subheading6"]
            if len(code) != 8 or not code.isdigit() or not in_scope(code):
                continue
            entries[code] = Entry(code, _clean(row["description_en"]), _clean(row["description_fr"]))
            if sub and sub not in entries:
                entries[sub] = Entry(
                    sub, _clean(row["subheading6_description_en"]), _clean(row["subheading6_description_fr"])
                )
            if heading not in entries:
                en = row["heading_description_en"] or row["subheading6_description_en"] or row["description_en"]
                fr = row["heading_description_fr"] or row["subheading6_description_fr"] or row["description_fr"]
                entries[heading] = Entry(heading, _clean(en), _clean(fr))
    return {code: entry for code, entry in entries.items() if in_scope(code)}


@functools.cache
def nomenclature_paths() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each eight-digit code of the shipped nomenclature -> its texts from the heading down to its own, in English
    and in French: ('Coconuts, Brazil nuts and cashew nuts, …', 'Cashew nuts', 'Shelled') for 0801 32 00.

    A line's parents are the nearest lines above it with fewer dashes, up to its heading (the file lists the
    lines in the nomenclature's order: goods code, then suffix, 10 for a dash line without a code of its own)."""
    paths: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    above: list[tuple[str, ...]] = []  # the open lines, by number of dashes: 0 is the heading
    with open(NOMENCLATURE_FILE, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            level, dashes = int(row["level"]), int(row["dashes"])
            if level < 4:
                continue
            # '|' is the nomenclature's no-break space ("30|% by weight", "100|kg").
            texts = tuple(_clean(row[f"description_{lang}"].replace("|", "\u00a0")) for lang in ("en", "fr"))
            above = [texts] if level == 4 and dashes == 0 else [*above[:dashes], texts]
            if row["suffix"] == "80":  # a line with a code of its own (10: a dash line without one)
                paths[row["goods_code"][:8]] = (tuple(t[0] for t in above), tuple(t[1] for t in above))
    return paths


def _clean(text: str | None) -> str:
    """'- - Shelled:' -> 'Shelled' (the official file shows the indentation of a line with dashes)."""
    return re.sub(r"^[\s\-–—]+", "", text or "").strip().rstrip(":").strip()[:500]


def _categories(entry: Entry) -> str:
    given = {c for c in entry.categories.upper() if c in ALL_CATEGORIES}
    return "".join(sorted(given or categories_for(entry.code)))


# Writing ---------------------------------------------------------------------------------------------------------


def _parent(code: str, known: dict[str, CnCode]) -> CnCode | None:
    """The nearest shorter code; for a code in force, the nearest in force (a retired one hides no child)."""
    in_force = known[code].in_force if code in known else True
    for n in reversed(LEVELS):
        candidate = known.get(code[:n]) if n < len(code) else None
        if candidate is not None and (candidate.in_force or not in_force):
            return candidate
    return None


@transaction.atomic
def load(entries: dict[str, Entry], *, retire_missing: bool = True) -> LoadResult:
    """Write these entries in place; with `retire_missing`, take codes absent from them out of force."""
    result = LoadResult()
    known = {cn.code: cn for cn in CnCode.objects.all()}
    stored = {code: _values(cn) for code, cn in known.items()}
    created, changed = _apply_entries(entries, known, result)
    if retire_missing:
        for code, cn in known.items():
            if code not in entries and cn.in_force:
                cn.in_force = False
                changed.add(code)
                result.retired += 1
    with_children = _with_children(known)
    _create_by_level(created, known, with_children)
    changed |= _apply_structure(known, with_children)
    changed |= _apply_paths(known)
    _save_changes([known[c] for c in sorted(changed)], stored)
    result.in_force = sum(cn.in_force for cn in known.values())
    result.selectable = sum(cn.selectable for cn in known.values())
    return result


FIELDS = (
    "parent_id", "level", "description_en", "description_fr", "categories", "selectable", "in_force",
    "path_en", "path_fr", "search_en", "search_fr",
)  # fmt: skip


def _values(cn: CnCode) -> tuple[object, ...]:
    return tuple(getattr(cn, f) for f in FIELDS)


def _save_changes(changed: list[CnCode], stored: dict[str, tuple[object, ...]]) -> None:
    """Write what changed in these codes (loaded before with the values `stored`), field by field.

    Codes whose changes are the same (codes taken out of force: `in_force` and `selectable` false) are written
    by one UPDATE per batch; the others, whose texts differ code by code, by `bulk_update` on the fields that
    changed. (One `bulk_update` of every field took seconds for a year retiring thousands of codes.)"""
    alike: dict[tuple[tuple[str, object], ...], list[int]] = {}
    for cn in changed:
        before = stored.get(cn.code, (object(),) * len(FIELDS))  # a code created by this load: every field
        diff = tuple((f, v) for f, v, old in zip(FIELDS, _values(cn), before, strict=True) if v != old)
        if diff:
            alike.setdefault(diff, []).append(cn.pk)
    own: list[int] = []
    for diff, pks in alike.items():
        if len(pks) == 1:
            own += pks
            continue
        for start in range(0, len(pks), BATCH):
            CnCode.objects.filter(pk__in=pks[start : start + BATCH]).update(**dict(diff))
    if own:
        fields = sorted({f for diff, pks in alike.items() if len(pks) == 1 for f, _v in diff})
        by_pk = {cn.pk: cn for cn in changed}
        CnCode.objects.bulk_update([by_pk[pk] for pk in own], fields, batch_size=BATCH)


def _with_children(known: dict[str, CnCode]) -> set[str]:
    """Codes that have a child in force: they are not selectable, their children are more precise."""
    parents = (_parent(code, known) for code, cn in known.items() if cn.in_force)
    return {parent.code for parent in parents if parent is not None}


def _selectable(cn: CnCode, with_children: set[str]) -> bool:
    return cn.in_force and cn.level >= 6 and cn.code not in with_children


def _create_by_level(created: list[CnCode], known: dict[str, CnCode], with_children: set[str]) -> None:
    """Insert chapters, then headings, subheadings and subdivisions, each with its parent already known, its path
    and search text: new rows need no update afterwards."""
    for level in LEVELS:
        batch = [cn for cn in created if cn.level == level]
        for cn in batch:
            parent = _parent(cn.code, known)
            cn.parent_id = parent.pk if parent is not None else None
            cn.selectable = _selectable(cn, with_children)
            _set_path(cn, known)
        CnCode.objects.bulk_create(batch, batch_size=BATCH)
        if any(cn.pk is None for cn in batch):  # databases that do not return ids from bulk inserts
            ids = dict(CnCode.objects.filter(level=level).values_list("code", "id"))
            for cn in batch:
                cn.pk = ids[cn.code]


def _apply_entries(
    entries: dict[str, Entry], known: dict[str, CnCode], result: LoadResult
) -> tuple[list[CnCode], set[str]]:
    """New codes (not saved yet) and the codes whose data changed."""
    created: list[CnCode] = []
    changed: set[str] = set()
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
            for k, v in new.items():
                setattr(cn, k, v)
            changed.add(code)
            result.updated += 1
    result.created = len(created)
    return created, changed


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


def _apply_paths(known: dict[str, CnCode]) -> set[str]:
    """Paths and search texts from the codes' ancestors as loaded now; the codes whose texts changed."""
    changed: set[str] = set()
    for code, cn in known.items():
        before = (cn.path_en, cn.path_fr, cn.search_en, cn.search_fr)
        _set_path(cn, known)
        if (cn.path_en, cn.path_fr, cn.search_en, cn.search_fr) != before:
            changed.add(code)
    return changed


PATH_SEPARATOR = {"en": ": ", "fr": "\u00a0: "}


def _set_path(cn: CnCode, known: dict[str, CnCode]) -> None:
    cn.path_en, cn.path_fr = path_text(cn, known, "en"), path_text(cn, known, "fr")
    cn.search_en, cn.search_fr = search_text(cn.path_en), search_text(cn.path_fr)


def path_text(cn: CnCode, known: dict[str, CnCode], language: str) -> str:
    """Heading, six-digit subheading (if loaded) and the code's own text, joined as the language writes a colon
    ("Noix de coco, … décortiquées : sans coques"); a text equal to the one before it is said once. French texts
    get the French spaces before ; : ! ? (a narrow no-break space, a no-break one before a colon)."""
    texts: list[str] = []
    for text in _path_texts(cn, known, language):
        if text and (not texts or fold(texts[-1]) != fold(text)):
            texts.append(text)
    joined = PATH_SEPARATOR[language].join(texts)
    joined = joined[:1].upper() + joined[1:]
    return french_spacing(joined) if language == "fr" else joined


def _path_texts(cn: CnCode, known: dict[str, CnCode], language: str) -> list[str]:
    """The texts from the heading to the code: heading, six-digit subheading and the code's own text as loaded,
    with the nomenclature's lines between the heading and the code (its dash lines: "Cashew nuts") for a code it
    has; the heading's and the code's texts stay those loaded (an EU yearly file, an edit)."""
    ancestors = [known.get(cn.code[:n]) for n in (4, 6) if n < cn.level]
    nodes = [node for node in [*ancestors, cn] if node is not None and (node.in_force or not cn.in_force)]
    texts = [
        (node.description_fr or node.description_en) if language == "fr" else node.description_en for node in nodes
    ]
    official = nomenclature_paths().get(cn.code) if cn.level == 8 else None
    if official is None or len(texts) < 2 or nodes[0].level != 4:
        return texts
    english, french = official
    between = list((french if language == "fr" else english)[1:-1])
    if language == "fr" and not cn.description_fr:  # no French text loaded: the lines between say it in English
        between = list(english[1:-1])
    return [texts[0], *between, texts[-1]]


def french_spacing(text: str) -> str:
    """'café; coques' -> 'café\u202f; coques', 'a: b' -> 'a\u00a0: b' (French typography, spaces that never break)."""
    return re.sub(r"[ \u00a0\u202f]*([;!?:])(?=\s|$)", lambda m: ("\u00a0" if m[1] == ":" else "\u202f") + m[1], text)


def load_base(year: int | None = None) -> LoadResult:
    """The CN shipped for `year` (the one in force today by default): what `manage.py load_cn`, the demo and the
    tests load. Codes not in it are taken out of force."""
    return load(shipped_entries(year or current_year()))


@transaction.atomic
def refresh_paths() -> int:
    """Recompute every code's path and search texts from the descriptions as stored (after an edit in the
    admin); how many codes changed."""
    known = {cn.code: cn for cn in CnCode.objects.all()}
    changed = _apply_paths(known)
    fields = ["path_en", "path_fr", "search_en", "search_fr"]
    CnCode.objects.bulk_update([known[c] for c in sorted(changed)], fields, batch_size=BATCH)
    return len(changed)


def load_codes(*codes: str, year: int | None = None) -> dict[str, CnCode]:
    """Only these codes of the shipped CN, with their chapter, heading and subheading, nothing retired: for test
    factories that need a few real codes fast. KeyError for a code the shipped CN does not have."""
    entries = shipped_entries(year or current_year())
    wanted = [normalise_code(code) for code in codes]
    for code in wanted:
        entries[code]  # noqa: B018 - a code written from memory fails here
    # Each code's own entry and its ancestors' (chapter, heading, subheading...): the entries whose code begins it.
    subset = {w[:n]: entries[w[:n]] for w in wanted for n in range(1, len(w) + 1) if w[:n] in entries}
    load(subset, retire_missing=False)
    return {cn.code: cn for cn in CnCode.objects.filter(code__in=wanted)}


def load_base_if_empty() -> LoadResult | None:
    """For the demo: load the nomenclature unless some is loaded already (perhaps a full yearly CN)."""
    return None if CnCode.objects.filter(in_force=True).exclude(search_fr="").exists() else load_base()


# The official layout -------------------------------------------------------------------------------------------

CODE_COLUMNS = ("cn code", "cn_code", "code", "cn8", "goods code", "goods_code")
EN_COLUMNS = ("description en", "description_en", "name_en", "self-explanatory text en", "description (en)", "en")
FR_COLUMNS = ("description fr", "description_fr", "name_fr", "self-explanatory text fr", "description (fr)", "fr")


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
            entries[code] = Entry(code, en, fr)
    return entries


def _official_code(value: str) -> str:
    """'0801 32 00' -> '08013200'; TARIC ten digits ending in 00 -> eight; anything else (sections) -> ''."""
    code = normalise_code(value)
    if len(code) == 10 and code.endswith("00"):
        code = code[:8]
    return code if code.isdigit() and len(code) in LEVELS else ""


def load_official(path: Path) -> LoadResult:
    """A yearly CN file: updates in place, takes codes it no longer has out of force."""
    return load(official_entries(path), retire_missing=True)
