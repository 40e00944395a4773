"""Documents, stored PDFs and backups in an S3-compatible object store (S3_BUCKET), against a real one.

The store is moto's S3 server started on loopback for this module: the app talks to it over HTTP through
django-storages and boto3, exactly as to MinIO or AWS; nothing of the client is mocked. What is checked is
read back from the bucket through a separate boto3 client, and the app server's disk stays empty.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from certificates.models import Document
from certificates.outputs import pdf_store
from certificates.outputs.pdf_store import stored_pdf
from certificates.services import create_draft
from certificates.workflow.certification import submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCUMENT_FIELDS = {
    "type": "other",
    "reference": "INV-1",
    "date": "2025-03-01",
    "issuing_country": "MA",
    "issuer": "Atlas Organic",
    "description": "Invoice",
}
BUCKET = "opencoi-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Any:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh, empty bucket as the default storage; MEDIA_ROOT points at an empty folder that must stay so."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="eu-west-3", aws_access_key_id="opencoi",
        aws_secret_access_key="opencoi-secret",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-west-3",
                "access_key": "opencoi",
                "secret_key": "opencoi-secret",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    assert default_storage.bucket_name == BUCKET  # the settings' storage, not the disk
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client: Any, prefix: str = "") -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


def _draft(world: Any) -> Any:
    coi, _problems = create_draft(
        world.person(world.exporter), world.membership(world.exporter), world.complete_data(), form=world.form
    )
    return coi


def _upload(client: Client, coi: Any, content: bytes = PDF, name: str = "invoice.pdf") -> Document:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("certificates:add_document", args=[coi.pk]), {**DOCUMENT_FIELDS, "file": upload})
    assert response.status_code == 302
    return Document.objects.filter(certificate=coi).latest("pk")


@pytest.mark.django_db
def test_it_keeps_an_uploaded_document_in_the_bucket_and_serves_it_only_to_the_coi_s_parties(bucket, world, settings):
    coi = _draft(world)
    exporter = Client()
    exporter.force_login(world.exporter)
    document = _upload(exporter, coi)

    assert _keys(bucket, "coi-documents/") == [document.file.name]
    assert bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == PDF
    assert not Path(settings.MEDIA_ROOT).exists()

    url = reverse("certificates:download", args=[coi.pk, document.pk])
    response = exporter.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="invoice.pdf"'

    outsider = Client()
    outsider.force_login(world.outsider_importer)
    assert outsider.get(url).status_code == 404


@pytest.mark.django_db
def test_it_removes_a_removed_document_from_the_bucket(bucket, world, django_capture_on_commit_callbacks):
    coi = _draft(world)
    exporter = Client()
    exporter.force_login(world.exporter)
    document = _upload(exporter, coi)
    # The file goes once the row's deletion is committed (the test's transaction never commits: its callbacks
    # are run as a commit would run them).
    with django_capture_on_commit_callbacks(execute=True):
        response = exporter.post(reverse("certificates:remove_document", args=[coi.pk, document.pk]))
    assert response.status_code == 302
    assert _keys(bucket, "coi-documents/") == []


@pytest.mark.django_db
def test_it_stores_each_pdf_version_in_the_bucket_and_drops_the_old_one(bucket, world, monkeypatch, settings):
    coi = _draft(world)
    renders: list[str] = []
    real = pdf_store.render_pdf
    monkeypatch.setattr(pdf_store, "render_pdf", lambda pk, lang: renders.append(lang) or real(pk, lang))

    first = stored_pdf(coi, "en")
    [first_key] = _keys(bucket, f"coi-pdf/{coi.pk}/")
    assert bucket.get_object(Bucket=BUCKET, Key=first_key)["Body"].read() == first.content
    assert stored_pdf(coi, "en").content == first.content and renders == ["en"]

    submit(world.person(world.exporter), coi.pk)
    coi.refresh_from_db()
    after = stored_pdf(coi, "en")
    assert renders == ["en", "en"] and after.content != first.content
    assert _keys(bucket, f"coi-pdf/{coi.pk}/") != [first_key] and len(_keys(bucket, f"coi-pdf/{coi.pk}/")) == 1
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_and_restores_the_bucket_s_files(bucket, world, tmp_path):
    from accounts.models import User

    coi = _draft(world)
    exporter = Client()
    exporter.force_login(world.exporter)
    document = _upload(exporter, coi, content=PDF + b"% backup me\n")
    stored_pdf(coi, "fr")
    before = {key: bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in _keys(bucket)}
    assert len(before) == 2
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    for key in before:
        bucket.delete_object(Bucket=BUCKET, Key=key)
    assert not User.objects.exists() and _keys(bucket) == []

    call_command("restore", str(archive))
    assert {key: bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in _keys(bucket)} == before
    exporter = Client()
    exporter.force_login(User.objects.get(pk=world.exporter.pk))
    response = exporter.get(reverse("certificates:download", args=[coi.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF + b"% backup me\n"
