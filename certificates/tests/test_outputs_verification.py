"""The public verification page (what a border officer sees after scanning the QR) and document downloads."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import Certificate
from certificates.outputs.verification import certificate_for_token, public_token, verification_url
from certificates.services import add_document
from certificates.statuses import COIStatus

PDF_BYTES = b"%PDF-1.4\n%test document\n"


def test_it_shows_the_status_without_login(world: Any, client: Any) -> None:
    coi = world.submitted()
    response = client.get(f"/v/{public_token(coi)}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert coi.number in page
    assert "Description completed" in page
    for shown in (
        "ECOCERT SA",
        "MA-BIO-154",
        "Atlas Organic",
        "ACME Bio Imports FR",
        "ACME Bio Foods FR",
        "0801 32 00",
    ):
        assert shown in page, shown
    assert "15,800" in page  # net weight: 9000 kg + 6.8 t


def test_it_shows_no_email_document_or_lot(world: Any, client: Any) -> None:
    for operator in (world.atlas, world.acme, world.foods, world.farm):
        operator.email = f"contact@{operator.pk}.example"
        operator.save(update_fields=["email"])
    coi = world.submitted()
    add_document(world.person(world.importer), coi.pk, {"type": "packing_list", "reference": "PL-SECRET-7",
                 "date": "2026-01-10"}, SimpleUploadedFile("pl.pdf", PDF_BYTES, content_type="application/pdf"))  # fmt: skip
    page = client.get(f"/v/{public_token(coi)}").content.decode()
    for operator in (world.atlas, world.acme, world.foods, world.farm):
        assert operator.email not in page
    for user in (world.importer, world.exporter, world.control_body):
        assert user.email not in page
    assert "PL-SECRET-7" not in page
    assert "LOT-A" not in page


def test_it_follows_the_status(world: Any, client: Any) -> None:
    coi = world.submitted()
    Certificate.objects.filter(pk=coi.pk).update(status=COIStatus.NOT_RELEASED)
    assert "Not released" in client.get(f"/v/{public_token(coi)}", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_it_speaks_french(world: Any, client: Any) -> None:
    coi = world.submitted()
    page = client.get(f"/v/{public_token(coi)}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vérification" in page and "Description terminée" in page


def test_a_wrong_or_stale_token_is_a_404(world: Any, client: Any) -> None:
    draft = world.draft()
    stale = public_token(draft)
    token = public_token(world.submitted())
    assert client.get(f"/v/{token[:-1]}{'a' if token[-1] != 'a' else 'b'}").status_code == 404
    assert client.get("/v/zz-notatoken").status_code == 404
    assert certificate_for_token(stale) is not None
    from certificates.workflow.certification import submit

    submit(world.person(world.importer), draft.pk)
    assert certificate_for_token(stale) is None  # a printed draft stops verifying once the COI has its number


def test_the_short_url_is_absolute(world: Any, settings: Any) -> None:
    settings.SITE_URL = "https://coi.example.eu"
    coi = world.submitted()
    assert verification_url(coi) == f"https://coi.example.eu/v/{public_token(coi)}"
    assert len(public_token(coi)) < 24


def test_documents_download_for_the_parties_only(world: Any, client: Any) -> None:
    coi = world.submitted()
    document = add_document(world.person(world.importer), coi.pk, {"type": "packing_list", "reference": "PL-1",
                            "date": "2026-01-10"}, SimpleUploadedFile("pl.pdf", PDF_BYTES))  # fmt: skip
    url = f"/certificates/{coi.pk}/documents/{document.pk}/"
    assert client.get(url).status_code == 302  # login first
    client.force_login(world.outsider_importer)
    assert client.get(url).status_code == 404
    client.force_login(world.control_body)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES
    other = world.submitted()
    assert client.get(f"/certificates/{other.pk}/documents/{document.pk}/").status_code == 404


# The 2021/2306 form and the 2021/2307 extract: the QR link printed on each page of the PDF leads to the public page,
# which shows the form, the status customs sees and the signed boxes of that form's table.


def _flow(world: Any) -> Any:
    from certificates.coi_forms import FormCode

    from .workflow_world import make_flow

    world.form = FormCode.R2021_2306
    return make_flow(world)


def _links_of_every_page(pdf: bytes) -> set[str]:
    """The verification link printed beside the QR code on each page (as the guides' form's PDF test reads it)."""
    import io
    import re

    from pypdf import PdfReader

    pages = [page.extract_text().replace("\n", "") for page in PdfReader(io.BytesIO(pdf)).pages]
    links = [re.findall(r"https?://testserver/v/[0-9a-z]+-[a-z2-7]{16}", text) for text in pages]
    assert len(pages) >= 2 and all(links), "a link on every page"
    return {link for found in links for link in found}


def test_it_leads_from_a_2021_2306_pdf_to_its_form_and_status(world: Any, client: Any) -> None:
    from certificates.outputs.pdf import render_pdf

    flow = _flow(world)
    coi = flow.coi(COIStatus.RELEASED_ORGANIC)
    (link,) = _links_of_every_page(render_pdf(coi.pk, "en").content)
    page = client.get(link.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert coi.number in page
    assert "into the European Union (2021/2306)" in page
    assert "<strong>To be released as organic</strong>" in page
    for box in ("Box 18: ", "Box 25: Control by the relevant competent authority", "Box 30: ", "Box 31: "):
        assert box in page, box
    assert "Box 20, competent authority" not in page and "Box 21" not in page
    page = client.get(link.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<strong>À mettre en libre pratique en tant que produit biologique</strong>" in page
    assert "Case 30 : Décision de l" in page


def test_it_leads_from_an_extract_s_pdf_to_the_extract_its_form_and_status(world: Any, client: Any) -> None:
    from certificates.outputs.pdf import render_pdf
    from certificates.workflow import extracts, release

    flow = _flow(world)
    base = flow.coi(COIStatus.BASIS_FOR_EXTRACT)
    extract = extracts.submit_extract(flow.person(world.importer), flow.extract(base, packages=10, weight="200").pk)
    agent = flow.person(world.inao_agent)
    extract = release.decide_box_30(agent, extract.pk, decision="released_non_organic", place="Le Havre")
    (link,) = _links_of_every_page(render_pdf(extract.pk, "en").content)
    page = client.get(link.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert extract.number in page and base.number in page
    assert "Extract of the certificate of inspection" in page and "extract, Reg. (EU) 2021/2307" in page
    assert "<strong>To be released as non-organic</strong>" in page
    assert "Box 12: Declaration of the relevant competent authority" in page
    assert "Box 13: Declaration of the consignee of the batch: not signed" in page
    assert "Box 30" not in page and "Box 18" not in page
    # The base's own link shows the base, "Base for extract", not the extract.
    (base_link,) = _links_of_every_page(render_pdf(base.pk, "en").content)
    assert base_link != link
    base_page = client.get(base_link.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>Basis for extract</strong>" in base_page and "(2021/2306)" in base_page
