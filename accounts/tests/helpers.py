"""What several account tests do: read emailed links, log in through the real pages, compute TOTP codes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client

from accounts.two_factor import current_code

LINK_RE = re.compile(r"https?://\S+")


def links_in(body: str) -> list[str]:
    return LINK_RE.findall(body)


def path_of(url: str) -> str:
    return urlsplit(url).path


def last_email_link() -> str:
    """The path of the link in the last email sent."""
    return path_of(links_in(mail.outbox[-1].body)[0])


def totp_code(secret: str, step: int = 0) -> str:
    """The current TOTP code of a secret; `step` picks a neighbour period (codes are single-use)."""
    return current_code(secret, step)


def log_in(client: Client, email: str, password: str, *, language: str = "en") -> object:
    """Log in through allauth's page, as a person does (records the authentication for re-auth checks)."""
    client.cookies["django_language"] = language
    return client.post("/accounts/login/", {"login": email, "password": password}, follow=True)


def signup_data(client: Client, **overrides: str) -> dict[str, str]:
    """A filled sign-up form with the right answer to the human check the page just asked."""
    client.get("/accounts/signup/")
    data = {
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "nadia@acme-bio.example",
        "email2": "nadia@acme-bio.example",
        "language": "fr",
        "human_check": str(client.session["signup_human_check"]),
    }
    data.update(overrides)
    return data
