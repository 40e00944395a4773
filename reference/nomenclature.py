"""The combined nomenclature: product categories of a code, search for autocompletion, browsing level by level.

Categories (A-F, `reference.categories`) follow from the code: `categories_for` is a table of code prefixes, the
longest matching prefix wins. The loader stores the result on each `CnCode`; a code loaded with no categories
inherits its parent's (`cn_categories`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.errors import NotFound
from reference.models import CnCode

# Code prefix -> categories; the longest prefix that matches a code wins. Chapters first, then the exceptions.
CATEGORY_RULES: dict[str, str] = {
    # Live animals and unprocessed animal products.
    "01": "B", "02": "B", "0210": "D", "04": "B", "0402": "D", "0403": "D", "0404": "D", "0405": "D",
    "0406": "D", "0408": "D", "05": "B",
    # Fish, crustaceans, molluscs, seaweeds: aquaculture; dried, salted or smoked fish are processed.
    "03": "C", "0305": "D", "121221": "C", "121229": "C",
    # Plants and plant products, unprocessed.
    "06": "A", "07": "A", "08": "A", "09": "A", "10": "A", "12": "A", "13": "A", "14": "A", "2401": "A",
    "4501": "A", "5201": "A", "5301": "A", "5302": "A",
    # Vegetative propagating material and seeds for sowing.
    "0601": "F", "0602": "F", "070110": "F", "07131010": "F", "07133310": "F", "07129011": "F", "100111": "F",
    "100191": "F", "100210": "F",
    "100310": "F", "100410": "F", "100510": "F", "10061010": "F", "100710": "F", "100821": "F", "120110": "F",
    "120230": "F", "12040010": "F", "12051010": "F", "12060010": "F", "120721": "F", "12074010": "F",
    "12075010": "F", "12079920": "F", "1209": "F",
    # Processed plant products: roasted coffee, ground spices, milled and prepared products.
    "090121": "D", "090122": "D", "090190": "D", "090412": "D", "090422": "D", "090520": "D", "090620": "D",
    "090720": "D", "090812": "D", "090822": "D", "090832": "D", "090922": "D", "090932": "D", "090962": "D",
    "091012": "D", "09102090": "D", "09109190": "D", "09109939": "D", "09109999": "D", "1208": "D",
    "1302": "D", "11": "D", "15": "D", "16": "D", "17": "D", "18": "D", "1801": "A", "19": "D", "20": "D",
    "21": "D", "22": "D", "2501": "D", "3301": "D", "35": "D",
    # Feed.
    "23": "E", "1214": "E",
    # Raw hides, wool, silk: unprocessed animal products.
    "41": "B", "4301": "B", "50": "B", "51": "B",
}  # fmt: skip


def normalise_code(value: str) -> str:
    """'0801 32 00' or '0801.32.00' -> '08013200'."""
    return re.sub(r"[\s.\-]", "", value or "")


def categories_for(code: str) -> set[str]:
    """The product categories (A-F) of a CN code: 08013200 (cashew nuts) -> {'A'}; empty when out of scope."""
    code = normalise_code(code)
    for length in range(len(code), 1, -1):
        rule = CATEGORY_RULES.get(code[:length])
        if rule is not None:
            return set(rule)
    return set()


def cn_categories(codes: Iterable[str]) -> set[str]:
    """The categories of these codes as loaded, a code without its own inheriting its parent's; one query."""
    wanted = {normalise_code(c) for c in codes} - {""}
    prefixes = {c[:n] for c in wanted for n in (2, 4, 6, 8) if n <= len(c)}
    stored = dict(CnCode.objects.filter(code__in=prefixes).values_list("code", "categories"))
    found: set[str] = set()
    for code in wanted:
        for n in (8, 6, 4, 2):
            if n <= len(code) and stored.get(code[:n]):
                found |= set(stored[code[:n]])
                break
    return found


# Words too common to help a search (after lower-casing and removing accents).
STOP_WORDS = {
    "en": {"and", "the", "for", "with", "other", "not", "whether", "their", "than", "including", "nes", "nec"},
    "fr": {"les", "des", "pour", "avec", "autres", "autre", "non", "meme", "leurs", "que", "une", "aux", "dans"},
}


def fold(text: str) -> str:
    """Lower case without accents: 'Noix de cajou, décortiquées' -> 'noix de cajou, decortiquees'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_text(text: str) -> str:
    """The stored search form of a text: its words folded, one space between, one first and last.

    'Noix de coco, noix du Brésil … : sans coques' -> ' noix de coco noix du bresil ... sans coques '."""
    return f" {' '.join(re.findall(r'[a-z0-9]+', fold(text)))} "


def query_terms(query: str, language: str) -> list[str]:
    """The words of a search worth looking for, longest first, five at most: 'Café vert' -> ['cafe', 'vert']."""
    stop = STOP_WORDS.get(language, set())
    found = {w for w in re.findall(r"[a-z0-9]+", fold(query)) if len(w) >= 2 and w not in stop}
    return sorted(found, key=lambda w: (-len(w), w))[:5]


def name_match(query: str, prefix: str = "", languages: tuple[str, ...] = ("en", "fr")) -> Q:
    """A filter on codes whose path, in one of `languages`, has words starting with every word of `query`
    (accents and case ignored); `prefix` reaches the code through a relation ('cn_code__'). Nothing matches
    a query with no word worth looking for."""
    match = Q(pk__in=[])
    for language in languages:
        terms = query_terms(query, language)
        if terms:
            match |= Q(*[Q(**{f"{prefix}search_{language}__contains": f" {term}"}) for term in terms])
    return match


def _language(language: str | None) -> str:
    return "fr" if (language or translation.get_language() or "").startswith("fr") else "en"


def search_cn(query: str, language: str | None = None, limit: int = 20) -> list[CnCode]:
    """Selectable codes for an autocompletion, in code order, one query.

    By code: digits with or without spaces or dots ('0801 32', '0801.32.00') match the start of the code.
    By name, in `language` (the active language when None): every word of the query must start a word of the
    code's path (heading, subheading, leaf), accents and case ignored: 'cafe' finds 'Café', 'noix cajou' finds
    0801 32 00. The stored `search_fr`/`search_en` texts are folded already, so a plain LIKE does it on SQLite and
    PostgreSQL alike."""
    query = (query or "").strip()
    digits = normalise_code(query)
    codes = CnCode.objects.filter(selectable=True)
    if digits.isdigit():
        return list(codes.filter(code__startswith=digits[:8]).order_by("code")[:limit])
    lang = _language(language)
    terms = query_terms(query, lang)
    if not terms:
        return []
    return list(codes.filter(name_match(query, languages=(lang,))).order_by("code")[:limit])


def cn_tree(parent_code: str | None = None) -> QuerySet[CnCode]:
    """The codes one level below `parent_code` (the chapters when None), in force, in code order."""
    codes = CnCode.objects.filter(in_force=True)
    if not parent_code:
        return codes.filter(parent__isnull=True).order_by("code")
    return codes.filter(parent__code=normalise_code(parent_code)).order_by("code")


def get_cn(code: str) -> CnCode:
    """The code, with its parent; NotFound when the nomenclature has no such code."""
    cn = CnCode.objects.filter(code=normalise_code(code)).select_related("parent").first()
    if cn is None:
        raise NotFound(_("No such CN code."))
    return cn


def cn_path(cn: CnCode) -> list[CnCode]:
    """The ancestors of a code, chapter first: for breadcrumbs. One query."""
    prefixes = [cn.code[:n] for n in (2, 4, 6) if n < len(cn.code)]
    return list(CnCode.objects.filter(code__in=prefixes).order_by("code"))
