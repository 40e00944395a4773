"""The exchange's OpenAPI document names every operation, its article, and the refusals it may answer."""

from __future__ import annotations

from django.test import Client


def test_it_documents_every_operation_and_its_refusals(db):
    schema = Client().get("/api/customs/v1/openapi.json").json()
    operations = {(path, method): op for path, methods in schema["paths"].items() for method, op in methods.items()}
    assert {(p, m) for p, m in operations} == {
        ("/api/customs/v1/availability", "post"),
        ("/api/customs/v1/documents/{reference}", "get"),
        ("/api/customs/v1/documents", "get"),
        ("/api/customs/v1/declarations", "post"),
        ("/api/customs/v1/declarations/{mrn}/amendment", "post"),
        ("/api/customs/v1/declarations/{mrn}/invalidation", "post"),
        ("/api/customs/v1/documents/{reference}/manual", "post"),
        ("/api/customs/v1/records", "post"),
        ("/api/customs/v1/records/{record_id}/amendment", "post"),
        ("/api/customs/v1/records/{record_id}/deletion", "post"),
        ("/api/customs/v1/contingency", "post"),
    }
    for (path, method), op in operations.items():
        assert {"401", "403", "404", "409", "422"} <= set(map(str, op["responses"])), (path, method)
        assert op.get("security"), (path, method)
    for code in ("quantity_exceeds_remaining", "status_not_releasable", "importer_mismatch", "request_id_reused"):
        assert code in schema["info"]["description"]
    assert "Art. 6" in operations[("/api/customs/v1/declarations", "post")]["summary"]


def test_it_documents_who_may_change_quantities_by_hand_and_its_refusals(db):
    schema = Client().get("/api/customs/v1/openapi.json").json()
    manual = schema["paths"]["/api/customs/v1/documents/{reference}/manual"]["post"]
    for code in ("reason_required", "reason_too_long", "not_competent_authority", "line_not_found",
                 "quantity_exceeds_remaining", "restoration_exceeds_written_off", "document_not_found"):  # fmt: skip
        assert code in manual["description"], code
    assert "validating authority" in manual["description"] and "Art. 8" in manual["summary"]
    reason = schema["components"]["schemas"]["ManualIn"]["properties"]["reason"]
    assert "reason" in schema["components"]["schemas"]["ManualIn"]["required"] and "Art. 8" in reason["description"]
