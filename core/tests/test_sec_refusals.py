"""Issue 12, point 9: every refusal on a page is a 403, 404 or 409 (or 422 for a form) with the reason,
never a 500. Every page route from the URL resolver is posted to as every demo actor, on every demo COI
(every workflow step by name) and on the directory's objects, with an empty form and with a plausible one.

The demo actors to whom a COI's page answers 404 are all refused by the same rule (the COI does not exist for
them): the first of them posts to that COI's pages for them all. One test per actor, so that the two test
workers share the walk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from accounts.models import ApiToken, User
from certificates.models import Certificate, Document
from certificates.workflow.offer import STEPS
from core.tests.security_world import rolled_back
from core.tests.urlmap import Page, pages
from demo.load import load_demo
from demo.people import DEMO_ACCOUNTS
from directory.models import Membership, Operator, OperatorActivity, RflGrant

pytestmark = [pytest.mark.once, pytest.mark.django_db]
COI_PAGES = ("certificates:", "outputs:")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, User]]:
    with django_db_blocker.unblock(), rolled_back():
        users = load_demo()
        for user in users.values():
            ApiToken.issue(user, "walk")
        yield users


@pytest.fixture(scope="module")
def hidden(demo: dict[str, User], django_db_blocker: Any) -> dict[int, list[str]]:
    """COI id -> the demo actors (emails, in the demo's order) to whom its page answers 404."""
    with django_db_blocker.unblock():
        found: dict[int, list[str]] = {}
        for email, _role, _name, _signs in DEMO_ACCOUNTS:
            client = Client(raise_request_exception=False)
            client.force_login(demo[email])
            for pk in Certificate.objects.values_list("pk", flat=True):
                if client.get(f"/certificates/{pk}/").status_code == 404:
                    found.setdefault(pk, []).append(email)
        return found


def _plausible(operator_id: int) -> dict[str, str]:
    """What a person fills in some form: every step's fields at once, valid-looking but with a wrong code."""
    return {
        "place": "Le Havre", "code": "000000", "decision": "consignment_verified", "reason": "Checked.",
        "note": "Note.", "description": "Residue.", "documentary": "acceptable", "physical": "acceptable",
        "consignee": str(operator_id), "type": "other", "reference": "INV-1", "action": "validate",
        "is_admin": "on", "exporter": str(operator_id), "national_reference": "REF", "message": "Hello",
    }  # fmt: skip


def _objects(page: Page) -> list[dict[str, Any]]:
    """The path arguments to try for a page: each object of its kind (a few for the directory's)."""
    # one COI of each status keeps the walk to a few minutes
    cois = sorted({c.status: c.pk for c in Certificate.objects.order_by("-pk")}.values())
    name = page.name
    keys = {k for k, _v in page.kwargs}
    if name == "certificates:workflow_step":
        return [{"pk": pk, "name": step} for pk in cois for step in STEPS]
    if "document_id" in keys:
        return [{"pk": d.certificate_id, "document_id": d.pk} for d in Document.objects.all()] or [
            {"pk": cois[0], "document_id": 1}
        ]
    if name.startswith(("certificates:", "outputs:")) and "pk" in keys:
        return [{"pk": pk} for pk in cois]
    ids = {
        "directory:decide": Membership.objects.values_list("pk", flat=True)[:4],
        "directory:set_admin": Membership.objects.values_list("pk", flat=True)[:4],
        "directory:decide_activity": OperatorActivity.objects.values_list("pk", flat=True)[:3],
        "directory:rfl_revoke": RflGrant.objects.values_list("pk", flat=True)[:3],
        "accounts:revoke_token": ApiToken.objects.values_list("pk", flat=True)[:3],
    }.get(name)
    if ids is not None:
        return [{"pk": pk} for pk in ids] or [{"pk": 1}]
    if "pk" in keys:
        return [{"pk": pk} for pk in Operator.objects.values_list("pk", flat=True)[:3]]
    return [{}]


def _url(page: Page, values: dict[str, Any]) -> str:
    defaults = {"page": "certificate", "token": "x", "uidb64": "x", "name": "checks"}
    path = page.route
    for key, _v in page.kwargs:
        path = path.replace(f"<{key}>", "").replace(f"<id:{key}>", str(values.get(key, defaults.get(key, 1))))
        path = path.replace(f"<slug:{key}>", str(values.get(key, defaults.get(key, "x"))))
        path = path.replace(f"<str:{key}>", str(values.get(key, defaults.get(key, "x"))))
    return "/" + path


@pytest.mark.parametrize("email", [email for email, _role, _name, _signs in DEMO_ACCOUNTS])
def test_it_never_answers_a_post_with_a_server_error_whoever_posts(
    demo: dict[str, User], hidden: dict[int, list[str]], email: str
) -> None:
    operator_id = Operator.objects.values_list("pk", flat=True).first()
    posts = [p for p in pages() if not p.name.startswith("account_")]  # allauth's own forms are allauth's
    assert len(posts) > 30
    wrong, count = [], 0
    client = Client(raise_request_exception=False)
    client.force_login(demo[email])
    for page in posts:
        for values in _objects(page):
            refused_alike = hidden.get(values.get("pk", 0), []) if page.name.startswith(COI_PAGES) else []
            if email in refused_alike[1:]:  # the first actor who may not see this COI posts for them all
                continue
            url = _url(page, values)
            bodies = [_plausible(operator_id)] if page.name.startswith(COI_PAGES) else [{}, _plausible(operator_id)]
            for body in bodies:
                count += 1
                status = client.post(url, body).status_code
                if status >= 500:
                    wrong.append(f"{email} POST {url} ({page.name}, {'form' if body else 'empty'}): {status}")
    assert count > 50
    assert wrong == [], f"{len(wrong)} of {count} posts:\n" + "\n".join(wrong[:60])
