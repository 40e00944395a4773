"""What the tests of the Union part of the 2021/2306 form (boxes 19-31: test_union_part_*.py, test_box_20_first_given.py,
test_replace_after_union_checks.py) do the same way: reach a step through the API or its page (with a fresh
two-factor code), read a page or a PDF as its reader sees it, and bring a COI to where a rule is tried."""

from __future__ import annotations

import datetime
import re
import subprocess
from typing import Any

from django.test import Client
from django.utils import timezone

from certificates.models import Certificate
from certificates.outputs.pdf import render_pdf
from certificates.statuses import COIStatus
from certificates.workflow import release
from core.tests.test_forms_keep_input import controls

from .workflow_world import api_auth, fresh_code

URL = "/api/v1/certificates"


def post_step(coi: Certificate, step: str, body: dict[str, Any], user: Any) -> Any:
    """POST a step through the API (`/api/v1/certificates/<id>/<step>`), at Le Havre unless said, with a fresh code."""
    body = {"place": "Le Havre", **body, "code": fresh_code(user)}
    return Client().post(f"{URL}/{coi.pk}/{step}", body, content_type="application/json", **api_auth(user))


def patch_boxes(coi: Certificate, body: dict[str, Any], user: Any) -> Any:
    """PATCH the COI's boxes through the API."""
    return Client().patch(f"{URL}/{coi.pk}", body, content_type="application/json", **api_auth(user))


def page(user: Any) -> Client:
    """A browser logged in as `user`, asking for English pages."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def page_step(coi: Certificate, name: str, body: dict[str, Any], user: Any) -> Any:
    """Post a step's page form (`/certificates/<id>/workflow/<name>/`), at Le Havre unless said, with a fresh code."""
    body = {"place": "Le Havre", **body, "code": fresh_code(user)}
    return page(user).post(f"/certificates/{coi.pk}/workflow/{name}/", body)


def as_shown(client: Client, coi: Certificate) -> dict[str, Any]:
    """The edit page's form as the browser would post it untouched (its controls with what they show)."""
    html = client.get(f"/certificates/{coi.pk}/edit/").content.decode()
    form = next(part for part in re.split(r"(?=<form)", html) if 'id="box-' in part)
    return {name: values if len(values) > 1 else values[0] for name, values in controls(form).items()}


def shown(response: Any) -> str:
    """A page's HTML with its whitespace runs made one space."""
    return " ".join(response.content.decode().split())


def pdf_text(coi: Certificate, language: str = "en") -> str:
    """The text of the COI's PDF in that language (pdftotext, layout kept), whitespace runs made one space."""
    pdf = render_pdf(coi.pk, language).content
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def stored(coi: Certificate) -> Certificate:
    return Certificate.objects.get(pk=coi.pk)


def status(coi: Certificate) -> str:
    return stored(coi).status


def expire(operator: Any, kind: str) -> None:
    """The operator's activity of that kind no longer certified since yesterday."""
    operator.activities.filter(kind=kind).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))


def issued(flow: Any) -> Certificate:
    """A 2021/2306 COI with box 18 signed: box 20 given 3 days ahead (to the second), box 23's warehousing named."""
    return flow.coi(COIStatus.ISSUING_BODY_SIGNED)


def sign_25(flow: Any, coi: Certificate, documentary: str = "satisfactory", selected: str = "no") -> Certificate:
    """Box 25 signed by the competent authority's agent (in the domain: no two-factor code)."""
    agent = flow.person(flow.w.inao_agent)
    return release.sign_box_25(agent, coi.pk, documentary=documentary, selected=selected, place="Le Havre")
