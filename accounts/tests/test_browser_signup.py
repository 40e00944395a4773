"""In a real browser: sign up, follow the emailed link, set the password, log in, switch languages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.tests.helpers import last_email_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Orange-tram-42-sunrise"


def answer_human_check(page: Page) -> str:
    question = page.locator("label[for=id_human_check]").inner_text()
    a, b = re.search(r"(\d+)\s*\+\s*(\d+)", question).groups()
    return str(int(a) + int(b))


def test_it_signs_up_logs_in_and_switches_languages(page: Page, live_server: object) -> None:
    base = live_server.url
    page.set_default_timeout(5000)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Créer un compte").first.click()

    expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
    page.get_by_label("Prénom").fill("Nadia")
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_email").fill("nadia@acme-bio.example")
    page.get_by_label("Confirmez l’adresse e-mail").fill("nadia@acme-bio.example")
    page.get_by_label("Langue des e-mails").select_option("fr")
    page.locator("#id_human_check").fill(answer_human_check(page))
    page.get_by_role("button", name="Créer le compte").click()

    expect(page.get_by_role("heading", name="Vérifiez vos e-mails")).to_be_visible()
    assert mail.outbox[-1].subject == "[OpenCOI] Définissez votre mot de passe"

    page.goto(base + last_email_link())
    expect(page.get_by_role("heading", name="Définissez votre mot de passe")).to_be_visible()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Définir le mot de passe").click()

    expect(page.get_by_text("Votre mot de passe est défini. Vous pouvez maintenant vous connecter.")).to_be_visible()
    page.locator("#id_login").fill("nadia@acme-bio.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()

    expect(page.get_by_text("Bienvenue, Nadia.")).to_be_visible()
    # A person with no role yet is told what to do next: the two choices of guide 001, 2.
    expect(page.get_by_role("heading", name="Étape suivante : demander un rôle")).to_be_visible()
    expect(page.locator("#next-step").get_by_role("link", name="Opérateur")).to_be_visible()
    expect(page.locator("#next-step").get_by_role("link", name="Organisme de contrôle biologique")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("Welcome, Nadia.")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_text("Bienvenue, Nadia.")).to_be_visible()
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
