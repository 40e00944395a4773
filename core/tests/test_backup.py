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
