"""In a real browser, the guide's path: search ACME Bio Imports FR, request, INAO validates, the person is
administrator, a colleague requests, the administrator validates (sign-up is covered by the accounts app)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.browser_login import logged_in
from accounts.tests.factories import UserFactory
from directory.models import ActivityKind, Membership, Status
from directory.tests.factories import (
    AuthorityFactory,
    ControlBodyCodeFactory,
    OperatorActivityFactory,
    OperatorFactory,
    member_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def request_acme(page: Page, base: str, message: str) -> None:
    page.goto(f"{base}/directory/")
    page.get_by_role("link", name="Opérateur").click()
    page.locator("#id_country").select_option("FR")
    page.locator("#id_q").fill("ACME")
    page.get_by_role("button", name="Rechercher").click()
    row = page.locator("tr", has_text="ACME Bio Imports FR")
    expect(row).to_contain_text("Big Street 1")
    row.get_by_role("link", name="Demande d’autorisation").click()
    page.locator("#id_message").fill(message)
    page.get_by_role("button", name="Envoyer la demande d’autorisation").click()
    expect(page.get_by_text("Votre demande est envoyée.")).to_be_visible()
    expect(page.locator("[data-testid=roles]")).to_contain_text("Demandé")


def test_it_walks_the_guides_path(browser: Browser, live_server: object) -> None:
    base = live_server.url
    inao = AuthorityFactory(name="INAO", country="FR")
    inao_agent = member_of(inao, UserFactory(email="agent@inao.example", language="fr")).user
    acme = OperatorFactory(name="ACME Bio Imports FR", address="Big Street 1")
    OperatorActivityFactory(
        operator=acme, kind=ActivityKind.IMPORTER, control_body_code=ControlBodyCodeFactory(code="FR-BIO-01")
    )
    isabelle = UserFactory(email="isabelle@acme-bio.example", first_name="Isabelle", last_name="Acme", language="fr")
    paul = UserFactory(email="paul@acme-bio.example", first_name="Paul", last_name="Collègue", language="fr")

    page = logged_in(browser, base, isabelle.email, locale="fr-FR")
    request_acme(page, base, "Import manager")

    validator = logged_in(browser, base, inao_agent.email, locale="fr-FR")
    validator.goto(f"{base}/directory/requests/")
    request = Membership.objects.get(user=isabelle)
    card = validator.locator(f"[data-testid=pending-{request.pk}]")
    expect(card).to_contain_text("Import manager")
    card.get_by_role("button", name="Valider").click()
    expect(validator.get_by_text("Aucune demande n’attend votre décision.")).to_be_visible()

    page.goto(f"{base}/directory/roles/")
    roles = page.locator("[data-testid=roles]")
    expect(roles).to_contain_text("Valide")
    expect(roles).to_contain_text("oui")

    colleague = logged_in(browser, base, paul.email, locale="fr-FR")
    request_acme(colleague, base, "Purchasing")

    page.goto(f"{base}/directory/organisations/")
    page.get_by_role("link", name="1 demande en attente").click()
    pending = Membership.objects.get(user=paul)
    page.locator(f"[data-testid=user-{pending.pk}]").get_by_role("button", name="Valider").click()
    expect(page.locator(f"[data-testid=user-{pending.pk}]")).to_have_count(0)
    page.get_by_role("link", name="Tous les utilisateurs").click()
    expect(page.locator(f"[data-testid=user-{pending.pk}]")).to_contain_text("Valide")

    pending.refresh_from_db()
    assert pending.status == Status.VALID and not pending.is_admin
    assert Membership.objects.get(user=isabelle).is_admin
