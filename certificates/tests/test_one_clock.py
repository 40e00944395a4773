"""One clock (issue 23, point 1): every moment a person or a PDF reads is in the site's zone (Europe/Paris here),
and the zone is named where moments recorded in several places meet (the COI page, its PDF, the public check,
the exports' headings). Machines read ISO 8601 with the offset (the API, SPS XML), which names its zone.

Every moment of one COI is moved to 03:41 UTC, 04:41 in Paris in December: no page, PDF, export, email or API
answer may show 03:41 as a time a person reads, and each of them shows 04:41."""

from __future__ import annotations

import datetime
import io
import re
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from accounts.models import ApiToken
from certificates.models import Certificate, CommodityLine, Document
from certificates.outputs.pdf import render_pdf
from certificates.outputs.verification import public_token
from certificates.statuses import COIStatus
from certificates.workflow_records import HistoryEntry, Signature
from core.models import Notice
from customs.models import CustomsClient, CustomsOffice, Movement
from directory.models import Authority, IdentifierType, Membership, OperatorIdentifier, RflRequest, Status
from directory.tests.factories import member_of

from .factories import AuthorityFactory
from .test_outputs_pdf import text_of
from .workflow_world import make_flow

pytestmark = pytest.mark.django_db

UTC_MOMENT = datetime.datetime(2026, 12, 6, 3, 41, tzinfo=datetime.UTC)  # 04:41 in Paris (UTC+1 in December)
PARIS = "06/12/2026 à 04:41"
ZONE = "heure de Paris"


@pytest.fixture
def coi(world: Any, settings: Any) -> Certificate:
    settings.TIME_ZONE = "Europe/Paris"
    world.form = "2021/2306"
    flow = make_flow(world)
    coi = flow.coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    for user in (world.importer, world.control_body, world.border_agent, world.inao_agent, world.consignee):
        user.language = "fr"
        user.save(update_fields=["language"])
    Certificate.objects.filter(pk=coi.pk).update(
        created_at=UTC_MOMENT, submitted_at=UTC_MOMENT, updated_at=UTC_MOMENT, prior_notification_at=UTC_MOMENT
    )
    Signature.objects.filter(certificate=coi).update(signed_at=UTC_MOMENT)
    HistoryEntry.objects.filter(certificate=coi).update(at=UTC_MOMENT)
    Notice.objects.update(created_at=UTC_MOMENT)
    Document.objects.create(  # withdrawn by the control body after box 18
        certificate=coi, type="invoice", reference="INV-9", file="invoice.pdf", original_name="invoice.pdf",
        content_type="application/pdf", withdrawn_at=UTC_MOMENT,
    )  # fmt: skip
    Membership.objects.update(requested_at=UTC_MOMENT)
    return Certificate.objects.get(pk=coi.pk)


def times(text: str) -> set[str]:
    return set(re.findall(r"\b\d\d:\d\d\b", text))


def assert_paris(text: str, where: str) -> None:
    assert "03:41" not in times(text), f"{where} shows the UTC time"
    assert "04:41" in times(text), f"{where} shows no moment of the COI"


