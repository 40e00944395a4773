"""The COI's PDF: boxes 1-21 read back from the file, the reader's language, the QR link and the seal."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.outputs.pdf import render_pdf
from certificates.outputs.seal import check_seal
from certificates.outputs.trial_pki import TrialPki
from certificates.outputs.verification import public_token
from certificates.statuses import COIStatus
from certificates.workflow_records import Signature
from directory.tests.factories import ControlBodyFactory, OperatorFactory


@pytest.fixture
def seal_files(pki_seal: TrialPki) -> TrialPki:
    """The seal of the trial PKI: key in SoftHSM2, timestamped, validation data embedded (B-LT)."""
    return pki_seal


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def signed_18(world: Any) -> Certificate:
    """Box 18 as the workflow records it (its own tests cover how it gets there)."""
    coi = world.submitted()
    Signature.objects.create(
        certificate=coi, box="18", signer=world.control_body, signer_name="Élodie Certif",
        organisation="ECOCERT SA (MA-BIO-154)", place="Agadir", declaration="We declare the consignment organic.",
    )  # fmt: skip
    Certificate.objects.filter(pk=coi.pk).update(status=COIStatus.ISSUING_BODY_SIGNED)
    return coi


def test_it_prints_every_box_in_order_and_reads_back(world: Any, seal_files: Path) -> None:
    coi = world.submitted()
    text = text_of(render_pdf(coi.pk, "en").content)
    assert coi.number in text
    assert "Description completed" in text
    for name in (
        "ECOCERT SA",
        "MA-BIO-154",
        "Atlas Organic",
        "ACME Bio Imports FR",
        "ACME Bio Foods FR",
        "Souss Cashew Farm",
        "0801 32 00",
        "LOT-A",
        "LOT-B",
        "CSQU3054383",
        "SEAL-001",
        "MSC Agadir",
    ):
        assert name in text, name  # fmt: skip
    boxes = [int(n) for n in re.findall(r"^(\d{1,2})\.", text, re.MULTILINE)]
    assert boxes == list(range(1, 22))


@pytest.fixture
def late_in_the_run() -> None:
    """The factories as a long run leaves them (requested before `world`): a hundred thousand operators and bodies
    made by the tests before this one. Counters only go up, so no later test meets a value made again."""
    OperatorFactory.reset_sequence(100_000)
    ControlBodyFactory.reset_sequence(100_000)


def test_it_prints_the_parties_as_it_does_whatever_ran_before(
    late_in_the_run: None, world: Any, seal_files: Path
) -> None:
    text = text_of(render_pdf(world.submitted().pk, "en").content)
    for name in ("Atlas Organic", "ACME Bio Imports FR", "ACME Bio Foods FR", "Souss Cashew Farm"):
        assert name in text, name


def test_it_speaks_the_readers_language(world: Any, seal_files: Path) -> None:
    coi = world.submitted()
    assert "Exporter" in text_of(render_pdf(coi.pk, "en").content)
    assert "Exportateur" in text_of(render_pdf(coi.pk, "fr").content)


def test_it_prints_the_verification_link_on_every_page(world: Any, seal_files: Path) -> None:
    lines = [
        {"trade_name": f"Cashew W{n}", "lot_number": f"LOT-{n}", "packages": 1, "packaging_type": "CT",
         "net_weight": "10", "net_weight_unit": "kg", "producer": world.farm.pk}
        for n in range(90)
    ]  # fmt: skip
    coi = world.submitted(commodities=[{"cn_code": "08013200", "lines": lines}], gross_weight="2000")
    reader = PdfReader(io.BytesIO(render_pdf(coi.pk, "en").content))
    assert len(reader.pages) >= 3  # box 13 runs over several pages
    token = public_token(coi)
    for page in reader.pages:
        assert token in page.extract_text().replace("\n", "")
    assert "LOT-89" in text_of(render_pdf(coi.pk, "en").content)


def test_it_does_not_seal_before_box_18_is_signed(world: Any, seal_files: Path) -> None:
    document = render_pdf(world.submitted().pk, "en")
    assert not document.sealed
    assert not check_seal(document.content).sealed


def test_it_seals_once_box_18_is_signed(world: Any, seal_files: Path) -> None:
    document = render_pdf(signed_18(world).pk, "en")
    assert document.sealed
    check = check_seal(document.content)
    assert check.sealed and check.intact and check.trusted
    assert check.valid and check.timestamped and check.revocation_ok  # PAdES B-LT
    assert "OpenCOI trial seal" in check.signer
    text = text_of(document.content)
    for shown in ("Élodie Certif", "ECOCERT SA (MA-BIO-154)", "Agadir", "We declare the consignment organic."):
        assert shown in text, shown


def test_it_shows_a_changed_byte_breaks_the_seal(world: Any, seal_files: Path) -> None:
    coi = signed_18(world)
    sealed = bytearray(render_pdf(coi.pk, "en").content)
    # Change one byte inside the signed content (the first page's objects), not in the signature itself.
    position = sealed.index(b"/Type /Page") + 2
    sealed[position] ^= 0x01
    assert not check_seal(bytes(sealed)).intact


def test_it_seals_every_later_version_with_its_own_version(world: Any, seal_files: Path) -> None:
    coi = signed_18(world)
    first = check_seal(render_pdf(coi.pk, "en").content)
    Signature.objects.create(
        certificate=coi, box="20", signer=world.border_agent, signer_name="Bruno Douane", organisation="Douane",
        place="Le Havre", declaration="Checked.",
    )  # fmt: skip
    Certificate.objects.filter(pk=coi.pk).update(status=COIStatus.CONSIGNMENT_VERIFIED)
    later = check_seal(render_pdf(coi.pk, "en").content)
    assert first.valid and later.valid
    assert first.version != later.version


def test_the_pdf_page_is_for_the_cois_parties_only(world: Any, client: Any, seal_files: Path) -> None:
    coi = world.submitted()
    client.force_login(world.outsider_importer)
    assert client.get(f"/certificates/{coi.pk}/pdf").status_code == 404
    client.force_login(world.importer)
    response = client.get(f"/certificates/{coi.pk}/pdf?lang=fr")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Importateur" in text_of(response.content)


def test_the_pdf_page_needs_a_login(world: Any, client: Any) -> None:
    coi = world.submitted()
    assert client.get(f"/certificates/{coi.pk}/pdf").status_code == 302
