"""The COI page's parts that change only when the COI changes, rendered once per version and language.

A COI is read far more often than it changes (exporter, importer, control body, authorities, forwarder,
consignee, each many times per step). Its boxes, documents, checks and signatures and its timeline are the
same for every party: they are rendered once per *version* of the COI and per language, kept in the shared
cache (`CACHES["default"]`: the database table by default, Redis or memcached for many servers,
docs/deploy.md) and pasted into each person's page; so are the rows of the list. What depends on the person
(their roles, the steps they may take, the relatives they may see, the documents' edit buttons) is rendered
on each request and stays small.

The version is read with the COI's row itself (one query): its last change (`updated_at`, moved by every box
edit), its status, its last history entry (written by every workflow step, checks and signatures included)
and its documents (their number and last id).
A change makes a new key, so a page can never show an old version; old keys simply expire
(`COI_PAGE_CACHE_SECONDS`, which also bounds how long a renamed operator keeps its old name on a cached page).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from certificates.coi_forms import form_of
from certificates.models import Certificate, Commodity, Document
from certificates.outputs import box_rows as render_boxes
from certificates.queries import detail_queryset
from certificates.workflow_records import HistoryEntry
from core.compiled import CompiledQuery

# The templates rendered into the cache: their text is part of the key, so a new release never shows parts
# rendered by the previous one.
TEMPLATES = {
    # The heading (number and status), when it was created and submitted, the links to its PDF and XML.
    "title": "certificates/_page_title.html",
    "dates": "certificates/_page_dates.html",
    "outputs": "certificates/outputs/_coi_links.html",
    "boxes": "certificates/_boxes.html",
    # The documents as a reader sees them (no edit buttons): people who may edit get theirs rendered live.
    "documents": "certificates/_documents.html",
    "signatures": "certificates/_workflow_signatures.html",
    "history": "certificates/_workflow_history.html",
}
ROW_TEMPLATE = "certificates/_list_row.html"
_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
RELEASE = hashlib.sha256(
    b"".join((_TEMPLATE_DIR / name).read_bytes() for name in [*TEMPLATES.values(), ROW_TEMPLATE])
).hexdigest()[:12]


def with_version(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """The COIs with what their page needs to know their version, in the same query: their last history entry
    (`last_step`), their documents (`documents_seen`: how many × 10^12 + the last id: a document is added or
    removed without a step, ids only grow, so any change moves it), and whether other COIs name them
    (`named_by_others`: extracts, a replacement)."""
    last_step = HistoryEntry.objects.filter(certificate=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    documents = (
        Document.objects.filter(certificate=OuterRef("pk"))
        .order_by()
        .values("certificate")
        .annotate(seen=Count("pk") * 10**12 + Max("pk"))
        .values("seen")
    )
    return queryset.annotate(
        last_step=Subquery(last_step),
        documents_seen=Subquery(documents),
        named_by_others=Exists(Certificate.objects.filter(Q(base=OuterRef("pk")) | Q(replaces=OuterRef("pk")))),
    )


_page_queryset: QuerySet[Certificate] | None = None


def page_queryset() -> QuerySet[Certificate]:
    """A COI as its page reads it before the cache: the row, its point of entry (roles) and its version.

    Built once per process (never evaluated here; each caller's `.filter()` works on a copy): building the
    version's subqueries costs more than running them."""
    global _page_queryset
    if _page_queryset is None:
        _page_queryset = with_version(Certificate.objects.select_related("point_of_entry"))
    return _page_queryset.all()


# The COI page's first query, run on every page: its SQL (with the version's three subqueries) is built once per
# process (core.compiled); the row is read on every request.
_page_row = CompiledQuery(lambda pk: page_queryset().filter(pk=pk))


def page_row(pk: int) -> Certificate | None:
    """The COI as `page_queryset` reads it (its row, point of entry and version), or None if there is none."""
    found = _page_row(pk)
    return found[0] if found else None


def key(coi: Certificate, language: str) -> str:
    """The cache key of one version of a COI's shared parts in one language.

    `coi` must come from `with_version` (its `last_step`); raises AttributeError otherwise.
    """
    version = "|".join(
        str(v)
        for v in (coi.updated_at.isoformat(), coi.status, coi.last_step, coi.documents_seen)  # type: ignore[attr-defined]
    )
    digest = hashlib.sha256(version.encode()).hexdigest()[:16]
    return f"coi-page:{RELEASE}:{coi.pk}:{language}:{digest}"


def shared_parts(coi: Certificate) -> dict[str, SafeString]:
    """The heading, dates and output links, the boxes, the documents (as a reader sees them), the checks and
    signatures, and the timeline of this version of the COI, as HTML in the active language ({"title": ...,
    "dates": ..., "outputs": ..., "boxes": ..., "documents": ..., "signatures": ..., "history": ...}): from the
    cache, or rendered from the database (in a fixed number of queries) and kept."""
    if not hasattr(coi, "last_step"):
        coi = page_queryset().get(pk=coi.pk)
    language = get_language() or settings.LANGUAGE_CODE
    cache_key = key(coi, language)
    parts = cache.get(cache_key)
    if parts is None:
        parts = render_parts(coi.pk)
        cache.set(cache_key, parts, settings.COI_PAGE_CACHE_SECONDS)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 (our own templates' output)


def render_parts(pk: int) -> dict[str, str]:
    full = detail_queryset().prefetch_related("signatures", "irregularities", "history").select_related("checks")
    coi = full.get(pk=pk)
    # Every box under its number and title from the COI's form's table, with the warnings at it (box 17's and box
    # 20's depend on the COI alone), as its PDF prints them.
    warnings = render_boxes.box_warnings(coi)
    rows = render_boxes.with_warnings(coi, render_boxes.rows(coi), warnings)
    context: dict[str, Any] = {
        "coi": coi,
        "form": form_of(coi),
        "form_title": form_of(coi).title_for(coi),
        "rows": rows,
        "signatures": list(coi.signatures.all()),
        "irregularities": list(coi.irregularities.all()),
        "checks": getattr(coi, "checks", None),
        "history": sorted(coi.history.all(), key=lambda e: (e.at, e.pk)),
        "documents": list(coi.documents.all()),
        "warnings": warnings,
    }
    return {name: render_to_string(template, context) for name, template in TEMPLATES.items()}


def list_rows(cois: Iterable[Certificate]) -> list[SafeString]:
    """The list's rows, each rendered once per version of its COI (last change and status) and language.

    `cois` need their exporter, importer and control body code joined; their products (box 13's CN codes) are
    read, in one query, only for the rows not found in the cache.
    """
    if isinstance(cois, QuerySet):
        cois = cois.prefetch_related(None)  # the page's query without its products: read below, for misses only
    cois = list(cois)
    language = get_language() or settings.LANGUAGE_CODE
    keys = {coi.pk: f"coi-row:{RELEASE}:{coi.pk}:{language}:{coi.updated_at.isoformat()}:{coi.status}" for coi in cois}
    found = cache.get_many(list(keys.values()))
    missing = [coi for coi in cois if keys[coi.pk] not in found]
    if missing:
        prefetch_related_objects(missing, Prefetch("commodities", Commodity.objects.select_related("cn_code")))
        rendered = {keys[coi.pk]: render_to_string(ROW_TEMPLATE, {"coi": coi}) for coi in missing}
        cache.set_many(rendered, settings.COI_PAGE_CACHE_SECONDS)
        found.update(rendered)
    return [mark_safe(found[keys[coi.pk]]) for coi in cois]  # noqa: S308 (our own template's output)


def warm(coi_id: int) -> None:
    """Render and keep the current version's page parts and list row in every language (run by the task worker
    after a step), so that the first page, list or search after a change reads them instead of rendering them."""
    coi = page_queryset().filter(pk=coi_id).first()
    if coi is None:
        return
    row = list(Certificate.objects.select_related("exporter", "importer", "control_body_code").filter(pk=coi_id))
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            shared_parts(coi)
            list_rows(row)
