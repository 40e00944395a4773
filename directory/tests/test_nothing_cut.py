"""Issue 12, nothing cut: a request's message is kept whole in the directory's history; a decision's reason longer
than its column is refused with the reason's own message, in the reader's language, and nothing is decided."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from directory import services
from directory.models import Decision, Status
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_keeps_a_long_request_message_whole_in_the_history(world: SimpleNamespace) -> None:
    message = (
        "Importateur certifié depuis 2019, voir le certificat joint. " * 30
    )  # 1 800 characters, the form takes 2 000
    person = UserFactory()
    response = logged_in(person).post(
        reverse("directory:operator_request", args=[world.acme.pk]), {"message": message, "contact_email": ""}
    )
    assert response.status_code == 302
    request = Decision.objects.get(membership__user=person, new_status=Status.REQUESTED)
    assert request.note == message.strip() and request.membership.message == message.strip()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Reason: Ensure this value has at most 500 characters (it has 501)."),
        ("fr", "Motif\u00a0: Assurez-vous que cette valeur comporte au plus 500 caractères (actuellement 501)."),
    ],
)
def test_it_refuses_a_reason_longer_than_its_field_by_its_label(world: SimpleNamespace, language, said) -> None:
    membership = services.request_membership(UserFactory(), world.acme)
    world.inao_agent.language = language
    world.inao_agent.save(update_fields=["language"])
    response = logged_in(world.inao_agent).post(
        reverse("directory:decide", args=[membership.pk]), {"action": "reject", "reason": "x" * 501}, follow=True
    )
    assert said in [str(m) for m in response.context["messages"]]
    membership.refresh_from_db()
    assert membership.status == Status.REQUESTED and membership.reason == ""
