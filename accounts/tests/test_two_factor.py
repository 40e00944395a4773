"""TOTP two-factor authentication through allauth's pages, with recovery codes."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in, totp_code
from accounts.two_factor import activate_recovery_codes, activate_totp

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"


@contextmanager
def thirty_seconds_later() -> Iterator[None]:
    """The next TOTP period: a code is accepted once, so a second use needs the next one."""
    later = time.time() + 30
    with mock.patch("time.time", return_value=later):
        yield


@pytest.fixture
def signer() -> User:
    person = UserFactory(email="elodie@ecocert.example", first_name="Élodie")
    activate_totp(person, SECRET)
    activate_recovery_codes(person)
    return person


def reauthenticate(client: Client, url: str) -> object:
    return client.post(url, {"password": PASSWORD}, follow=True)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# allauth confirms the activation after the commit: a real transaction shows what the person sees.
@pytest.mark.django_db(transaction=True)
def test_it_switches_totp_on_through_the_pages_and_shows_recovery_codes(client: Client) -> None:
    person = UserFactory(language="fr")
    log_in(client, person.email, PASSWORD)

    # Switching two-factor on asks for the password again, however recent the login.
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert "Confirmer l'accès" in response.content.decode()
    page = reauthenticate(client, response.redirect_chain[-1][0]).content.decode()
    assert "Activer l'application d'authentification" in page
    secret = re.search(r'id="authenticator_secret"\s+value="([A-Z2-7]+)"', page).group(1)

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert "Code incorrect." in response.content.decode()
    assert not Authenticator.objects.filter(user=person).exists()

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)
    page = html.unescape(response.content.decode())
    assert "Application d'authentification activée." in page
    assert "Il y a 10 codes de récupération disponibles sur 10." in page
    codes = re.search(r'id="recovery_codes"\s*>(.*?)</textarea>', page, re.S).group(1).split()
    assert len(codes) == 10
    # allauth confirms the change by email, in the person's language.
    assert mail.outbox[-1].subject == "[OpenCOI] Application d'authentification activée"
    assert set(Authenticator.objects.filter(user=person).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    account_page = client.get("/accounts/me/").content.decode()
    assert re.search(
        r"Authentification à deux facteurs\s*:\s*<span class=\"status status-valid\">activée", account_page
    )


def test_it_asks_for_the_code_after_the_password(client: Client, signer: User) -> None:
    response = log_in(client, signer.email, PASSWORD)

    assert response.redirect_chain[-1][0] == "/accounts/2fa/authenticate/"
    assert "Two-Factor Authentication" in response.content.decode()
    assert not logged_in(client)

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)}, follow=True)
    assert logged_in(client)
    assert "Welcome, Élodie." in response.content.decode()


def test_it_refuses_a_wrong_code_with_a_clear_message(client: Client, signer: User) -> None:
    log_in(client, signer.email, PASSWORD)

    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert "Incorrect code." in response.content.decode()
    assert not logged_in(client)


def test_it_refuses_a_wrong_code_in_french(client: Client, signer: User) -> None:
    log_in(client, signer.email, PASSWORD, language="fr")

    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert "Code incorrect." in response.content.decode()


def test_it_refuses_a_code_used_already(client: Client, signer: User) -> None:
    code = totp_code(SECRET)
    log_in(client, signer.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    client.post("/accounts/logout/")

    log_in(client, signer.email, PASSWORD)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert "Incorrect code." in response.content.decode()
    assert not logged_in(client)

    with thirty_seconds_later():
        client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert logged_in(client)


def test_it_accepts_a_recovery_code_once(client: Client, signer: User) -> None:
    codes = Authenticator.objects.get(user=signer, type=Authenticator.Type.RECOVERY_CODES).wrap()
    code = codes.get_unused_codes()[0]
    log_in(client, signer.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert logged_in(client)

    response = client.get("/accounts/2fa/recovery-codes/", follow=True)
    page = reauthenticate(client, response.redirect_chain[-1][0]).content.decode()
    assert "There are 9 out of 10 recovery codes available." in page
    client.post("/accounts/logout/")

    log_in(client, signer.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert not logged_in(client)


def test_it_shows_the_two_factor_pages_in_our_layout(client: Client, signer: User) -> None:
    log_in(client, signer.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})

    page = client.get("/accounts/2fa/").content.decode()
    assert "Skip to content" in page
    assert "Authenticator App" in page
    assert "Recovery Codes" in page


def test_it_refuses_for_a_token_a_code_used_to_log_in_and_the_reverse(client: Client, signer: User) -> None:
    """One mark per code whatever the way in (the login's page, the API, a step): a code seen once, over a
    shoulder or in a log, opens nothing else in its period."""
    code = totp_code(SECRET)
    log_in(client, signer.email, PASSWORD)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert logged_in(client)

    body = {"email": signer.email, "password": PASSWORD, "totp": code, "name": "script"}
    refused = Client().post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 401, refused.content

    later = totp_code(SECRET, 1)
    issued = Client().post("/api/v1/auth/token", {**body, "totp": later}, content_type="application/json")
    assert issued.status_code == 201, issued.content
    other = Client()
    log_in(other, signer.email, PASSWORD)
    assert "Incorrect code." in other.post("/accounts/2fa/authenticate/", {"code": later}).content.decode()
    assert "_auth_user_id" not in other.session


def test_it_marks_a_code_used_in_one_row_and_purges_the_marks_of_past_periods(signer: User) -> None:
    from django.utils import timezone

    from accounts.models import UsedCode
    from accounts.two_factor import code_is_valid, purge_used_codes, totp_of

    totp = totp_of(signer)
    assert totp is not None
    assert code_is_valid(totp, totp_code(SECRET))
    assert not code_is_valid(totp, totp_code(SECRET))
    assert not code_is_valid(totp, " ".join(totp_code(SECRET)))  # the same code typed with spaces
    assert UsedCode.objects.filter(authenticator=totp).count() == 1

    assert purge_used_codes() == 0  # its period is still accepted: the mark stays
    assert not code_is_valid(totp, totp_code(SECRET))
    assert purge_used_codes(timezone.now() + timezone.timedelta(minutes=2)) == 1
