"""Issue 22, point 2, box 20 of the 2021/2306 form (Art. 3 of 2021/2307): the moment the prior notification was
first given and the moment of its last change are printed on the PDF, with the first notice's lateness and shown on the COI's page when the notice
is given and moved on the edit page (the API's cases: test_form_2021_2306_prior_notification.py); a later change
of a notice already given is judged on its own moment: under four hours before the arrival it announces it is
refused, under one working day it is kept with a warning, through the API and on the edit page. PostgreSQL too
(`DATABASE_URL`)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from certificates.statuses import COIStatus
from core import clock

from .union_part import page, pdf_text
from .workflow_world import api_auth, make_flow_2021_2306

pytestmark = pytest.mark.django_db
FIRST_LATE = "less than one working day before it"  # the first notice's lateness, kept (FirstNoticeLate)
CHANGE_LATE = "Less than one working day before the arrival"  # a change's (PriorNotificationUnderOneWorkingDay)
TOO_LATE = "at least four hours before the arrival"


@pytest.fixture
def flow(world):
    return make_flow_2021_2306(world)


def issued_without_notice(flow) -> Certificate:
    coi = flow.sign_18(flow.w.submitted("importer", rfl=flow.w.transit.pk))
    assert coi.prior_notification_at is None
    return coi


def ahead(hours: int) -> datetime.datetime:
    return timezone.localtime() + datetime.timedelta(hours=hours)


def notify(coi, moment, user):
    body = {"prior_notification_at": moment.isoformat()}
    return Client().patch(f"/api/v1/certificates/{coi.pk}", body, content_type="application/json", **api_auth(user))


def notify_on_the_page(client, coi, moment):
    return client.post(f"/certificates/{coi.pk}/edit/", {"prior_notification_at": moment.strftime("%Y-%m-%dT%H:%M")})


def box_20(html: str) -> str:
    text = html[html.index('id="box-20"') : html.index('id="box-21"')]
    return " ".join(text.split())


def test_it_prints_on_the_pdf_when_the_notice_was_first_given_and_last_changed(flow):
    coi = issued_without_notice(flow)
    assert notify(coi, ahead(6), flow.w.importer).status_code == 200
    assert notify(coi, ahead(96), flow.w.importer).status_code == 200
    given_first(coi, days_ago=2)
    coi = Certificate.objects.get(pk=coi.pk)
    printed = pdf_text(coi)
    assert f"First given: {clock.zoned(coi.prior_notified_at)}" in printed
    assert f"Last changed: {clock.zoned(coi.prior_notification_changed_at)}" in printed
    assert FIRST_LATE in printed  # the first notice was late: the PDF flags it, as the page does, whatever moved


def given_first(coi, days_ago):
    """The first notice moved `days_ago` back with the arrival it announced, so that the first and the last moments
    read apart (both were given within the test's minute) while the first notice stays as late as it was: moving
    its moment alone made it in time on some days (two days back from a Monday evening is a Saturday, more than a
    working day before a Tuesday arrival)."""
    stored = Certificate.objects.get(pk=coi.pk)
    back = datetime.timedelta(days=days_ago)
    Certificate.objects.filter(pk=coi.pk).update(
        prior_notified_at=stored.prior_notified_at - back,
        prior_notification_first_arrival=stored.prior_notification_first_arrival - back,
    )


def test_it_prints_on_the_pdf_a_notice_given_once_without_a_last_change(flow):
    coi = issued_without_notice(flow)
    notify(coi, ahead(96), flow.w.importer)
    printed = pdf_text(Certificate.objects.get(pk=coi.pk))
    assert "First given" in printed and "Last changed" not in printed and FIRST_LATE not in printed


def test_it_shows_when_a_notice_given_and_moved_on_the_edit_page_was_first_given_and_last_changed(flow):
    coi = issued_without_notice(flow)
    client = page(flow.w.importer)
    r = notify_on_the_page(client, coi, ahead(6))
    assert r.status_code == 200 and FIRST_LATE in " ".join(r.content.decode().split())  # saved, with its warning
    first = Certificate.objects.get(pk=coi.pk).prior_notified_at
    assert first is not None
    assert notify_on_the_page(client, coi, ahead(96)).status_code == 200  # saved, the first notice still late
    after = Certificate.objects.get(pk=coi.pk)
    assert after.prior_notified_at == first and after.prior_notification_changed_at > first
    given_first(coi, days_ago=2)
    after = Certificate.objects.get(pk=coi.pk)
    shown = box_20(page(flow.w.border_agent).get(f"/certificates/{coi.pk}/").content.decode())
    assert f"First given: {clock.zoned(after.prior_notified_at)}" in shown and FIRST_LATE in shown
    assert f"Last changed: {clock.zoned(after.prior_notification_changed_at)}" in shown


def test_it_flags_no_lateness_on_the_page_for_a_notice_given_in_time_on_the_edit_page(flow):
    coi = issued_without_notice(flow)
    client = page(flow.w.importer)
    assert notify_on_the_page(client, coi, ahead(96)).status_code == 302
    shown = box_20(page(flow.w.border_agent).get(f"/certificates/{coi.pk}/").content.decode())
    assert "First given" in shown and FIRST_LATE not in shown and CHANGE_LATE not in shown


# A change of a notice given in time, judged on its own moment ---------------------------------------------


def test_it_refuses_through_the_api_a_change_of_the_notice_less_than_four_hours_before_arrival(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)  # notice given three days ahead
    r = notify(coi, ahead(2), flow.w.importer)
    assert r.status_code == 422 and TOO_LATE in r.json()["boxes"]["20"][0]
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at == coi.prior_notification_at


def test_it_warns_through_the_api_of_a_change_of_the_notice_under_one_working_day_before_arrival(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    r = notify(coi, ahead(6), flow.w.importer)
    assert r.status_code == 200 and CHANGE_LATE in " ".join(r.json()["problems"]["20"])
    assert FIRST_LATE not in " ".join(r.json()["problems"]["20"])  # the first notice was in time
    r = notify(coi, ahead(96), flow.w.importer)
    assert r.status_code == 200 and "20" not in r.json()["problems"]


def test_it_refuses_on_the_edit_page_a_change_of_the_notice_less_than_four_hours_before_arrival(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    soon = ahead(2)
    r = notify_on_the_page(page(flow.w.importer), coi, soon)
    shown = " ".join(r.content.decode().split())
    assert r.status_code == 422 and TOO_LATE in shown and soon.strftime("%Y-%m-%dT%H:%M") in shown
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at == coi.prior_notification_at


def test_it_warns_on_the_edit_page_of_a_change_of_the_notice_under_one_working_day_before_arrival(flow):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    r = notify_on_the_page(page(flow.w.importer), coi, ahead(6))
    assert r.status_code == 200 and CHANGE_LATE in " ".join(r.content.decode().split())  # saved, with its warning
    assert Certificate.objects.get(pk=coi.pk).prior_notification_at != coi.prior_notification_at  # kept


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        ("en", "Saved. Some boxes need your attention", "Draft saved"),
        ("fr", "Enregistré. Certaines cases demandent votre attention", "Brouillon enregistré"),
    ],
)
def test_it_says_an_issued_coi_is_saved_not_a_draft_when_its_change_is_warned(flow, language, said, not_said):
    coi = flow.coi(COIStatus.ISSUING_BODY_SIGNED)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(flow.w.importer)
    User.objects.filter(pk=flow.w.importer.pk).update(language=language)
    r = notify_on_the_page(client, coi, ahead(6))
    shown = " ".join(r.content.decode().split())
    assert r.status_code == 200 and said in shown and not_said not in shown


def test_it_prints_on_the_pdf_the_warning_of_box_17_as_the_page_shows_it(flow):
    # the same kind: a warning of the rules at its box (box 17's date of departure before the submission)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    coi = flow.w.submitted(departure_date=yesterday.isoformat())
    assert "is before the submission" in pdf_text(coi)
    assert "is before the submission" in " ".join(
        page(flow.w.control_body).get(f"/certificates/{coi.pk}/").content.decode().split()
    )
