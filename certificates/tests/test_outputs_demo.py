"""The demo's COIs have a working verification page and PDF (what a border officer scans), and the demo's
SPS XML imports back as a draft."""

from __future__ import annotations

import io
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

from accounts.models import User
from certificates.models import Certificate
from certificates.outputs import sps
from certificates.outputs.pdf import render_pdf
from certificates.outputs.seal import check_seal, generate_self_signed
from certificates.outputs.verification import public_token
from core.tests.security_world import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[list[Certificate]]:
    """The demo, loaded once for the module (undone after it): each test's own changes are undone after it."""
    folder = tmp_path_factory.mktemp("seal")
    key, cert = folder / "seal.key", folder / "seal.crt"
    generate_self_signed(key, cert, common_name="OpenCOI demo seal")
    with override_settings(SEAL_KEY_FILE=key, SEAL_CERT_FILE=cert), django_db_blocker.unblock(), rolled_back():
        with override_settings(DEBUG=True):
            call_command("demo", stdout=StringIO())
        yield list(Certificate.objects.exclude(number=None).order_by("pk"))


def test_a_border_officer_scans_a_demo_coi_and_sees_its_status(demo: list[Certificate], client: Any) -> None:
    assert demo
    for coi in demo:
        page = client.get(f"/v/{public_token(coi)}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert coi.number in page and str(coi.get_status_display()) in page


def test_every_demo_coi_prints_with_its_link_and_seals_once_signed(demo: list[Certificate]) -> None:
    for coi in demo:
        document = render_pdf(coi.pk, "fr")
        text = PdfReader(io.BytesIO(document.content)).pages[0].extract_text().replace("\n", "")
        assert public_token(coi) in text
        assert check_seal(document.content).intact == document.sealed


def test_a_second_system_imports_a_demo_coi_as_a_draft(demo: list[Certificate], client: Any) -> None:
    client.force_login(User.objects.get(email="importer@acme-bio.example"))
    coi = next(c for c in demo if c.importer and c.importer.name == "ACME Bio Imports FR")
    response = client.post("/api/v1/certificates/import", data=sps.build(coi.pk), content_type="application/xml")
    assert response.status_code == 201, response.json()
    assert response.json()["problems"] == []
    assert Certificate.objects.get(pk=response.json()["id"]).status == "draft"
