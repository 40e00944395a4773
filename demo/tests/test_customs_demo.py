"""`make demo` holds a customs office, prints a machine client's token that works, and what the exchange did
(issue 24, fault 7): a COI partly and one fully written off, and an extract of 2021/2307 partly written off, each by
a declaration lodged through the exchange (`customs.quantities.declare`, its MRN and office recorded), as customs
sees them through its API; a second run lodges nothing more."""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User
from customs.models import DeclarationItem
from demo.customs import OFFICE_CODE, written_off

pytestmark = pytest.mark.django_db


def test_it_prints_a_working_token_and_writes_off_two_cois_and_an_extract_once():
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", stdout=out)
    token = re.search(r"token (occ_\S+)", out.getvalue()).group(1)
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    seen = {}
    for name, reference, extract in (("partly", "EU2306-ORGANIC", False), ("fully", "EU2306-IN-CONVERSION", False),
                                     ("extract", "EU2306-PART", True)):  # fmt: skip
        coi = written_off(reference, extract)
        assert DeclarationItem.objects.filter(certificate=coi, office__code=OFFICE_CODE).exists(), name
        answer = http.get(f"/api/customs/v1/documents/{coi.number}", {"request_id": f"demo-{name}"}).json()
        left, whole = (sum(Decimal(x[k]) for x in answer["lines"]) for k in ("remaining", "net_weight"))
        seen[name] = (answer["status"], answer["kind"], answer["form"], left, whole)
    status, kind, _form, left, whole = seen["partly"]
    assert (status, kind) == ("released_organic", "coi") and 0 < left < whole
    status, kind, _form, left, _whole = seen["fully"]
    assert (status, kind, left) == ("depleted", "coi", 0)
    status, kind, form, left, whole = seen["extract"]
    assert (status, kind, form) == ("released_organic", "extract", "2021/2306") and 0 < left < whole  # Annex 2307
    # The office's administrator sees the printed token's client on the office's page (its prefix only).
    page = Client()
    page.force_login(User.objects.get(email="customs@douane.example"))
    clients = page.get("/customs/offices/FR000690/clients/")
    assert (
        clients.status_code == 200 and token[:10] in clients.content.decode() and token not in clients.content.decode()
    )
    count = DeclarationItem.objects.count()
    with override_settings(DEBUG=True):
        call_command("demo", stdout=StringIO())
    assert DeclarationItem.objects.count() == count
