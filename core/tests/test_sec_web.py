"""The web's own defences: CSRF on every form, secure cookies and headers (production settings included),
uploads checked by content and size. `check --deploy` and the absence of secrets in the repository are in
`core/tests/test_deploy.py`; login lockout in `accounts/tests/test_lockout.py`."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from certificates.models import Document
from core.tests.security_world import DOCUMENT_FIELDS, PDF, Scene, build_scene, rolled_back
from core.tests.urlmap import pages

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_scene()


# CSRF ------------------------------------------------------------------------------------------------------


def test_it_refuses_a_post_without_csrf_token_on_every_page(scene: Scene) -> None:
    """Logged in or not, no page accepts a form posted without the token (so no other site can post for you)."""
    wrong = []
    for user in (None, scene.w.importer):
        for page in pages():
            client = Client(enforce_csrf_checks=True)
            if user is not None:
                client.force_login(user)
            url = page.url(scene)
            status = client.post(url, {"email": "x@example.org"}).status_code
            if status != 403:
                wrong.append(f"{url} ({page.name}, {'member' if user else 'anonymous'}): {status}")
    assert wrong == []


def test_it_refuses_an_api_post_by_session_without_csrf_token(scene: Scene) -> None:
    """The API trusts a browser's session only with the token; scripts use a Bearer token instead."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.w.importer)
    response = client.post("/api/v1/certificates", "{}", content_type="application/json")
    assert response.status_code in (401, 403)
    assert (
        not Client()
        .post("/api/v1/certificates", "{}", content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
        .status_code
        < 400
    )


# Headers and cookies -------------------------------------------------------------------------------------


def test_it_sends_protective_headers_and_httponly_samesite_cookies(scene: Scene) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"login": scene.w.importer.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"].lower() in ("lax", "strict")
    page = client.get("/certificates/")
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert page.cookies.get("csrftoken") is None or page.cookies["csrftoken"]["samesite"].lower() in ("lax", "strict")


def test_it_serves_documents_as_attachments_never_as_pages(scene: Scene) -> None:
    client = Client()
    client.force_login(scene.w.importer)
    response = client.get(f"/certificates/{scene.draft.pk}/documents/{scene.document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


PRODUCTION_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({k: getattr(s, k) for k in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
    "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY")}))
"""


def _production(site_url: str) -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "opencoi.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": site_url,
        "ALLOWED_HOSTS": "coi.example.eu",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_makes_cookies_secure_and_sends_hsts_in_production_over_https() -> None:
    https = _production("https://coi.example.eu")
    assert https["DEBUG"] is False
    assert https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"] and https["SECURE_SSL_REDIRECT"]
    assert https["SECURE_HSTS_SECONDS"] >= 31536000 and https["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert https["SESSION_COOKIE_HTTPONLY"] and https["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert https["X_FRAME_OPTIONS"] == "DENY" and https["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert https["SECURE_REFERRER_POLICY"] == "same-origin"


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True, SECURE_HSTS_SECONDS=31536000)
def test_it_sets_secure_cookies_and_hsts_on_https_requests(scene: Scene) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": scene.w.importer.email, "password": "correct-horse-battery"}, secure=True
    )
    assert response.cookies["sessionid"]["secure"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# Uploads -------------------------------------------------------------------------------------------------

DISGUISED = {
    "an HTML page": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "a Windows program": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64,
    "a ZIP archive": b"PK\x03\x04" + b"\x00" * 64,
    "an empty file": b"",
}


def _upload_by_page(scene: Scene, content: bytes, name: str = "invoice.pdf") -> None:
    client = Client()
    client.force_login(scene.w.importer)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    client.post(f"/certificates/{scene.draft.pk}/documents/", {**DOCUMENT_FIELDS, "file": upload})


def _upload_by_api(scene: Scene, content: bytes, name: str = "invoice.pdf") -> int:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return (
        Client()
        .post(
            f"/api/v1/certificates/{scene.draft.pk}/documents",
            {**DOCUMENT_FIELDS, "file": upload},
            HTTP_AUTHORIZATION=f"Bearer {scene.importer_token}",
        )
        .status_code
    )


@pytest.mark.parametrize("what", DISGUISED)
def test_it_refuses_a_pdf_that_is_not_one(scene: Scene, what: str) -> None:
    before = Document.objects.count()
    _upload_by_page(scene, DISGUISED[what])
    assert _upload_by_api(scene, DISGUISED[what]) == 422
    assert Document.objects.count() == before


def test_it_refuses_a_file_above_the_size_limit(scene: Scene, settings: Any) -> None:
    settings.MAX_UPLOAD_MB = 1
    too_large = PDF + b"0" * (1024 * 1024)
    before = Document.objects.count()
    _upload_by_page(scene, too_large)
    assert _upload_by_api(scene, too_large) == 422
    assert Document.objects.count() == before
    assert _upload_by_api(scene, PDF, "small.pdf") == 201  # and a real PDF within the limit goes through
