"""`make demo` holds a customs office, prints a machine client's token that works, and COIs partly and fully
written off through the exchange."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User
from customs.models import DeclarationItem

pytestmark = pytest.mark.django_db


def test_it_prints_a_working_token_and_writes_off_two_cois_once():
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", stdout=out)
    token = re.search(r"token (occ_\S+)", out.getvalue()).group(1)
    items = DeclarationItem.objects.select_related("certificate").order_by("mrn")
    assert [(i.mrn, i.certificate.national_reference) for i in items][:1] == [("26FR00000000000001", "EU2306-ORGANIC")]
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    partly, fully = (items.filter(certificate__national_reference=r).first().certificate.number
                     for r in ("EU2306-ORGANIC", "EU2306-IN-CONVERSION"))  # fmt: skip
    seen = http.get(f"/api/customs/v1/documents/{partly}", {"request_id": "demo-1"}).json()
    left, whole = (sum(float(x[k]) for x in seen["lines"]) for k in ("remaining", "net_weight"))
    assert seen["status"] == "released_organic" and 0 < left < whole
    assert http.get(f"/api/customs/v1/documents/{fully}", {"request_id": "demo-2"}).json()["status"] == "depleted"
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
