from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from certificates.outputs.seal import check_seal, generate_self_signed, seal_pdf


@pytest.fixture
def seal_files(tmp_path: Path, settings: object) -> Path:
    key, cert = tmp_path / "seal.key", tmp_path / "seal.crt"
    generate_self_signed(key, cert, common_name="OpenCOI test seal")
    settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE = key, cert  # type: ignore[attr-defined]
    return cert


def _pdf() -> bytes:
    return HTML(string="<h1>Certificate of inspection</h1><p>COI.EU.MA.2026.0000001</p>").write_pdf()


def test_it_seals_a_pdf_that_a_reader_finds_intact(seal_files: Path) -> None:
    sealed = seal_pdf(_pdf(), reason="COI.EU.MA.2026.0000001")
    check = check_seal(sealed)
    assert check.sealed and check.intact and check.trusted
    assert "OpenCOI test seal" in check.signer


def test_it_shows_a_changed_byte_breaks_the_seal(seal_files: Path) -> None:
    sealed = bytearray(seal_pdf(_pdf(), reason="test"))
    position = sealed.index(b"COI.EU.MA") if b"COI.EU.MA" in sealed else len(sealed) // 3
    sealed[position] ^= 0x01
    assert not check_seal(bytes(sealed)).intact


def test_it_tells_an_unsealed_pdf(seal_files: Path) -> None:
    check = check_seal(_pdf())
    assert not check.sealed and not check.intact
