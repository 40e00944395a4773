"""Every text that names a box takes its number from the COI's own form (issue 23, point 3): help texts, messages,
step panels, the history, the PDF. The walk renumbers both forms' tables (each box's number plus 40, a form no
text could know by heart) and reads every page of a COI of each form in each status, as each party, in French and
in English: a box number in a text that is not one of the renumbered ones was written by hand, not asked of the
form."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from certificates.coi_forms import FORMS, CoiForm, FormCode
from certificates.outputs.verification import public_token
from certificates.statuses import COIStatus

from .test_outputs_pdf import text_of
from .workflow_world import make_flow

SHIFT = 40
MENTION = re.compile(
    r"\b(?:cases?|box(?:es)?)\s+(\d+(?:\s*(?:,|à|to|et|and|-|–)\s*\d+)*)", re.IGNORECASE
)  # "case 5", "boxes 19 to 31", "cases 14 et 15"


def renumbered(coi_form: CoiForm) -> CoiForm:
    """The form with each box's number plus 40; a signed box keeps the name its signature is recorded under."""

    def shift(boxes: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            dataclasses.replace(b, number=str(int(b.number) + SHIFT), signature=b.signature_box) if b.number else b
            for b in boxes
        )

    return dataclasses.replace(coi_form, boxes=shift(coi_form.boxes), extract_boxes=shift(coi_form.extract_boxes))


@pytest.fixture
def renumbered_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    for code in FormCode.values:
        monkeypatch.setitem(FORMS, code, renumbered(FORMS[code]))


def visible_text(page: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).replace("\u00a0", " ")


def hand_written(text: str, form: str) -> list[str]:
    """The mentions of a box whose number is not one of the renumbered form's. The boxes' titles are the Annexes'
    own words, printed as the regulation writes them (box 18's "... referred to in box 1"): not read."""
    coi_form = FORMS[form]
    for box in (*coi_form.boxes, *coi_form.extract_boxes):
        text = text.replace(str(box.title), " ")
    found = []
    for match in MENTION.finditer(text):
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        if any(n <= SHIFT for n in numbers):
            start = max(0, match.start() - 60)
            found.append(text[start : match.end() + 20])
    return found


def pages(flow: Any, form: str) -> Iterator[tuple[str, Any, str]]:
    """(what, who, URL) of every page of a COI of `form` in the statuses a desk meets, as its parties."""
    w = flow.w
    w.form = form
    parties = [w.importer, w.control_body, w.inao_agent, w.border_agent, w.consignee, w.forwarder]
    statuses = [COIStatus.DRAFT, COIStatus.DESCRIPTION_COMPLETED, COIStatus.ISSUING_BODY_SIGNED]
    statuses += (
        [COIStatus.BASIS_FOR_EXTRACT, COIStatus.RELEASED_ORGANIC, COIStatus.FIRST_CONSIGNEE_SIGNED]
        if form == FormCode.R2021_2306
        else [COIStatus.CONSIGNMENT_VERIFIED, COIStatus.BASIS_FOR_EXTRACT, COIStatus.FIRST_CONSIGNEE_SIGNED]
    )
    for status in statuses:
        coi = flow.coi(status)
        for user in parties:
            yield f"{status} page", user, f"/certificates/{coi.pk}/"
            yield f"{status} edit", user, f"/certificates/{coi.pk}/edit/"
        yield f"{status} PDF", w.importer, f"/certificates/{coi.pk}/pdf"
        yield f"{status} public", None, f"/v/{public_token(coi)}"
        if status == COIStatus.BASIS_FOR_EXTRACT:
            extract = flow.extract(coi)
            for user in parties:
                yield "extract page", user, f"/certificates/{extract.pk}/"
                yield "extract edit", user, f"/certificates/{extract.pk}/edit/"
    yield "new COI", w.importer, "/certificates/new/form/?cn=08013200"


@pytest.mark.parametrize("form", [FormCode.R2021_2306, FormCode.R1235_2008])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_names_every_box_by_its_number_on_the_coi_form(
    world: Any, renumbered_forms: None, settings: Any, form: str, language: str
) -> None:
    settings.COI_FORM_DEFAULT = form
    flow = make_flow(world)
    found: dict[str, set[str]] = {}
    for what, user, url in pages(flow, form):
        client = Client()
        if user is not None:
            user.language = language
            user.save(update_fields=["language"])
            client.force_login(user)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200:
            continue
        if response["Content-Type"].startswith("application/pdf"):
            text = re.sub(r"\s+", " ", text_of(response.content))
        else:
            text = visible_text(response.content.decode())
        with translation.override(language):
            mentions = hand_written(text, form)
        for mention in mentions:
            found.setdefault(mention, set()).add(what)
    assert found == {}, "\n".join(f"{m!r}: {sorted(w)}" for m, w in sorted(found.items()))


@pytest.mark.parametrize(("form", "boxes"), [(FormCode.R2021_2306, "8 et 10"), (FormCode.R1235_2008, "9 et 12")])
def test_it_names_the_extract_s_boxes_by_its_form_once_drafted(world: Any, form: str, boxes: str) -> None:
    """An extract of 2021/2306 has the model of 2021/2307: its point of entry in box 8, its consignee in box 10."""
    world.form = form
    base = make_flow(world).coi(COIStatus.BASIS_FOR_EXTRACT)
    line = base.commodities.first().lines.first()
    client = Client()
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    client.force_login(world.importer)
    posted = {"consignee": str(world.foods.pk), f"packages_{line.pk}": "3", f"weight_{line.pk}": "60"}
    page = client.post(f"/certificates/{base.pk}/workflow/extract/", posted, follow=True).content.decode()
    assert f"Extrait préparé : vérifiez les cases {boxes}, puis soumettez-le au visa." in html.unescape(page)
