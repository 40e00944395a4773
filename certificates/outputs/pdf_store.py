"""Each version of a COI's PDF is rendered once and kept: printing it again is reading a file.

WeasyPrint needs about half a second for the form; a COI changes a handful of times in its life and is
printed far more often (importer, forwarder, border post, consignee). The stored file is named by an HMAC
(keyed by SECRET_KEY) of the COI's version (last change, status, seal), so a change makes a new file and the
old ones are removed, and no one without the key can compute a file's name.
After each workflow step (each new history entry) the task queue renders both languages ahead (`prerender`),
so even the first print after a step is a read. With the database task queue (production's) the task row is
written in the step's own transaction: committed with the step or not at all, so a server killed right after
the commit cannot lose it (issue 26); with a queue outside the database, it is enqueued once the step is
committed, never before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.crypto import salted_hmac
from django_tasks import task

from certificates import page_cache
from certificates.models import Certificate
from certificates.outputs.pdf import CoiPdf, render_pdf
from certificates.outputs.seal import seal_configured
from certificates.outputs.signed_boxes import box18_signed
from certificates.workflow_records import HistoryEntry, history_written
from core.storage import STORE_ERRORS, StoreUnavailable
from core.tasks import queue_with_the_step, retry_later

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")


ROOT = "coi-pdf"  # one folder per COI under it (manage.py seal_archive_timestamps walks them)


def _folder(coi_id: int) -> str:
    return f"{ROOT}/{coi_id}"


def _name(coi: Certificate, language: str) -> str:
    # Every step writes a history entry (checks too, which change no box): the last one names the version.
    last_step = coi.history.order_by("-pk").values_list("pk", flat=True).first()
    version = f"{coi.updated_at.isoformat()}|{last_step}|{coi.status}|{coi.number}|{seal_configured()}"
    # Keyed by the server's secret: the same version finds its file again, an outsider cannot compute the name.
    digest = salted_hmac("opencoi.pdf_store", version, algorithm="sha256").hexdigest()[:32]
    return f"{_folder(coi.pk)}/{language}-{digest}.pdf"


def _filename(coi: Certificate) -> str:
    return (coi.number or f"draft-{coi.pk}").replace(".", "-") + ".pdf"


def stored_pdf(coi: Certificate, language: str) -> CoiPdf:
    """The PDF of this version of the COI, from the store, rendered and kept when missing. When the store does
    not answer, the PDF is rendered and handed out all the same, not kept (the next print renders it again,
    and `prerender`, retried, keeps it once the store is back)."""
    name = _name(coi, language)
    try:
        content = _read(name)
    except StoreUnavailable:
        logger.warning("The store did not answer: the PDF of COI %s is rendered and not kept.", coi.pk)
        return render_pdf(coi.pk, language)
    if content is not None:
        return CoiPdf(content=content, filename=_filename(coi), sealed=box18_signed(coi) and seal_configured())
    document = render_pdf(coi.pk, language)
    try:
        _replace(coi, name, document.content)
    except StoreUnavailable:
        logger.warning("The store did not answer: the PDF of COI %s is not kept.", coi.pk)
    return document


def _read(name: str) -> bytes | None:
    """The stored file's bytes, None when there is none; `StoreUnavailable` when the store does not answer."""
    try:
        if not default_storage.exists(name):
            return None
        with default_storage.open(name, "rb") as f:
            return bytes(f.read())
    except FileNotFoundError:
        return None
    except STORE_ERRORS as error:
        raise StoreUnavailable(error) from error


def _keep(coi: Certificate, language: str) -> None:
    """Render and keep this version's PDF unless it is kept already; `StoreUnavailable` when the store does
    not answer (nothing kept)."""
    name = _name(coi, language)
    if _read(name) is None:
        _replace(coi, name, render_pdf(coi.pk, language).content)


def _replace(coi: Certificate, name: str, content: bytes) -> None:
    """Keep `content` under `name` (another process may have kept it meanwhile: same version, same file), then
    remove this language's older versions: a store that fails in between leaves an old file, never no file."""
    folder = _folder(coi.pk)
    language = name.rsplit("/", 1)[1].split("-", 1)[0]
    try:
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
        for old in files(folder):
            if old.startswith(f"{language}-") and f"{folder}/{old}" != name:
                default_storage.delete(f"{folder}/{old}")
    except STORE_ERRORS as error:
        raise StoreUnavailable(error) from error


def files(folder: str) -> list[str]:
    """The files of a folder of the store; none when it does not exist (an object store has no folders to test
    for, only names sharing a prefix)."""
    try:
        return list(default_storage.listdir(folder)[1])
    except FileNotFoundError:
        return []


@task()
def prerender(coi_id: int, *more: int, attempt: int = 0) -> int:
    """Render and keep the PDFs of the current version of COI `coi_id` (and of the COIs `more`, queued by the
    same step: a split, a replacement) in both languages, and their pages' shared parts (`certificates.page_cache`),
    so that the first print and the first view after a step are reads (run by the task worker). Returns how many
    PDFs are kept (2 per COI); while the store does not answer, the COIs not kept are queued again later
    (`core.tasks.retry_later`), so their PDFs are rendered once the store is back."""
    kept, waiting = 0, []
    cois = Certificate.objects.in_bulk([coi_id, *more])  # one query for the step's COIs (a deleted one is gone)
    for pk in dict.fromkeys((coi_id, *more)):
        if pk not in cois:
            continue
        try:
            for language in LANGUAGES:
                _keep(cois[pk], language)
        except StoreUnavailable:
            waiting.append(pk)
            continue
        page_cache.warm(pk)
        kept += len(LANGUAGES)
    if waiting and not retry_later(prerender, attempt, *waiting):
        logger.error("The PDFs of COIs %s were not kept: the store did not answer; given up.", waiting)
    return kept


class _Queued:
    """The COIs whose PDFs a transaction queued (an on-commit callback: dropped with the transaction)."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True


def _first_in_transaction(coi_id: int) -> bool:
    """Whether the running transaction has not queued this COI's PDFs yet (box 18 with its checks writes two
    history entries: one render)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return True
    queued = next((f for _sids, f, _robust in connection.run_on_commit if isinstance(f, _Queued) and not f.done), None)
    if queued is None:
        queued = _Queued()
        transaction.on_commit(queued)
    if coi_id in queued.ids:
        return False
    queued.ids.add(coi_id)
    return True


def _queue_renders(coi_ids: Iterable[int]) -> None:
    """Queue ONE render of these COIs' PDFs with the step (`queue_with_the_step`), but of those this transaction
    queued already."""
    if not settings.PDF_PRERENDER:
        return
    ids = [pk for pk in dict.fromkeys(coi_ids) if _first_in_transaction(pk)]
    if ids:
        queue_with_the_step(prerender, *ids)


@receiver(post_save, sender=HistoryEntry, dispatch_uid="prerender_after_step")
def prerender_after_step(sender: Any, instance: HistoryEntry, created: bool, **kwargs: Any) -> None:
    """A new history entry is a new version of the COI: its PDFs are rendered after the step (queued in the
    step's transaction with the database queue, once it is committed with another), once per COI and step."""
    if created:
        _queue_renders([instance.certificate_id])


@receiver(history_written, dispatch_uid="prerender_after_steps")
def prerender_after_steps(sender: Any, entries: list[HistoryEntry], **kwargs: Any) -> None:
    """History entries written together in one INSERT (`workflow.history.written_together`, which sends no
    post_save): their COIs' PDFs in one task."""
    _queue_renders(e.certificate_id for e in entries)