def french(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_it_shows_every_moment_in_the_sites_zone_and_names_it(client: Client, world: Any, coi: Certificate) -> None:
    client = french(client, world.importer)
    page = client.get(f"/certificates/{coi.pk}/").content.decode()
    assert_paris(page, "the COI page")
    assert f"soumis le {PARIS}" in page and f"{ZONE}, UTC+1" in page
    for box in ("18", "25", "30", "31"):  # signed in Agadir, Le Havre, Lyon: one zone, named
        assert re.search(rf'data-testid="box-{box}".*?{PARIS} \({ZONE}, UTC\+1\)', page, re.S), box
    assert_paris(client.get("/certificates/").content.decode(), "the list")
    assert ZONE in client.get("/certificates/").content.decode()
    withdrawn = re.search(r'data-testid="withdrawn-document".*?</li>', page, re.S)
    assert withdrawn and f"{PARIS} ({ZONE}, UTC+1)" in withdrawn.group(0)  # a document withdrawn, when: zone named
    notices = client.get("/notices/").content.decode()  # steps taken in Agadir, Le Havre, Lyon: one list
    assert_paris(notices, "the notices")
    assert f"{PARIS} ({ZONE}, UTC+1)" in notices
    public = Client().get(f"/v/{public_token(coi)}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert_paris(public, "the public check")
    assert ZONE in public
    pdf = text_of(render_pdf(coi.pk, "fr").content)
    assert_paris(pdf, "the PDF")
    assert ZONE in pdf


def test_the_edit_page_shows_box_20_in_the_sites_zone_and_names_it(client: Client, world: Any, settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    world.form = "2021/2306"
    coi = make_flow(world).coi(COIStatus.ISSUING_BODY_SIGNED)  # issued, box 20 given: the importer may change it
    Certificate.objects.filter(pk=coi.pk).update(prior_notification_at=UTC_MOMENT)
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    page = french(client, world.importer).get(f"/certificates/{coi.pk}/edit/").content.decode()
    assert 'value="2026-12-06T04:41"' in page and "03:41" not in page
    assert re.search(rf'<label for="prior_notification_at">[^<]*\({ZONE}\)</label>', page)


def test_the_exports_hold_the_sites_time_under_a_heading_naming_it(
    client: Client, world: Any, coi: Certificate
) -> None:
    client = french(client, world.importer)
    csv = b"".join(client.get("/certificates/export.csv").streaming_content).decode("utf-8-sig")
    assert_paris(csv, "the CSV export")
    assert f"Création ({ZONE}),Soumission ({ZONE}),Dernière modification ({ZONE})" in csv.splitlines()[0]
    book = load_workbook(io.BytesIO(b"".join(client.get("/certificates/export.xlsx").streaming_content)))
    cells = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert any(ZONE in str(h) for h in cells[0])
    assert datetime.datetime(2026, 12, 6, 4, 41) in cells[1]


def test_the_api_and_sps_xml_answer_the_instant_with_its_offset(world: Any, coi: Certificate) -> None:
    _token, secret = ApiToken.issue(world.importer, "clock")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    answer = api.get(f"/api/v1/certificates/{coi.pk}").json()
    for moment in (answer["created_at"], answer["submitted_at"], answer["boxes"]["prior_notification_at"]):
        moment = datetime.datetime.fromisoformat(moment)
        assert moment.utcoffset() is not None and moment == UTC_MOMENT
    xml = api.get(f"/api/v1/certificates/{coi.pk}/sps.xml").content.decode()
    stamps = re.findall(r"<[^>]*DateTimeString>([^<]+)<", xml)
    assert stamps and all(datetime.datetime.fromisoformat(s).utcoffset() is not None for s in stamps)


def test_no_email_shows_a_time_in_another_zone(world: Any, settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    world.form = "2021/2306"
    make_flow(world).coi(COIStatus.FIRST_CONSIGNEE_SIGNED)
    utc_now = datetime.datetime.now(datetime.UTC).strftime("%H:%M")
    for message in mail.outbox:
        assert utc_now not in times(message.subject + message.body)


def test_the_customs_pages_show_their_moments_in_the_sites_zone(client: Client, world: Any, coi: Certificate) -> None:
    office = CustomsOffice.objects.create(
        authority=AuthorityFactory(name="Bureau de douane du Havre port", country="FR", kind=Authority.Kind.CUSTOMS),
        code="FR000690",
    )
    line = CommodityLine.objects.filter(commodity__certificate=coi).first()
    Movement.objects.create(  # written off by an office of one member state, read by the parties of others
        certificate=coi, line=line, kind=Movement.Kind.MANUAL_WRITE_OFF, net_weight=100, at=UTC_MOMENT,
        office=office, actor_name="Bureau de douane du Havre port",
    )  # fmt: skip
    page = french(client, world.importer).get(f"/customs/coi/{coi.pk}/").content.decode()
    assert_paris(page, "the customs write-offs")
    assert re.search(rf"<th>Quand \({ZONE}\)</th>", page)
    machine, _secret = CustomsClient.issue(office, "Guichet unique national")
    CustomsClient.objects.filter(pk=machine.pk).update(created_at=UTC_MOMENT, last_used_at=UTC_MOMENT)
    chef = member_of(office.authority, is_admin=True).user
    chef.language = "fr"
    chef.save(update_fields=["language"])
    page = french(Client(), chef).get(f"/customs/offices/{office.code}/clients/").content.decode()
    assert_paris(page, "the office's machine clients")
    assert f"<th>Dernière utilisation ({ZONE})</th>" in page


def test_the_requests_to_decide_show_when_each_was_made_in_the_sites_zone_named(
    client: Client, world: Any, coi: Certificate
) -> None:
    requested = member_of(world.acme, status=Status.REQUESTED)  # a person of the importer, read by INAO
    asked = RflRequest.objects.create(user=world.importer, operator=world.acme)
    Membership.objects.filter(pk=requested.pk).update(requested_at=UTC_MOMENT)
    RflRequest.objects.filter(pk=asked.pk).update(requested_at=UTC_MOMENT)
    page = french(client, world.inao_agent).get("/directory/requests/").content.decode()
    assert_paris(page, "the requests to decide")
    assert f"demandé le {PARIS} ({ZONE}, UTC+1)" in page
    token, _secret = ApiToken.issue(world.importer, "clock")
    ApiToken.objects.filter(pk=token.pk).update(created_at=UTC_MOMENT, last_used_at=UTC_MOMENT)
    account = french(client, world.importer).get("/accounts/me/").content.decode()
    assert_paris(account, "the account's API tokens")
    assert f"<th>Dernière utilisation ({ZONE})</th>" in account  # a token used from anywhere: the zone named


def test_the_dashboard_counts_a_coi_in_the_month_of_the_sites_zone(client: Client, world: Any, settings: Any) -> None:
    """A COI created at 00:30 on the first day of this month in Paris (the evening before in UTC) counts in this
    month, not the last."""
    settings.TIME_ZONE = "Europe/Paris"
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    first = datetime.datetime.now(paris).replace(day=1, hour=0, minute=30, second=0, microsecond=0)
    assert first.astimezone(datetime.UTC).day != 1  # the evening before in UTC
    coi = world.draft()
    Certificate.objects.filter(pk=coi.pk).update(created_at=first)
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    page = french(client, world.importer).get("/dashboard/").content.decode()
    table = page[page.index('id="months-title"') :]
    months = re.findall(r'<th scope="col">([^<]+)</th>', table.split("</thead>")[0])[1:]
    row = re.search(r'<th scope="row">Brouillon</th>(.*?)</tr>', table, re.S)
    assert row, "no row of drafts"
    counts = dict(zip(months, re.findall(r"<td>([^<]*)</td>", row.group(1)), strict=True))
    this_month, last_month = months[-1], months[-2]
    assert (counts[this_month], counts[last_month]) == ("1", "0")


def test_the_customs_exchange_answers_the_instant_with_its_offset(world: Any) -> None:
    world.form = "2021/2306"
    released = make_flow(world).coi(COIStatus.RELEASED_ORGANIC)  # a COI customs may write off
    office = CustomsOffice.objects.create(
        authority=AuthorityFactory(name="Bureau de douane du Havre port", country="FR", kind=Authority.Kind.CUSTOMS),
        code="FR000690",
    )
    OperatorIdentifier.objects.create(operator=world.acme, type=IdentifierType.EORI, value="FR433968187")
    _machine, secret = CustomsClient.issue(office, "Guichet unique national")
    declared = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        "/api/customs/v1/declarations",
        {"request_id": "clock-1", "mrn": "26FR00000000000001", "importer_eori": "FR433968187", "declared_at":
         "2026-12-06T04:41:00+01:00", "items": [{"item_number": 1, "document": released.number, "cn_code": "08013200",
                                                 "net_weight": "10"}]},
        content_type="application/json",
    )  # fmt: skip
    assert declared.status_code == 201, declared.content
    assert declared.json()["written_off"]
    for item in declared.json()["written_off"]:  # the exchange answers the instant with its offset
        moment = datetime.datetime.fromisoformat(item["declared_at"])
        assert moment.utcoffset() is not None and moment == UTC_MOMENT
