"""Sign-up: names, email typed twice, email language, human check; the emailed link sets the password."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import last_email_link, log_in, signup_data

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Orange-tram-42-sunrise"


def test_it_signs_up_and_logs_in_with_the_password_set_by_the_emailed_link(client: Client) -> None:
    response = client.post("/accounts/signup/", signup_data(client, language="en"))

    assert response.status_code == 200
    assert "Vérifiez vos e-mails" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia@acme-bio.example"]
    # The person chose English for emails, whatever language the page was in.
    assert message.subject == "[OpenCOI] Set your password"
    assert "Hello Nadia," in message.body
    assert "expires after 90 minutes" in message.body

    link = last_email_link()
    page = client.get(link)
    assert "nadia@acme-bio.example" in page.content.decode()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Votre mot de passe est défini" in response.content.decode()

    response = log_in(client, "nadia@acme-bio.example", NEW_PASSWORD)
    assert "Welcome, Nadia." in response.content.decode()
    user = User.objects.get(email="nadia@acme-bio.example")
    assert (user.first_name, user.last_name, user.language) == ("Nadia", "Benali", "en")
    assert user.emailaddress_set.get().verified


def test_it_sends_the_email_in_french_when_french_is_chosen(client: Client) -> None:
    client.post("/accounts/signup/", signup_data(client, language="fr"))

    message = mail.outbox[0]
    assert message.subject == "[OpenCOI] Définissez votre mot de passe"
    assert "Bonjour Nadia," in message.body
    assert "expire après 90 minutes" in message.body


def test_it_refuses_mismatched_emails_and_keeps_what_was_typed(client: Client) -> None:
    client.cookies["django_language"] = "en"
    data = signup_data(client, email2="nadia@acme-bio.exmaple")
    response = client.post("/accounts/signup/", data)

    page = response.content.decode()
    assert "The two email addresses do not match." in page
    assert 'value="Benali"' in page
    assert 'value="nadia@acme-bio.exmaple"' in page
    assert not User.objects.exists()
    assert mail.outbox == []


def test_it_refuses_mismatched_emails_in_french(client: Client) -> None:
    response = client.post("/accounts/signup/", signup_data(client, email2="autre@acme-bio.example"))

    assert "Les deux adresses e-mail ne correspondent pas." in response.content.decode()


def test_it_refuses_an_email_already_used(client: Client) -> None:
    UserFactory(email="nadia@acme-bio.example")
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/signup/", signup_data(client, email2="NADIA@acme-bio.example"))

    assert "An account already uses this email." in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_it_refuses_a_wrong_answer_to_the_human_check_and_asks_a_new_question(client: Client) -> None:
    client.cookies["django_language"] = "en"
    data = signup_data(client)
    data["human_check"] = str(int(data["human_check"]) + 1)
    response = client.post("/accounts/signup/", data)

    page = response.content.decode()
    assert "The answer to the human check is wrong. Try the new question." in page
    assert 'value="Nadia"' in page
    assert "Human check: how much is" in page
    assert not User.objects.exists()


def test_it_refuses_an_answer_without_a_question(client: Client) -> None:
    data = signup_data(client)
    client.cookies.pop("sessionid")
    response = client.post("/accounts/signup/", data)

    assert "La réponse à la vérification anti-robot est fausse" in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_a_bot_that_fills_the_hidden_field(client: Client) -> None:
    response = client.post("/accounts/signup/", signup_data(client, website="http://spam.example"))

    assert response.status_code == 200
    assert not User.objects.exists()


def test_it_sends_logged_in_people_home(client: Client) -> None:
    client.force_login(UserFactory())

    assert client.get("/accounts/signup/").url == "/"
