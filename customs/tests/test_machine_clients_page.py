"""The office's machine clients on a page: its Valid administrators (the flag given by the Commission) issue a
token shown once, list the clients (prefix, created, last used, revoked) and revoke them (FR/EN); nobody else
opens the page (404), whatever they post."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from certificates.tests.factories import AuthorityFactory, MembershipFactory, member_of
from core.errors import Invalid
from customs.models import CustomsClient, CustomsOffice
from directory import services
from directory.models import Authority, Membership, MembershipKind

URL = "/customs/offices/FR000690/clients/"


def staff(office: CustomsOffice, *, admin: bool, language: str = "en") -> Client:
    user = UserFactory(language=language)
    MembershipFactory(user=user, kind=MembershipKind.AUTHORITY, authority=office.authority, is_admin=admin)
    page = Client()
    page.force_login(user)
    return page


def issue(page: Client, name: str) -> str:
    answer = page.post(URL, {"name": name})
    assert answer.status_code == 200, answer.content
    return re.search(r'data-testid="new-token">([^<]+)<', answer.content.decode()).group(1)


def exchange(secret: str) -> int:
    return (
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        .get("/api/customs/v1/documents/X", {"request_id": "r"})
        .status_code
    )


def test_the_admin_issues_a_token_shown_once_that_the_exchange_accepts(office):
    page = staff(office, admin=True)
    secret = issue(page, "Guichet unique national")
    assert secret.startswith("occ_") and exchange(secret) == 404  # known: the document is not
    listed = page.get(URL)
    text = listed.content.decode()
    assert listed.status_code == 200 and listed["Cache-Control"].startswith("max-age=0")
    assert "Guichet unique national" in text and secret[:10] in text and secret not in text
    client = CustomsClient.objects.get()
    assert (client.office, client.created_by.is_authenticated, client.last_used_at is not None) == (office, True, True)
    assert "—" in text.split(secret[:10])[1].split("</tr>")[0]  # not revoked


def test_the_admin_revokes_a_client_and_the_exchange_refuses_its_token(office):
    page = staff(office, admin=True, language="fr")
    secret = issue(page, "Ancien système")
    client = CustomsClient.objects.get()
    done = page.post(f"{URL}{client.pk}/revoke/", follow=True)
    assert "Le client machine « Ancien système » est révoqué" in done.content.decode()
    assert exchange(secret) == 401
    assert 'action="/customs/offices/FR000690/clients/' not in done.content.decode().split("Ancien système")[1]
    assert page.post(f"{URL}{client.pk}/revoke/").status_code == 404  # already revoked


def test_it_asks_for_the_name_in_the_persons_language_and_issues_nothing(office):
    page = staff(office, admin=True, language="fr")
    refused = page.post(URL, {"name": ""})
    assert refused.status_code == 422 and "Ce champ est obligatoire." in refused.content.decode()
    assert "Clients machine de FR000690" in refused.content.decode()
    assert not CustomsClient.objects.exists()


@pytest.mark.parametrize("who", ["staff", "other office's admin", "importer", "anonymous"])
def test_nobody_but_the_offices_admin_opens_issues_or_revokes(office, who):
    client, secret = CustomsClient.issue(office, "Guichet unique national")
    if who == "staff":
        page = staff(office, admin=False)
    elif who == "other office's admin":
        other = CustomsOffice.objects.create(
            authority=AuthorityFactory(name="Bureau de Roissy", country="FR", kind=Authority.Kind.CUSTOMS),
            code="FR001260",
        )
        page = staff(other, admin=True)
        # Its own page does not reach this office's clients either.
        assert page.post(f"/customs/offices/FR001260/clients/{client.pk}/revoke/").status_code == 404
    elif who == "importer":
        page = Client()
        page.force_login(UserFactory())
    else:
        page = Client()
    expected = 302 if who == "anonymous" else 404
    assert page.get(URL).status_code == expected
    assert page.post(URL, {"name": "mine"}).status_code == expected
    assert page.post(f"{URL}{client.pk}/revoke/").status_code == expected
    assert CustomsClient.objects.count() == 1 and exchange(secret) == 404


def test_the_commission_gives_the_flag_and_the_menu_shows_the_page(office, world):
    agent = member_of(office.authority, email="chef@douane-lehavre.example")
    membership = Membership.objects.get(user=agent)
    page = Client()
    page.force_login(agent)
    assert "Machine clients of FR000690" not in page.get("/").content.decode()
    assert page.get(URL).status_code == 404

    commission = member_of(AuthorityFactory(name="DG SANTE", country="BE", kind=Authority.Kind.COMMISSION))
    services.set_admin(commission, membership.pk, True)
    home = page.get("/")
    assert f'<a href="{URL}">Machine clients of FR000690</a>' in home.content.decode()
    assert page.get(URL).status_code == 200
    # An authority that is not a customs office has no administrators.
    inspector = member_of(world.inao, email="inspecteur@inao.example")
    with pytest.raises(Invalid):
        services.set_admin(commission, Membership.objects.get(user=inspector).pk, True)
