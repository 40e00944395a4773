from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.models import Notice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path, settings: object) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def test_it_restores_people_records_and_files(tmp_path: Path, media: Path) -> None:
    person = UserFactory(email="keep@example.org")
    Notice.objects.create(user=person, text="kept")
    name = default_storage.save("documents/invoice.pdf", ContentFile(b"%PDF-1.4 test"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    (media / name).unlink()
    assert not User.objects.exists()

    call_command("restore", str(archive))
    restored = User.objects.get(email="keep@example.org")
    assert restored.check_password("correct-horse-battery")
    assert Notice.objects.get(user=restored).text == "kept"
    assert (media / name).read_bytes() == b"%PDF-1.4 test"


def test_it_refuses_to_restore_over_data(tmp_path: Path, media: Path) -> None:
    UserFactory()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_it_restores_every_coi_with_its_lines_and_documents(tmp_path: Path, media: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certificates.models import Certificate, CommodityLine, Document
    from certificates.services import add_document
    from certificates.statuses import COIStatus
    from certificates.tests.conftest import build_world
    from certificates.tests.workflow_world import make_flow
    from core.tests.security_world import DOCUMENT_FIELDS, PDF

    flow = make_flow(build_world())
    cois = [flow.coi(COIStatus.DRAFT), flow.coi(COIStatus.CONSIGNMENT_VERIFIED)]
    upload = SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")
    document = add_document(flow.w.person(flow.w.importer), cois[0].pk, DOCUMENT_FIELDS, upload)
    expected = {
        c.pk: (c.number, c.status, list(CommodityLine.objects.filter(commodity__certificate=c).values_list("lot_number", "packages", "net_weight").order_by("pk")))
        for c in Certificate.objects.all()
    }  # fmt: skip
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    (media / document.file.name).unlink()
    assert not Certificate.objects.exists()

    call_command("restore", str(archive))
    restored = {
        c.pk: (c.number, c.status, list(CommodityLine.objects.filter(commodity__certificate=c).values_list("lot_number", "packages", "net_weight").order_by("pk")))
        for c in Certificate.objects.all()
    }  # fmt: skip
    assert restored == expected and len(restored) >= 2
    assert Certificate.objects.get(pk=cois[1].pk).history.count() > 1
    kept = Document.objects.get(pk=document.pk)
    assert kept.certificate_id == cois[0].pk and kept.file.read() == PDF


def test_it_restores_no_document_row_when_the_store_does_not_take_its_files(tmp_path: Path, media: Path) -> None:
    """The files are restored before the rows that name them: a store failing midway leaves no row naming a
    file it does not hold (issue 26). Here the store cannot write under `coi-documents/` (a file stands there)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certificates.models import Document
    from certificates.services import add_document
    from certificates.tests.conftest import build_world
    from core.tests.security_world import DOCUMENT_FIELDS, PDF

    w = build_world()
    draft = w.draft("importer")
    upload = SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")
    document = add_document(w.person(w.importer), draft.pk, DOCUMENT_FIELDS, upload)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    folder = media / document.file.name.split("/", 1)[0]
    for old in folder.iterdir():
        old.unlink()
    folder.rmdir()
    folder.write_bytes(b"not a folder")  # the store refuses every file of that folder

    with pytest.raises(CommandError, match="nothing was restored to the database"):
        call_command("restore", str(archive))
    assert not Document.objects.exists() and not User.objects.exists()
