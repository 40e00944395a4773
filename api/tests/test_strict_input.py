"""Issue 12, point 1: a field the schema does not know is refused (422 naming it), never dropped, in every
body of the API; the OpenAPI document says so (`additionalProperties: false`) for every input schema."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import ApiToken
from api.api import api
from certificates.models import Certificate

# Written for the guides' form (1235/2008): COIs made here through the pages or the API take it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("guides_form")]
URL = "/api/v1/certificates"


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


def _refused_field(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {str(e["loc"][-1]) for e in response.json()["errors"]}


def test_it_refuses_unknown_fields_when_creating_a_coi(client: Any, world: Any) -> None:
    headers = auth(world.importer)
    for body, field in (
        ({"exporter": world.atlas.pk, "in_conversion": True}, "in_conversion"),
        ({"exporter": world.atlas.pk, "customs_procedure": "40"}, "customs_procedure"),
        ({"exporter": world.atlas.pk, "national_refrence": "REF-1"}, "national_refrence"),
        ({"exporter": world.atlas.pk, "commodities": [{"cn_code": "08013200", "lines": [{"lot": "A"}]}]}, "lot"),
    ):
        response = client.post(URL, body, content_type="application/json", **headers)
        assert field in _refused_field(response)
    assert not Certificate.objects.exists()


def test_it_refuses_unknown_fields_when_changing_a_coi_and_changes_nothing(client: Any, world: Any) -> None:
    coi = world.draft(national_reference="REF-1")
    response = client.patch(
        f"{URL}/{coi.pk}",
        {"national_reference": "REF-2", "customs_procedure": "40"},
        content_type="application/json",
        **auth(world.importer),
    )
    assert "customs_procedure" in _refused_field(response)
    coi.refresh_from_db()
    assert coi.national_reference == "REF-1"


def test_it_refuses_unknown_fields_in_workflow_directory_and_token_bodies(client: Any, world: Any) -> None:
    coi = world.submitted()
    headers = auth(world.inao_agent)
    response = client.post(
        f"{URL}/{coi.pk}/flag", {"description": "x", "severity": "high"}, content_type="application/json", **headers
    )
    assert "severity" in _refused_field(response)
    response = client.post(
        "/api/v1/memberships", {"authority_id": world.inao.pk, "role": "admin"}, content_type="application/json",
        **auth(world.importer),
    )  # fmt: skip
    assert "role" in _refused_field(response)
    response = client.post(
        "/api/v1/auth/token", {"email": "a@b.example", "password": "x", "scope": "all"}, content_type="application/json"
    )
    assert "scope" in _refused_field(response)


def test_it_refuses_unknown_fields_of_a_document_form(client: Any, world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    coi = world.draft()
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"{URL}/{coi.pk}/documents", {"type": "other", "file": upload, "pages": "3"}, **auth(world.importer)
    )
    assert "pages" in _refused_field(response)
    assert not coi.documents.exists()


def test_it_says_additional_properties_false_for_every_request_body() -> None:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    bodies = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref")
                if ref:
                    bodies.append((f"{method.upper()} {path}", components[ref.rsplit("/", 1)[1]]))
                elif "properties" in content["schema"] and content["schema"].get("type") == "object":
                    bodies.append((f"{method.upper()} {path}", content["schema"]))
    assert len(bodies) > 15
    open_bodies = [name for name, body in bodies if body.get("additionalProperties") is not False]
    assert open_bodies == []
    nested = [name for name, body in components.items() if name.endswith("In") and body.get("additionalProperties")]
    assert nested == []


def test_it_refuses_unknown_query_parameters(client: Any, world: Any) -> None:
    headers = auth(world.importer)
    assert client.get(f"{URL}?status=draft", **headers).status_code == 200
    response = client.get(f"{URL}?stauts=draft", **headers)
    assert "stauts" in _refused_field(response)
    coi = world.draft()
    response = client.post(f"{URL}/{coi.pk}/copy?acting_for=1&force=1", **headers)
    assert "force" in _refused_field(response)
    assert Certificate.objects.count() == 1


def test_it_refuses_a_number_or_a_flag_sent_as_another_json_type(client: Any, world: Any) -> None:
    """The document types an id as an integer and a flag as true/false: "5", 5.0 or true for an id, "yes" or 1
    for a flag are refused at their field (found by the API fuzzing: a request to join an authority sent with
    `"authority_id": "<id>"` was accepted), and nothing is made or changed."""
    from directory.models import Membership

    headers = auth(world.importer)
    joined = Membership.objects.count()
    for wrong in (str(world.inao.pk), float(world.inao.pk), True):
        response = client.post(
            "/api/v1/memberships", {"authority_id": wrong}, content_type="application/json", **headers
        )
        assert _refused_field(response) == {"authority_id"}, wrong
    response = client.post(
        "/api/v1/memberships", {"control_body_code_ids": [str(world.ecocert_fr.pk)]}, content_type="application/json",
        **headers,
    )  # fmt: skip
    assert _refused_field(response) == {"control_body_code_ids"}
    assert Membership.objects.count() == joined
    coi = world.draft(national_reference="REF-1")
    for body in ({"release_in_batches": "yes"}, {"release_in_batches": 1}, {"exporter": str(world.atlas.pk)}):
        response = client.patch(f"{URL}/{coi.pk}", body, content_type="application/json", **headers)
        assert _refused_field(response) == set(body), body
    coi.refresh_from_db()
    assert (coi.release_in_batches, coi.exporter_id) == (world.draft().release_in_batches, world.atlas.pk)
    # the same values as JSON types are taken; a query string's or a form's text is read as before
    response = client.patch(f"{URL}/{coi.pk}", {"release_in_batches": True}, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert client.get(f"{URL}?page=1", **headers).status_code == 200


def test_it_says_why_a_text_is_refused_in_the_caller_s_language_alone(client: Any, world: Any) -> None:
    """A text with a control character is refused at its field with the reason as the pages give it, in the
    caller's language, not prefixed with pydantic's English "Value error, "."""
    world.importer.language = "fr"
    world.importer.save(update_fields=["language"])
    response = client.get(URL, {"number": "COI\x00"}, **auth(world.importer))
    assert _refused_field(response) == {"number"}
    message = response.json()["errors"][0]["msg"]
    assert message.startswith("Le texte contient un caractère de contrôle (U+0000)"), message
