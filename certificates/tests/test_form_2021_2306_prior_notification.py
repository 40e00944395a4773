"""Issue 22, point 2: box 20 (2021/2307 Art. 3) keeps the moment the prior notification was first given and the
arrival it then announced, and the moment of its last change; the COI's page and the API show both; lateness is
judged on the first notice, so a notice first given six hours before the arrival stays flagged when the
importer later moves the arrival 72 hours ahead; a given notice is never withdrawn. Through the API and the
pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.statuses import COIStatus

from .workflow_world import make_flow

pytestmark = pytest.mark.django_db
LATE = "less than one working day before it"


@pytest.fixture
def flow(world):
    world.form = FormCode.R2021_2306
    return make_flow(world)


def auth(user):
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def issued_without_notice(flow) -> Certificate:
    coi = flow.sign_18(flow.w.submitted("importer", rfl=flow.w.transit.pk))
    assert coi.prior_notification_at is None
    return coi


def ahead(hours: int) -> str:
    return (timezone.now() + datetime.timedelta(hours=hours)).isoformat()


def notify(client, flow, coi, arrival):
    return client.patch(
        f"/api/v1/certificates/{coi.pk}",
        {"prior_notification_at": arrival},
        content_type="application/json",
        **auth(flow.w.importer),
    )


def test_it_keeps_a_notice_first_given_late_flagged_when_the_arrival_moves_later(client, flow):
    coi = issued_without_notice(flow)
    r = notify(client, flow, coi, ahead(6))
    assert r.status_code == 200 and LATE in " ".join(r.json()["problems"]["20"])
    first = r.json()["prior_notification_first_given_at"]
    r = notify(client, flow, coi, ahead(72))
    assert r.status_code == 200, r.content
    body = r.json()
    assert LATE in " ".join(body["problems"]["20"])  # the first notice's lateness is not cured
    assert body["prior_notification_first_given_at"] == first
    assert body["prior_notification_last_changed_at"] > first
    got = client.get(f"/api/v1/certificates/{coi.pk}", **auth(flow.w.importer)).json()
    assert LATE in " ".join(got["problems"]["20"])


def test_it_shows_on_the_page_when_the_notice_was_first_given_and_last_changed_and_its_lateness(client, flow):
    coi = issued_without_notice(flow)
    notify(client, flow, coi, ahead(6))
    notify(client, flow, coi, ahead(72))
    page = Client()
    page.force_login(flow.w.border_agent)
    html = page.get(f"/certificates/{coi.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    box_20 = html[html.index('id="box-20"') : html.index('id="box-21"')]
    assert "First given" in box_20 and "Last changed" in box_20 and LATE in box_20


def test_it_flags_no_lateness_for_a_notice_given_in_time_and_moved(client, flow):
    coi = issued_without_notice(flow)
    r = notify(client, flow, coi, ahead(72))
    assert r.status_code == 200 and "20" not in r.json()["problems"]
    r = notify(client, flow, coi, ahead(96))
    assert "20" not in r.json()["problems"]
    assert r.json()["prior_notification_first_given_at"] is not None


def test_it_refuses_withdrawing_a_given_prior_notification(client, flow):
    coi = issued_without_notice(flow)
    notify(client, flow, coi, ahead(72))
    r = notify(client, flow, coi, None)
    assert r.status_code == 422 and "never withdrawn" in r.json()["boxes"]["20"][0]
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at is not None


def test_it_refuses_withdrawing_a_given_prior_notification_on_the_edit_page(client, flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    page = Client()
    page.force_login(flow.w.importer)
    r = page.post(f"/certificates/{coi.pk}/edit/", {"prior_notification_at": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "never withdrawn" in r.content.decode()
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at is not None


def test_it_refuses_through_the_api_a_notice_less_than_four_hours_before_arrival(client, flow):
    coi = issued_without_notice(flow)
    r = notify(client, flow, coi, ahead(2))
    assert r.status_code == 422 and "at least four hours" in r.json()["boxes"]["20"][0]
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at is None
    r = notify(client, flow, coi, ahead(5))  # four hours or more: taken, with the one-working-day warning
    assert r.status_code == 200 and LATE in " ".join(r.json()["problems"]["20"])


def test_it_refuses_on_the_edit_page_a_notice_less_than_four_hours_before_arrival_and_keeps_what_was_typed(flow):
    coi = issued_without_notice(flow)
    page = Client()
    page.force_login(flow.w.importer)
    soon = timezone.localtime() + datetime.timedelta(hours=2)
    typed = soon.strftime("%Y-%m-%dT%H:%M")
    r = page.post(f"/certificates/{coi.pk}/edit/", {"prior_notification_at": typed}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "at least four hours" in r.content.decode()
    assert typed in r.content.decode()
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at is None
    later = (timezone.localtime() + datetime.timedelta(hours=72)).strftime("%Y-%m-%dT%H:%M")
    r = page.post(f"/certificates/{coi.pk}/edit/", {"prior_notification_at": later}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at is not None
