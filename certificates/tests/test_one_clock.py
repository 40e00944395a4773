"""One clock (issue 23, point 1): every moment a person or a PDF reads is in the site's zone (Europe/Paris here),
and the zone is named where moments recorded in several places meet (the COI page, its PDF, the public check,
the exports' headings). Machines read ISO 8601 with the offset (the API, SPS XML), which names its zone.

Every moment of one COI is moved to 03:41 UTC, 04:41 in Paris in December: no page, PDF, export, email or API
answer may show 03:41 as a time a person reads, and each of them shows 04:41."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from accounts.models import ApiToken
from certificates.models import Certificate, Document
from certificates.outputs.pdf import render_pdf
from certificates.outputs.verification import public_token
from certificates.statuses import COIStatus
from certificates.workflow_records import HistoryEntry, Signature
from core.models import Notice
from directory.models import Membership

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
    Document.objects.filter(certificate=coi).update(withdrawn_at=UTC_MOMENT)
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
    assert_paris(client.get("/notices/").content.decode(), "the notices")
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
