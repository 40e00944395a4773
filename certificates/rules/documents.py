"""Rules of the accompanying documents (guide 000, 3.1: "à tout moment des étapes du COI"): their mandatory
fields, what an uploaded file may be, and what removing one after submission does."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from certificates.models import Certificate, Document
from certificates.rules.problems import NOTHING, FieldProblems, Given, Rule, add
from reference.lists import DOCUMENT_FIELD_LABELS, mandatory_fields


class DocumentFieldsGiven(Rule):
    """Accompanying documents: each one in force (not withdrawn) has the mandatory fields of its type (at
    "documents": no box holds them)."""

    def check(self, coi: Certificate, given: Given = NOTHING) -> FieldProblems:
        problems: FieldProblems = {}
        for document in coi.documents.all():
            if document.withdrawn_at is not None:
                continue
            for field in mandatory_fields(document.type):
                if not getattr(document, field):
                    add(
                        problems,
                        "documents",
                        _("%(doc)s: “%(field)s” missing.") % {"doc": document, "field": DOCUMENT_FIELD_LABELS[field]},
                    )
        return problems


class DocumentsKept:
    """Once the COI is submitted, an accompanying document is never silently removed: "removing" it withdraws
    it, and the withdrawn version stays on the COI, downloadable by its parties, with who withdrew it and when
    in the history (issue 11, rule 9). Only a draft's documents are deleted for good."""

    @staticmethod
    def deleted_for_good(coi: Certificate) -> bool:
        return coi.is_draft

    @staticmethod
    def refusal(document: Document) -> str | None:
        if document.withdrawn_at is not None:
            return _("This document has already been withdrawn.")
        return None


# Uploaded files --------------------------------------------------------------------------------------

MAGIC: dict[bytes, str] = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff(head: bytes) -> str | None:
    """Accompanying documents are PDF, PNG or JPEG, recognised by their first bytes, never by their name."""
    for magic, content_type in MAGIC.items():
        if head.startswith(magic):
            return content_type
    return None


def upload_refusal(size: int, head: bytes) -> str | None:
    """An uploaded file is a PDF, PNG or JPEG (checked by content) of at most MAX_UPLOAD_MB megabytes."""
    if size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        return _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
    if size == 0 or sniff(head) is None:
        return _("The file must be a PDF, PNG or JPEG document.")
    return None
