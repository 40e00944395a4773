"""Numbers, dates, colons and lists as the reader's language writes them (issue 13, 4): "9 071,8 kg",
"juil. 2026", "Statut :", Égypte among the E, points of entry by name."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from certificates.coi_forms import FormCode
from certificates.models import CommodityLine
from certificates.statuses import COIStatus
from certificates.workflow.history import record_edit, snapshot
from core.collation import collation_text
from directory.models import ActivityKind, Authority, Operator, OperatorActivity
from directory.tests.factories import AuthorityFactory
from reference.countries import country_choices

from .union_part import pdf_text
from .workflow_world import make_flow

# The months as French abbreviates them (Django's French locale, Associated Press style).
FRENCH_MONTHS = ["jan.", "fév.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def reading_in(user: Any, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def test_it_writes_weights_as_the_reader_reads_them(client: Client, world: Any) -> None:
    coi = world.draft(gross_weight="16500")
    CommodityLine.objects.filter(commodity__certificate=coi, lot_number="LOT-A").update(net_weight=Decimal("9071.8"))
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert "9\u202f071,8\u00a0kg" in page and "16\u202f500\u00a0kg" in page
    reading_in(world.importer, "en")
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert "9,071.8\u00a0kg" in page and "16,500\u00a0kg" in page


def test_it_names_the_months_as_the_locale_abbreviates_them(client: Client, world: Any) -> None:
    world.submitted()
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get("/dashboard/").content.decode()
    month = timezone.localdate().replace(day=1)
    for _ in range(12):
        assert f"{FRENCH_MONTHS[month.month - 1]} {month.year}" in page
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    assert "Jui " not in page and "Jul " not in page


def test_it_puts_a_space_before_a_colon_in_french(client: Client, world: Any) -> None:
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    assert "Courriel\u00a0:" in client.get("/accounts/me/").content.decode()
    reading_in(world.importer, "en")
    assert "Email:" in client.get("/accounts/me/").content.decode()


def test_it_sorts_countries_as_a_french_reader_does(db: None) -> None:
    names = [name for _code, name in country_choices("fr")]
    assert names.index("Égypte") < names.index("Espagne") < names.index("États-Unis") < names.index("Éthiopie")
    assert names.index("Île de Man") < names.index("Îles Féroé") < names.index("Irlande") < names.index("Zimbabwe")
    assert names[-1] == "Zimbabwe"


def test_it_lists_authorities_and_points_of_entry_by_name(client: Client, world: Any) -> None:
    AuthorityFactory(name="Établissement de contrôle", country="FR", kind=Authority.Kind.COMPETENT)
    AuthorityFactory(name="Zeta Kontrolle", country="DE", kind=Authority.Kind.COMPETENT)
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get("/certificates/new/form/", {"cn": "08013200"}).content.decode()
    assert page.index(">Égypte<") < page.index(">Espagne<") < page.index(">Zimbabwe<")
    lookup = "/certificates/lookup/choices/"  # box 9's pickers (box 10 on the form in force)
    points = client.get(lookup, {"name": "point_of_entry", "point_of_entry_q": "havre"}).content.decode()
    assert "Le Havre (France, FRLEH)" in points and "FR: " not in points
    found = client.get(lookup, {"name": "validating_authority", "validating_authority_q": "FR"}).content.decode()
    assert found.index("Établissement de contrôle (France)") < found.index("INAO (France)")
    found = client.get(lookup, {"name": "validating_authority", "validating_authority_q": "ko"}).content.decode()
    assert "Zeta Kontrolle (Allemagne)" in found
    coi = world.draft()
    detail = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert "Le Havre (FRLEH)" in detail and "ECOCERT SA (France)" in detail and "(FR)" not in detail
    assert "Souss Cashew Farm (Maroc)" in detail


def test_it_offers_authorities_in_collation_order_on_the_request_form(client: Client, world: Any) -> None:
    AuthorityFactory(name="Établissement de contrôle", country="FR", kind=Authority.Kind.COMPETENT)
    AuthorityFactory(name="Zeta Kontrolle", country="DE", kind=Authority.Kind.COMPETENT)
    client.force_login(world.importer)
    page = client.get("/directory/authorities/request/").content.decode()
    assert page.index("Établissement de contrôle") < page.index("INAO") < page.index("Zeta Kontrolle")


def test_it_shows_the_history_of_coded_boxes_by_name(client: Client, world: Any) -> None:
    coi = world.submitted()
    before = snapshot(coi)
    after = {**before, "transport_mode": "airplane", "export_country": "TN", "origin_countries": ["MA", "TN"]}
    record_edit(world.person(world.control_body), coi, {"control_body"}, before, after)
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert "<td>Navire</td><td>Avion</td>" in page
    assert "<td>Maroc</td><td>Tunisie</td>" in page and "<td>Maroc, Tunisie</td>" in page


def test_it_shows_the_history_s_weights_and_lots_as_the_reader_writes_numbers(client: Client, world: Any) -> None:
    """A changed weight (box 16) and a changed lot's net weight (box 13) are kept as Python writes them
    ('16600.5'): a French reader reads them the French way, an English one the English way."""
    coi = world.submitted()
    before = snapshot(coi)
    line = {**before["commodities"][0]["lines"][0], "net_weight": Decimal("12345.5")}
    commodity = {**before["commodities"][0], "lines": [line]}
    after = {**before, "gross_weight": Decimal("16600.5"), "commodities": [commodity]}
    record_edit(world.person(world.control_body), coi, {"control_body"}, before, after)
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "<td>16\u202f600,5</td>" in history
    assert "12\u202f345,5 kg</td>" in history and "12345.5" not in history
    reading_in(world.importer, "en")
    history = client.get(f"/certificates/{coi.pk}/").content.decode()
    history = history[history.index('id="history"') :]
    assert "<td>16,600.5</td>" in history and "12,345.5 kg</td>" in history


def test_it_filters_the_list_by_a_country_named_not_coded(client: Client, world: Any) -> None:
    world.submitted()
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get("/certificates/", {"country": "MA"}).content.decode()
    assert '<option value="MA" selected>Maroc</option>' in page and "code ISO" not in page
    assert page.index(">Égypte<") < page.index(">Espagne<") < page.index(">Zimbabwe<")


def test_it_finds_an_extract_s_consignee_by_name_among_hundreds(world: Any) -> None:
    """The consignee of an extract is searched by name among every first consignee, as on the COI form: none is
    left out (a list of the first 300 left out an 'É' name among hundreds), results in collation order."""
    world.form = FormCode.R2021_2306
    base = make_flow(world).coi(COIStatus.BASIS_FOR_EXTRACT)
    names = [f"Zoé Négoce {i:03d}" for i in range(300)] + ["Établissements Aval", "Ets Aval Sud"]
    operators = Operator.objects.bulk_create(
        Operator(name=name, name_key=collation_text(name), country="FR", city="Lyon", address="1 rue", status="valid")
        for name in names
    )
    code = base.control_body_code
    OperatorActivity.objects.bulk_create(
        OperatorActivity(operator=o, kind=ActivityKind.OPERATOR, control_body_code=code, status="valid")
        for o in operators
    )
    client = Client()
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get(f"/certificates/{base.pk}/").content.decode()
    form = page.split('id="form-extract"')[1].split("</form>")[0]
    assert "Destinataire de l’extrait" in html.unescape(form) and 'name="consignee_q"' in form
    found = client.get(
        "/certificates/lookup/operators/", {"name": "consignee", "field": "first_consignee", "consignee_q": "aval"}
    )
    results = found.content.decode()
    assert 'name="consignee"' in results
    assert results.index("Établissements Aval, Lyon (France)") < results.index("Ets Aval Sud")


def test_it_says_when_more_consignees_match_than_the_picker_shows(world: Any) -> None:
    """The consignee search shows the first 20 names; when more match, it says so (in French) instead of
    leaving the others out without a word, and says nothing when all are shown."""
    names = [f"Zoé Négoce {i:03d}" for i in range(21)]
    operators = Operator.objects.bulk_create(
        Operator(name=name, name_key=collation_text(name), country="FR", city="Lyon", address="1 rue", status="valid")
        for name in names
    )
    OperatorActivity.objects.bulk_create(
        OperatorActivity(operator=o, kind=ActivityKind.OPERATOR, control_body_code=world.ecocert_fr, status="valid")
        for o in operators
    )
    client = Client()
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    lookup = "/certificates/lookup/operators/"
    query = {"name": "consignee", "field": "first_consignee", "consignee_q": "Zoé Négoce"}
    results = html.unescape(client.get(lookup, query).content.decode())
    assert results.count('name="consignee"') == 20
    assert "Les 20 premiers sont affichés, d’autres correspondent : tapez davantage du nom." in results
    query["consignee_q"] = "Zoé Négoce 02"
    results = html.unescape(client.get(lookup, query).content.decode())
    assert results.count('name="consignee"') == 1 and "premiers sont affichés" not in results


def test_it_ends_no_box_heading_of_the_2021_2306_form_in_a_dangling_colon(client: Client, world: Any) -> None:
    """Boxes 21 and 26 ("Pour transfert vers", "Pour transfert du poste de contrôle frontalier vers un point de
    contrôle") are headings on the COI page and in the PDF, not the start of a sentence: no " :" with nothing after."""
    world.form = FormCode.R2021_2306
    coi = make_flow(world).coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    client.force_login(world.importer)
    reading_in(world.importer, "fr")
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    headings = [html.unescape(h).strip() for h in re.findall(r'<dt id="box-[^"]+">(.*?)</dt>', page, re.S)]
    assert [h for h in headings if h.endswith(":")] == []
    assert "Case 26 : Pour transfert du poste de contrôle frontalier vers un point de contrôle" in headings
    text = pdf_text(coi, "fr")
    # A numbered heading whose colon is followed only by the empty box's dash.
    assert re.findall(r"\b\d{1,2}\. [^:]{1,120} : —", text) == []
    assert "26. Pour transfert du poste de contrôle frontalier vers un point de contrôle" in text
