"""The administrator flag of a customs office's people on a page (issue 24, fault 8): the office's Valid
administrator, or the Commission that validates its staff, gives the flag to another Valid person of the office and
takes it back (French and English); the office's other people are refused (403) on the page and on the button,
whatever they post; nobody changes their own flag, nor makes a person not yet validated administrator."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from certificates.tests.factories import AuthorityFactory, MembershipFactory, member_of
from customs.access import administered_offices
from customs.models import CustomsOffice
from directory.models import Authority, Membership, MembershipKind, Status

URL = "/customs/offices/FR000690/staff/"


def person(office: CustomsOffice, *, admin: bool = False, status: str = Status.VALID, language: str = "en"):
    user = UserFactory(language=language)
    membership = MembershipFactory(
        user=user, kind=MembershipKind.AUTHORITY, authority=office.authority, is_admin=admin, status=status
    )
    page = Client()
    page.force_login(user)
    return page, membership


def flag(page: Client, membership: Membership, value: bool):
    return page.post(f"{URL}{membership.pk}/admin/", {"is_admin": "1" if value else "0"}, follow=True)


@pytest.mark.django_db
def test_it_lets_the_office_s_administrator_give_and_take_the_flag_in_french_and_english(office):
    chief, chief_m = person(office, admin=True, language="fr")
    _colleague, colleague_m = person(office)
    shown = chief.get(URL)
    text = html.unescape(shown.content.decode())
    assert shown.status_code == 200 and f"Personnel de {office}" in text and "Nommer administrateur" in text
    answer = flag(chief, colleague_m, True)
    text = html.unescape(answer.content.decode())
    assert f"{colleague_m.user.get_full_name()} est désormais administrateur de {office}." in text
    assert office in administered_offices(colleague_m.user)
    chief_m.user.language = "en"
    chief_m.user.save(update_fields=["language"])
    answer = flag(chief, colleague_m, False)
    assert f"{colleague_m.user.get_full_name()} is no longer an administrator of {office}." in html.unescape(
        answer.content.decode()
    )
    assert office not in administered_offices(colleague_m.user)
    # Not one's own flag, nor a person not yet validated.
    assert "Nobody changes their own administrator flag." in html.unescape(flag(chief, chief_m, False).content.decode())
    _waiting, waiting_m = person(office, status=Status.REQUESTED)
    assert "Only a Valid person can be an administrator." in html.unescape(
        flag(chief, waiting_m, True).content.decode()
    )
    assert list(Membership.objects.filter(is_admin=True)) == [chief_m]


@pytest.mark.django_db
def test_it_refuses_the_office_s_other_people_403_and_lets_the_commission_do_it(office):
    clerk, _clerk_m = person(office, language="fr")
    _colleague, colleague_m = person(office)
    refused = clerk.get(URL)
    assert refused.status_code == 403
    assert clerk.post(f"{URL}{colleague_m.pk}/admin/", {"is_admin": "1"}).status_code == 403
    outsider = Client()
    outsider.force_login(UserFactory())
    assert outsider.get(URL).status_code == 404
    assert outsider.post(f"{URL}{colleague_m.pk}/admin/", {"is_admin": "1"}).status_code == 404
    assert not Membership.objects.filter(is_admin=True).exists()
    commission = Client()
    commission.force_login(member_of(AuthorityFactory(name="DG SANTE", country="BE", kind=Authority.Kind.COMMISSION)))
    assert commission.get(URL).status_code == 200
    assert flag(commission, colleague_m, True).status_code == 200
    assert Membership.objects.get(pk=colleague_m.pk).is_admin
