from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.tests.factories import UserFactory
from accounts.two_factor import activate_totp, code_is_valid


@pytest.mark.django_db
def test_it_prints_a_code_that_logs_in_with_the_demo_secret(settings: object) -> None:
    person = UserFactory()
    totp = activate_totp(person, settings.DEMO_TOTP_SECRET)  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("totp", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert code_is_valid(totp, code)
