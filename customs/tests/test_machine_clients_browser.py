"""In a real browser, in French: a customs office's administrator issues a machine client's token (shown once),
sees it listed with its prefix, and revokes it; the exchange then refuses the token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from accounts.tests.browser_login import logged_in
from accounts.tests.factories import UserFactory
from certificates.tests.factories import AuthorityFactory, MembershipFactory
from customs.models import CustomsClient, CustomsOffice
from directory.models import Authority, MembershipKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def exchange(secret: str) -> int:
    return (
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        .get("/api/customs/v1/documents/X", {"request_id": "r"})
        .status_code
    )


def test_the_offices_administrator_issues_and_revokes_a_token_in_french(browser: Browser, live_server: Any) -> None:
    authority = AuthorityFactory(name="Bureau de douane du Havre port", country="FR", kind=Authority.Kind.CUSTOMS)
    CustomsOffice.objects.create(authority=authority, code="FR000690")
    chef = UserFactory(email="chef@douane-lehavre.example", language="fr")
    MembershipFactory(user=chef, kind=MembershipKind.AUTHORITY, authority=authority, is_admin=True)
    page = logged_in(browser, live_server.url, chef.email)

    page.get_by_role("link", name="Clients machine de FR000690").click()
    expect(page.locator("h1")).to_have_text("Clients machine de Bureau de douane du Havre port (FR000690)")
    page.get_by_role("button", name="Émettre un jeton").click()
    expect(page.locator(".errorlist")).to_contain_text("Ce champ est obligatoire.")
    page.get_by_label("Nom du système").fill("Guichet unique national")
    page.get_by_role("button", name="Émettre un jeton").click()
    expect(page.locator("main")).to_contain_text("Copiez ce jeton maintenant : il ne sera plus affiché.")
    secret = page.get_by_test_id("new-token").inner_text()
    assert secret.startswith("occ_") and exchange(secret) == 404
    expect(page.get_by_test_id("clients")).to_contain_text(secret[:10])

    page.goto(page.url)  # shown once: not on the next visit
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    page.get_by_role("button", name="Révoquer").click()
    expect(page.locator("main")).to_contain_text("Le client machine « Guichet unique national » est révoqué")
    expect(page.get_by_role("button", name="Révoquer")).to_have_count(0)
    assert CustomsClient.objects.get().revoked_at is not None and exchange(secret) == 401
