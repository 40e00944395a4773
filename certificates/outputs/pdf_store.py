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

from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.crypto import salted_hmac
from django_tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend

from certificates import page_cache
from certificates.models import Certificate
from certificates.outputs.pdf import CoiPdf, render_pdf
from certificates.outputs.seal import seal_configured
from certificates.outputs.signed_boxes import box18_signed
from certificates.workflow_records import HistoryEntry

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
    """The PDF of this version of the COI, from the store, rendered and kept when missing."""
    name = _name(coi, language)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as f:
            content = f.read()
        return CoiPdf(content=content, filename=_filename(coi), sealed=box18_signed(coi) and seal_configured())
    document = render_pdf(coi.pk, language)
    _replace(coi, name, document.content)
    return document


def _replace(coi: Certificate, name: str, content: bytes) -> None:
    folder = _folder(coi.pk)
    language = name.rsplit("/", 1)[1].split("-", 1)[0]
    for old in files(folder):
        if old.startswith(f"{language}-") and f"{folder}/{old}" != name:
            default_storage.delete(f"{folder}/{old}")
    if default_storage.exists(name):
        # Rendered meanwhile by another process (the task worker, another app server): same version, same file.
        return
    default_storage.save(name, ContentFile(content))


def files(folder: str) -> list[str]:
    """The files of a folder of the store; none when it does not exist (an object store has no folders to test
    for, only names sharing a prefix)."""
    try:
        return list(default_storage.listdir(folder)[1])
    except FileNotFoundError:
        return []


@task()
def prerender(coi_id: int) -> int:
    """Render and keep the PDFs of a COI's current version in both languages, and its page's shared parts
    (`certificates.page_cache`), so that the first print and the first view after a step are reads (run by the
    task worker)."""
    coi = Certificate.objects.filter(pk=coi_id).first()
    if coi is None:
        return 0
    for language in LANGUAGES:
        stored_pdf(coi, language)
    page_cache.warm(coi_id)
    return len(LANGUAGES)


def prerender_later(coi_id: int) -> None:
    if settings.PDF_PRERENDER:
        prerender.enqueue(coi_id)


def _queued_with_the_step() -> bool:
    """Whether the queue keeps its tasks in the database the steps write to (so in their transaction)."""
    return isinstance(task_backends[prerender.backend], DatabaseBackend)


@receiver(post_save, sender=HistoryEntry, dispatch_uid="prerender_after_step")
def prerender_after_step(sender: Any, instance: HistoryEntry, created: bool, **kwargs: Any) -> None:
    """A new history entry is a new version of the COI: its PDFs are rendered after the step (queued in the
    step's transaction with the database queue, once it is committed with another)."""
    if not created:
        return
    if _queued_with_the_step():
        prerender_later(instance.certificate_id)
    else:
        transaction.on_commit(partial(prerender_later, instance.certificate_id))
