"""Resetting a forgotten password: the email goes out in the person's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import last_email_link, log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Blue-kettle-77-harbour"


def reset(client: Client, email: str, *, page_language: str) -> None:
    client.cookies["django_language"] = page_language
    response = client.post("/accounts/password/reset/", {"email": email}, follow=True)
    assert response.status_code == 200


def test_it_sends_the_reset_email_in_the_persons_language_and_the_link_sets_a_new_password(client: Client) -> None:
    UserFactory(email="ines@inao.example", first_name="Inès", language="fr")

    # The page is in English, the person chose French: the email is in French.
    reset(client, "ines@inao.example", page_language="en")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ines@inao.example"]
    assert message.subject == "[OpenCOI] E-mail de réinitialisation de mot de passe"
    assert "réinitialiser" in message.body

    response = client.get(last_email_link(), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert response.status_code == 200

    assert "Bienvenue, Inès." in log_in(client, "ines@inao.example", NEW_PASSWORD).content.decode()


def test_it_sends_it_in_english_to_an_english_speaker(client: Client) -> None:
    UserFactory(email="youssef@atlas-organic.example", language="en")

    reset(client, "youssef@atlas-organic.example", page_language="fr")
    assert mail.outbox[0].subject == "[OpenCOI] Password Reset Email"


def test_it_refuses_a_weak_new_password(client: Client) -> None:
    UserFactory(email="ines@inao.example", language="en")
    reset(client, "ines@inao.example", page_language="en")
    form_url = client.get(last_email_link(), follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"password1": "short", "password2": "short"})
    assert "This password is too short." in response.content.decode()


def test_it_reveals_nothing_and_sends_nothing_for_an_unknown_email(client: Client) -> None:
    reset(client, "nobody@example.org", page_language="en")

    # allauth tells unknown addresses apart by an email to them, never on the page.
    assert all("nobody@example.org" in m.to for m in mail.outbox)
