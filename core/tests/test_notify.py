from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.tests.factories import UserFactory
from core.models import EmailOptOut, Notice, NoticeKind
from core.notify import notify

pytestmark = pytest.mark.django_db


def _notify(*users: object) -> int:
    # A string our catalogues translate, so the language of each message shows.
    title = format_lazy("{}: {}", _("Notifications"), "COI.EU.MA.2026.0000001")
    return notify(users, kind=NoticeKind.CERTIFICATE, template="core/email/notice", context={"title": title}, url="/x/")


def test_it_writes_a_notice_and_an_email_in_each_persons_language() -> None:
    french, english = UserFactory(language="fr"), UserFactory(language="en")
    assert _notify(french, english) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to[french.email].subject.endswith("Notifications: COI.EU.MA.2026.0000001")
    assert "Bonjour" in by_to[french.email].body
    assert "Hello" in by_to[english.email].body
    assert "http://testserver/x/" in by_to[english.email].body
    assert Notice.objects.get(user=english).text == "Notifications: COI.EU.MA.2026.0000001"


def test_it_sends_no_email_for_a_kind_the_person_turned_off() -> None:
    person = UserFactory()
    EmailOptOut.objects.create(user=person, kind=NoticeKind.CERTIFICATE)
    assert _notify(person) == 0
    assert mail.outbox == []
    assert Notice.objects.filter(user=person).count() == 1


def test_it_shows_the_unread_count_and_marks_read() -> None:
    person = UserFactory()
    _notify(person)
    client = Client()
    client.force_login(person)
    page = client.get("/notices/")
    assert '<span class="count" data-testid="unread-count">1</span>' in page.content.decode()
    client.post("/notices/", {"mark_read": "1"})
    page = client.get("/notices/")
    assert '<span class="count" data-testid="unread-count">0</span>' in page.content.decode()


def test_it_saves_the_email_choices() -> None:
    person = UserFactory()
    client = Client()
    client.force_login(person)
    client.post("/notices/", {"save_choices": "1", "kinds": [NoticeKind.MEMBERSHIP]})
    assert set(EmailOptOut.objects.filter(user=person).values_list("kind", flat=True)) == {
        NoticeKind.CERTIFICATE,
        NoticeKind.IRREGULARITY,
    }


def test_it_requires_login() -> None:
    assert Client().get("/notices/").status_code == 302
