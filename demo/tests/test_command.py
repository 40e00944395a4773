"""`manage.py demo`: the guides' accounts, idempotent, and never with DEBUG off."""

from __future__ import annotations

import time
from io import StringIO
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from accounts.models import User
from accounts.tests.helpers import log_in, totp_code
from demo.people import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", stdout=out)
    return out.getvalue()


def test_it_refuses_to_run_with_debug_off() -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()


def test_it_creates_one_login_per_role_prints_them_and_keeps_the_data_on_a_second_run() -> None:
    out = run_demo()

    for email, _role, _name, _signs in DEMO_ACCOUNTS:
        assert email in out
    assert "opencoi-demo" in out
    assert "JBSWY3DPEHPK3PXP" in out
    emails = {email for email, *_rest in DEMO_ACCOUNTS}
    assert emails <= set(User.objects.values_list("email", flat=True))
    assert User.objects.get(email="admin@commission.example").is_staff
    assert not User.objects.get(email="importer@acme-bio.example").is_staff
    signers = {email for email, *_rest, signs in DEMO_ACCOUNTS if signs}
    with_totp = set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True))
    assert signers <= with_totp
    assert not with_totp & (emails - signers)

    importer = User.objects.get(email="importer@acme-bio.example")
    importer.set_password("changed-by-the-tester-1")
    importer.save()
    people, authenticators = User.objects.count(), Authenticator.objects.count()

    run_demo()

    assert User.objects.count() == people
    assert Authenticator.objects.count() == authenticators
    importer.refresh_from_db()
    assert importer.check_password("changed-by-the-tester-1")


def test_its_accounts_log_in_with_the_demo_password_and_totp(client: Client) -> None:
    run_demo()

    response = log_in(client, "importer@acme-bio.example", "opencoi-demo")
    assert "_auth_user_id" in client.session
    assert "Bienvenue, Isabelle." in response.content.decode()
    client.post("/accounts/logout/")

    log_in(client, "agent@ecocert.example", "opencoi-demo")
    # The demo itself may have used the current code (a code works once): take the next period's.
    with mock.patch("time.time", return_value=time.time() + 30):
        client.post("/accounts/2fa/authenticate/", {"code": totp_code("JBSWY3DPEHPK3PXP")})
    assert "_auth_user_id" in client.session
