"""Integration: the sign-up email goes through a real SMTP server, configured by EMAIL_URL as in production."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import dj_email_url
import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from accounts.models import User
from accounts.tests.helpers import links_in, log_in, path_of, signup_data

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    # aiosmtpd cannot listen on port 0: ask the system for a free port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    email = dj_email_url.parse(f"smtp://{controller.hostname}:{controller.port}")
    for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        setattr(settings, name, email[name])
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def test_it_signs_up_through_a_real_smtp_server(client: Client, smtp_inbox: Inbox) -> None:
    response = client.post("/accounts/signup/", signup_data(client, language="fr"))
    assert response.status_code == 200

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "nadia@acme-bio.example"
    assert message["From"] == "OpenCOI <no-reply@opencoi.example>"
    assert message["Subject"] == "[OpenCOI] Définissez votre mot de passe"
    body = message.get_body(("plain",)).get_content()
    assert "Bonjour Nadia," in body

    link = path_of(links_in(body)[0])
    password = "Orange-tram-42-sunrise"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert User.objects.get(email="nadia@acme-bio.example").check_password(password)
    assert "Bienvenue, Nadia." in log_in(client, "nadia@acme-bio.example", password).content.decode()
