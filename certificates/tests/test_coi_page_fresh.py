"""What a COI page reads per person on every request (the session, the memberships, the RFL grants, the COI's row
and status, the activities behind "Copy as new", the bell's count) has its SQL built once per process
(core/compiled.py), and its heading, dates and output links come from the shared parts: a change shows at the
very next request of the same browser, for every party."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from certificates.statuses import COIStatus
from certificates.workflow.certification import submit
from core.models import Notice
from directory.models import Membership, OperatorActivity, RflGrant, Status

pytestmark = pytest.mark.django_db


def _browser(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    user.language = language
    user.save(update_fields=["language"])
    return client


def _page(client: Client, coi: Any) -> Any:
    return client.get(reverse("certificates:detail", args=[coi.pk]))


def _parties(world: Any) -> list[Any]:
    return [world.importer, world.exporter, world.control_body, world.consignee, world.inao_agent, world.border_agent]


def test_it_refuses_the_page_at_the_next_request_once_a_membership_is_suspended_for_every_party(world):
    coi = world.submitted()
    for user in _parties(world):
        browser = _browser(user)
        assert _page(browser, coi).status_code == 200

        Membership.objects.filter(user=user).update(status=Status.SUSPENDED)
        assert _page(browser, coi).status_code == 404

        Membership.objects.filter(user=user).update(status=Status.VALID)
        assert _page(browser, coi).status_code == 200


def test_it_ends_the_rfl_role_at_the_next_request_once_its_grant_is_revoked(world):
    coi = world.submitted(rfl=world.transit.pk)
    browser = _browser(world.forwarder)
    assert _page(browser, coi).status_code == 200

    RflGrant.objects.filter(user=world.forwarder).update(revoked_at=timezone.now())
    assert _page(browser, coi).status_code == 404


def _bell(client: Client, coi: Any) -> int:
    return int(_page(client, coi).content.decode().split('data-testid="unread-count">')[1].split("<")[0])


def test_it_shows_a_new_notice_in_the_bell_at_once(world):
    coi = world.submitted()
    for user in _parties(world):
        browser = _browser(user)
        before = _bell(browser, coi)

        Notice.objects.create(user=user, text="A COI changed", url="/")
        assert _bell(browser, coi) == before + 1

        Notice.objects.filter(user=user).update(read_at=timezone.now())
        assert _bell(browser, coi) == 0


def test_it_offers_copy_as_new_by_the_creators_activities_of_now(world):
    coi = world.submitted()
    browser = _browser(world.importer)
    assert "Copy as new" in _page(browser, coi).content.decode()

    OperatorActivity.objects.filter(operator=world.acme).delete()  # no longer an importer or an exporter
    page = _page(browser, coi)
    assert page.status_code == 200 and "Copy as new" not in page.content.decode()


def test_it_ends_the_session_at_once_when_it_expires(world):
    coi = world.submitted()
    browser = _browser(world.importer)
    assert _page(browser, coi).status_code == 200

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = _page(browser, coi)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def _heading(html: str) -> str:
    return html.split("<h1>")[1].split('<div class="actions">')[0]


def test_it_shows_the_new_status_and_submission_date_at_once_to_every_party_in_both_languages(world):
    coi = world.draft()
    for language in ("en", "fr"):
        with translation.override(language):
            draft_label = str(COIStatus.DRAFT.label)
        heading = _heading(_page(_browser(world.importer, language), coi).content.decode())
        assert draft_label in heading and ("submitted" if language == "en" else "soumis") not in heading

    submit(world.person(world.importer), coi.pk)

    for user in _parties(world):
        for language in ("en", "fr"):
            with translation.override(language):
                label = str(COIStatus.DESCRIPTION_COMPLETED.label)
            heading = _heading(_page(_browser(user, language), coi).content.decode())
            assert label in heading and ("submitted" if language == "en" else "soumis") in heading
