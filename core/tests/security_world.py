"""The people and COIs the security checks and fuzzing share: the certificates' test world (ACME's importer,
an outsider importer of another company, ECOCERT's agent, INAO, ...) with a COI in a few statuses, a
document, personal API tokens, and a suspended member. Built once per module where the checks only read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import ApiToken
from certificates.models import Certificate, Document
from certificates.services import add_document
from certificates.statuses import COIStatus
from certificates.tests.conftest import build_world
from certificates.tests.factories import member_of
from certificates.tests.workflow_world import Flow, make_flow
from directory.models import Membership, Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCUMENT_FIELDS = {
    "type": "other",
    "reference": "INV-1",
    "date": "2025-03-01",
    "issuing_country": "MA",
    "issuer": "Atlas Organic",
    "description": "Invoice",
}


@dataclass
class Scene:
    flow: Flow
    draft: Certificate
    submitted: Certificate
    verified: Certificate
    document: Document
    importer_token: str
    outsider_token: str
    suspended: Any  # a person of ACME whose membership was suspended
    suspended_token: str

    @property
    def w(self) -> Any:
        return self.flow.w


@contextmanager
def rolled_back() -> Iterator[None]:
    """Data made for a whole module, undone after it (the tests inside nest their own transactions)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def build_scene() -> Scene:
    flow = make_flow(build_world())
    w = flow.w
    draft = flow.coi(COIStatus.DRAFT)
    submitted = flow.coi(COIStatus.DESCRIPTION_COMPLETED)
    verified = flow.coi(COIStatus.CONSIGNMENT_VERIFIED)
    upload = SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")
    document = add_document(w.person(w.importer), draft.pk, DOCUMENT_FIELDS, upload)
    suspended = member_of(w.acme, email="suspended@acme-bio.example")
    return Scene(
        flow=flow,
        draft=draft,
        submitted=submitted,
        verified=verified,
        document=document,
        importer_token=ApiToken.issue(w.importer, "fuzz")[1],
        outsider_token=ApiToken.issue(w.outsider_importer, "fuzz")[1],
        suspended=suspended,
        suspended_token=ApiToken.issue(suspended, "fuzz")[1],
    )


def suspend(user: Any) -> None:
    Membership.objects.filter(user=user).update(status=Status.SUSPENDED)
