"""Notices and emails are plain text: no HTML entity in them, whatever the kind (issue 13: "l&#x27;organisme").

Each kind of notice (certificate steps, OFIS irregularities, decisions on roles) and the welcome email is sent to a
French reader with an apostrophe, an ampersand and angle brackets in what it carries; the notices page escapes the
text once, as any page does.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils.translation import gettext_noop

from accounts.signup import send_password_link
from accounts.tests.factories import UserFactory
from certificates.statuses import COIRole
from certificates.workflow.step_notices import ALL_PARTIES, tell
from core.models import Notice, NoticeKind
from core.notify import notify_message as notify_membership
from directory.services import WAITING_BODY, WAITING_SUBJECT

ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
TYPED = 'Résidus d\'un pesticide <non autorisé> & lot "B"'


def in_french(*users) -> None:
    for user in users:
        user.language = "fr"
        user.save(update_fields=["language"])


def assert_plain(*texts: str) -> None:
    for text in texts:
        assert not ENTITY.search(text), text


@pytest.mark.parametrize("kind", [NoticeKind.CERTIFICATE, NoticeKind.IRREGULARITY])
def test_it_writes_certificate_notices_and_emails_as_plain_text(world, kind: str) -> None:
    coi = world.submitted()
    in_french(world.importer, world.control_body, world.consignee)
    mail.outbox.clear()
    Notice.objects.all().delete()

    tell(coi, ALL_PARTIES, gettext_noop("COI %(number)s: the issuing control body signed box 18"), TYPED, kind=kind)

    notice = Notice.objects.filter(user=world.importer).get()
    assert "l’organisme de contrôle émetteur a signé la case 18" in notice.text
    emails = [m for m in mail.outbox if m.to == [world.importer.email]]
    assert emails and TYPED in emails[0].body and "l’organisme" in emails[0].subject
    assert_plain(*Notice.objects.values_list("text", flat=True), *(m.subject for m in mail.outbox))
    assert_plain(*(m.body for m in mail.outbox))


def test_it_writes_membership_notices_as_plain_text(db: None) -> None:
    decider = UserFactory(first_name="Anne", language="fr")
    notify_membership(
        decider,
        WAITING_SUBJECT,
        WAITING_BODY,
        {"name": "Anne", "person": "Jean D'Arc", "organisation": "L'Atelier & Fils <bio>", "message": TYPED},
        url="/directory/queue/",
    )
    notice = Notice.objects.get(user=decider)
    assert "Jean D'Arc" in notice.text and "L'Atelier & Fils <bio>" in notice.text
    assert_plain(notice.text, mail.outbox[0].subject, mail.outbox[0].body)


def test_it_writes_the_welcome_email_as_plain_text(db: None) -> None:
    user = UserFactory(first_name="Marie-Hélène d'Ornano", language="fr")
    send_password_link(user)
    assert "Bonjour Marie-Hélène d'Ornano," in mail.outbox[0].body
    assert_plain(mail.outbox[0].subject, mail.outbox[0].body)


def test_the_notices_page_escapes_the_text_once(client: Client, world) -> None:
    coi = world.submitted()
    in_french(world.importer)
    tell(coi, [COIRole.IMPORTER], gettext_noop("COI %(number)s: the issuing control body signed box 18"))
    client.force_login(world.importer)
    page = client.get("/notices/").content.decode()
    assert "l’organisme de contrôle émetteur" in page
    assert "&amp;#x27;" not in page and "&amp;lt;" not in page
