"""The edit page of each form draws its boxes from the form's one box table (`certificates/coi_forms/`): each
box the reader may edit under its number and its title in the reader's language, holding that box's fields."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from certificates.access import roles_on
from certificates.coi_forms import FORMS, FormCode
from certificates.rules import boxes_open_to
from certificates.statuses import COIStatus

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(world):
    return make_flow(world)


def sections(page: str) -> dict[str, str]:
    """Section id ("box-5") -> its HTML, for the edit page's box sections."""
    parts = re.split(r'<section class="card box" id="(box-[^"]+)">', page)
    return {parts[i]: parts[i + 1].split("</section>")[0] for i in range(1, len(parts), 2)}


def heading(section: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", section.split("<h2>")[1].split("</h2>")[0]).strip())


def edit_page(user, coi, language: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    user.language = language
    user.save(update_fields=["language"])
    response = client.get(f"/certificates/{coi.pk}/edit/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return sections(response.content.decode())


def expected_headings(form_code: str, keys: set[str], language: str) -> dict[str, str]:
    """The heading each editable box should have, read from the table (boxes shown beside another: in its section)."""
    with translation.override(language):
        out = {}
        for box in FORMS[form_code].boxes:
            if box.key in keys and not box.signed:
                title = str(box.title)
                out[box.key] = (
                    gettext("Box %(n)s: %(title)s") % {"n": box.number, "title": title} if box.number else title
                )
        return out


CASES = [
    (FormCode.R1235_2008, COIStatus.DRAFT, "importer"),
    (FormCode.R2021_2306, COIStatus.DRAFT, "importer"),
    (FormCode.R2021_2306, COIStatus.ISSUING_BODY_SIGNED, "importer"),  # boxes 19-24, completed in the Union
    (FormCode.R2021_2306, COIStatus.ISSUING_BODY_SIGNED, "inao_agent"),  # boxes 26-29, the authority's
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("form_code", "status", "reader"), CASES)
def test_it_shows_each_box_the_reader_may_edit_under_its_number_and_title(flow, form_code, status, reader, language):
    flow.w.form = form_code
    coi = flow.coi(status)
    user = getattr(flow.w, reader)
    editable = boxes_open_to(coi, roles_on(flow.person(user), coi))
    assert editable
    page = edit_page(user, coi, language)
    headings = " · ".join(heading(s) for s in page.values())
    for key, expected in expected_headings(form_code, editable, language).items():
        assert expected in headings, (key, expected)


@pytest.mark.parametrize(
    ("form_code", "language", "box", "title", "field"),
    [
        (FormCode.R1235_2008, "en", "box-4", "Box 4: Exporter", 'name="exporter_q"'),
        (FormCode.R1235_2008, "fr", "box-4", "Case 4 : Exportateur", 'name="exporter_q"'),
        (FormCode.R2021_2306, "en", "box-5", "Box 5: Exporter", 'name="exporter_q"'),
        (FormCode.R2021_2306, "fr", "box-5", "Case 5 : Exportateur", 'name="exporter_q"'),
        (FormCode.R1235_2008, "en", "box-11", "Box 11: Importer", 'name="importer_q"'),
        (FormCode.R2021_2306, "fr", "box-12", "Case 12 : Importateur", 'name="importer_q"'),
        (FormCode.R1235_2008, "fr", "box-12", "Case 12 : Premier destinataire", 'name="first_consignee_q"'),
        (
            FormCode.R2021_2306,
            "en",
            "box-24",
            "Box 24: First consignee in the European Union",
            'name="first_consignee_q"',
        ),
        (FormCode.R2021_2306, "en", "box-6", "Box 6: Operator who buys or sells", 'name="traders_q"'),
        (FormCode.R2021_2306, "en", "box-10", "Box 10: Border control post", 'name="point_of_entry_kind"'),
        (FormCode.R1235_2008, "en", "box-14", "Box 14: Container number · Box 15: Seal number", 'name="k-0-seals"'),
    ],
)
def test_it_puts_each_field_in_the_box_of_its_form(flow, form_code, language, box, title, field):
    flow.w.form = form_code
    coi = flow.coi(COIStatus.DRAFT)
    page = edit_page(flow.w.importer, coi, language)
    assert title in heading(page[box])
    assert field in page[box]
    assert all(field not in html for key, html in page.items() if key != box)


def test_it_shows_box_13_s_organic_status_and_category_on_the_2021_2306_form_only(flow):
    for form_code, asked in ((FormCode.R2021_2306, True), (FormCode.R1235_2008, False)):
        flow.w.form = form_code
        page = edit_page(flow.w.importer, flow.coi(COIStatus.DRAFT), "en")
        assert ("c-0-l-0-organic_status" in page["box-13"]) is asked
        assert ("c-0-l-0-category" in page["box-13"]) is asked
