"""Issue 12, point 4, on the directory's forms: every text field refuses control characters, lone surrogates
and bidirectional overrides at the field (a text area keeps its line breaks); nothing is stored."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["\x0b", "\u202e", "\x1b"])
def test_it_refuses_a_refused_character_in_a_request_to_join(demo: dict, bad: str) -> None:
    person = demo["importer@acme-bio.example"]
    client = Client()
    client.force_login(person)
    inao = Membership.objects.filter(authority__name="INAO").first().authority
    response = client.post(
        reverse("directory:authority_request"),
        {"authority": inao.pk, "message": f"Hel{bad}lo", "contact_phone": f"+33{bad}1"},
    )
    assert response.status_code == 422  # refused: the form again, the errors at their fields
    page = response.content.decode()
    assert page.count("retirez-le.") == 2  # the person reads French
    assert not person.memberships.filter(authority=inao).exists()


def test_it_keeps_line_breaks_in_a_text_area_but_not_in_a_line(demo: dict) -> None:
    person = demo["importer@acme-bio.example"]
    client = Client()
    client.force_login(person)
    inao = Membership.objects.filter(authority__name="INAO").first().authority
    response = client.post(
        reverse("directory:authority_request"), {"authority": inao.pk, "message": "Hello", "contact_phone": "+33\n1"}
    )
    assert "Ce champ tient sur une ligne" in response.content.decode()
    client.post(reverse("directory:authority_request"), {"authority": inao.pk, "message": "Hello,\r\nI import."})
    assert person.memberships.get(authority=inao).message == "Hello,\r\nI import."
