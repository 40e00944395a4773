"""/admin/ serves Django's admin to Commission staff only, logged in through the site's pages."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import log_in

pytestmark = pytest.mark.django_db


def test_it_sends_visitors_to_the_sites_login_page(client: Client) -> None:
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert response.status_code == 200


def test_it_refuses_people_who_are_not_staff(client: Client) -> None:
    person = UserFactory()
    log_in(client, person.email, PASSWORD)

    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Access refused" in response.content.decode()


def test_it_refuses_them_in_french(client: Client) -> None:
    person = UserFactory(language="fr")
    log_in(client, person.email, PASSWORD)

    assert "Accès refusé" in client.get("/admin/", follow=True).content.decode()


def test_it_never_offers_its_own_password_form(client: Client) -> None:
    staff = UserFactory(is_staff=True)
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_it_serves_the_admin_to_commission_staff(client: Client) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True, email="claire@commission.example")
    log_in(client, staff.email, PASSWORD)

    response = client.get("/admin/")
    assert response.status_code == 200
    assert "OpenCOI" in response.content.decode()
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/apitoken/").status_code == 200
    assert "claire@commission.example" in client.get("/admin/accounts/user/").content.decode()


def test_it_links_the_admin_for_staff_only(client: Client) -> None:
    person = UserFactory(language="en")
    log_in(client, person.email, PASSWORD)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.post("/accounts/logout/")

    staff = UserFactory(is_staff=True, language="en")
    log_in(client, staff.email, PASSWORD)
    assert 'href="/admin/"' in client.get("/").content.decode()
