"""The emailed set-password link: works once, expires after SIGNUP_LINK_MINUTES, and can be sent again."""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import last_email_link, log_in, signup_data

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Orange-tram-42-sunrise"


@pytest.fixture
def link(client: Client) -> str:
    client.cookies["django_language"] = "en"
    client.post("/accounts/signup/", signup_data(client, language="en"))
    return last_email_link()


def minutes_later(minutes: int) -> mock._patch:
    later = datetime.now() + timedelta(minutes=minutes)
    return mock.patch.object(PasswordResetTokenGenerator, "_now", lambda self: later)


def set_password(client: Client, link: str, password: str = NEW_PASSWORD, **kwargs: object) -> object:
    return client.post(link, {"new_password1": password, "new_password2": password}, **kwargs)


def test_it_refuses_a_weak_password_and_keeps_what_was_typed(client: Client, link: str) -> None:
    response = set_password(client, link, "nadia12")

    page = response.content.decode()
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 10 characters." in page
    assert 'value="nadia12"' in page
    assert not User.objects.get().has_usable_password()


def test_it_refuses_different_passwords(client: Client, link: str) -> None:
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert "The two password fields didn’t match." in response.content.decode()


def test_it_refuses_a_link_used_once_and_offers_a_new_one(client: Client, link: str) -> None:
    set_password(client, link)

    response = client.get(link)
    page = response.content.decode()
    assert response.status_code == 410
    assert "This link no longer works" in page
    assert "Send me a new link" in page
    # The password set by the first use stays.
    assert set_password(client, link, "Another-password-99").status_code == 410
    assert User.objects.get().check_password(NEW_PASSWORD)


def test_it_still_works_just_before_it_expires(client: Client, link: str) -> None:
    with minutes_later(89):
        response = set_password(client, link)

    assert response.status_code == 302
    assert User.objects.get().check_password(NEW_PASSWORD)


def test_it_refuses_an_expired_link(client: Client, link: str) -> None:
    with minutes_later(91):
        response = client.get(link)
        set_password(client, link)

    assert response.status_code == 410
    assert "The link has expired or has already been used." in response.content.decode()
    assert not User.objects.get().has_usable_password()


def test_it_refuses_a_link_in_french(client: Client, link: str) -> None:
    client.cookies["django_language"] = "fr"
    with minutes_later(91):
        response = client.get(link)

    assert "Ce lien ne fonctionne plus" in response.content.decode()


def test_it_refuses_a_made_up_link(client: Client) -> None:
    assert client.get("/accounts/welcome/MTIzNDU/abc-def/").status_code == 410


def test_it_sends_a_new_link_that_works(client: Client, link: str) -> None:
    with minutes_later(91):
        response = client.post("/accounts/welcome/resend/", {"email": "Nadia@acme-bio.example"})
        assert "Check your email" in response.content.decode()
        assert len(mail.outbox) == 2
        new_link = last_email_link()
        assert new_link != link
        assert set_password(client, new_link).status_code == 302

    assert "Welcome, Nadia." in log_in(client, "nadia@acme-bio.example", NEW_PASSWORD).content.decode()


def test_it_answers_the_same_for_unknown_emails_and_sends_nothing(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/welcome/resend/", {"email": "nobody@example.org"})

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_it_sends_no_link_to_an_account_that_has_a_password(client: Client) -> None:
    UserFactory(email="known@example.org")
    client.post("/accounts/welcome/resend/", {"email": "known@example.org"})

    assert mail.outbox == []


def test_it_asks_again_for_a_valid_email_to_resend_to(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/welcome/resend/", {"email": "not-an-email"})

    assert "Enter a valid email address." in response.content.decode()
