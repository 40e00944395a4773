"""The OpenAPI document says every answer the API can give, so clients (and schemathesis) can rely on it.

Every operation may be refused with the same error body: 400 when its body cannot be parsed, 401 when it
needs a caller and none is authenticated, 403/404/409/422 from the domain's errors and the input's
validation (`api/api.py`'s handlers, shared by every router), 429 when logins are locked out. A URL no route
takes (a negative or too large id) is a JSON 404 too (`core.views.not_found`). Routers declare what is
specific to them; this adds what is common. Ids in paths are `<id:>` converters (`core.converters`): 0 to
2**63 - 1, so the schema says so.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from core.converters import MAX_ID

PROBLEM = "Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": PROBLEM,
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "code": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Code"},
        "boxes": {
            "anyOf": [{"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                      {"type": "null"}],
            "title": "Problems at their boxes",
        },
        "errors": {"type": "array", "items": {"type": "object"}, "title": "Invalid fields (422)"},
    },
}  # fmt: skip
COMMON = {
    400: "The request body cannot be read (malformed JSON, a multipart form without its boundary)",
    401: "Authentication required",
    403: "Refused: the reason is in `detail`",
    404: "No such object, or not one you may see",
    409: "The object's state no longer allows this",
    422: "What was sent is incomplete or invalid",
    429: "Too many failed logins: locked out for a while (django-axes)",
}
METHODS = {"get", "post", "put", "patch", "delete"}
UNSAFE = {"post", "put", "patch", "delete"}
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": (
        "Optional. A repeat of this request with the same key and the same body returns the first answer "
        "(header `Idempotent-Replayed: true`) and changes nothing; the same key with another request is refused "
        "(422, code `idempotency_key_reused`). Keys are kept 24 hours, per caller (`api/idempotency.py`)."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


class OpenCoiApi(NinjaAPI):
    """`idempotency_keys`: whether its state-changing operations take the `Idempotency-Key` header (the main API;
    the customs exchange has its own `request_id` instead, and the middleware ignores the header there)."""

    def __init__(self, *args: Any, idempotency_keys: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.idempotency_keys = idempotency_keys

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return declare_common_answers(schema, idempotency_keys=self.idempotency_keys)


def declare_common_answers(schema: OpenAPISchema, *, idempotency_keys: bool = True) -> OpenAPISchema:
    schema.setdefault("components", {}).setdefault("schemas", {})[PROBLEM] = PROBLEM_SCHEMA
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            if method in METHODS:
                _declare(operation)
            if method in UNSAFE and idempotency_keys:
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    return schema


def _declare(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for status, description in COMMON.items():
        if status == 401 and not operation.get("security"):
            continue
        responses.setdefault(
            status,
            {
                "description": description,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{PROBLEM}"}}},
            },
        )
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == "integer":
            parameter["schema"].setdefault("minimum", 0)
            parameter["schema"].setdefault("maximum", MAX_ID)
    form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if form and form["schema"].get("type") == "object":
        form["schema"]["additionalProperties"] = False  # api.schema.refuse_unknown_form_fields
