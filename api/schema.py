"""The base of every input schema of the API: what a script sends is taken whole or refused (422).

- A field the schema does not know is refused (pydantic `extra="forbid"`; the OpenAPI document then says
  `additionalProperties: false`), never silently dropped.
- Every text is checked by `core.text` (control characters, lone surrogates, bidirectional overrides); the
  fields named in `Multiline` may hold tabs and line breaks, as the page's text areas do.
- `column(Model, "field")` gives a text field the length of its database column, so a value too long for
  the column is refused by the schema (and shown in the document as `maxLength`), never cut.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination
from pydantic import ConfigDict, ValidationInfo, field_validator

from core.converters import MAX_ID
from core.text import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN, refusal
from core.text import column as text_column

# An object's id (a bigint); any other number is refused (422) rather than overflowing a query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A count (packages): what the column holds.
Count = Annotated[int, Field(ge=0, le=2_000_000_000)]
# A page number of a list: 1 to a bound no list reaches.
Page = Annotated[int, Field(ge=1, le=1_000_000)]
# A CN code as typed: eight digits, with spaces or dots ("0801 32 00").
CN_TYPED = 16


def _declare_text_rule(schema: dict[str, Any], cls: type) -> None:
    """The OpenAPI document states the text rule as a `pattern` on every string field, so clients (and
    schemathesis) know what is accepted before sending it."""
    multiline: frozenset[str] = getattr(cls, "multiline", frozenset())
    for name, prop in schema.get("properties", {}).items():
        pattern = MULTI_LINE_PATTERN if name in multiline else SINGLE_LINE_PATTERN
        for part in [prop, *prop.get("anyOf", [])]:
            if part.get("type") == "string" and "format" not in part and "enum" not in part:
                part.setdefault("pattern", pattern)
            items = part.get("items", {})
            if part.get("type") == "array" and items.get("type") == "string":
                items.setdefault("pattern", pattern)


class StrictIn(Schema):
    """Base of every request body, form and query schema of the API."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_declare_text_rule)
    multiline: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> Any:
        for text in _texts(value):
            message = refusal(text, multiline=info.field_name in cls.multiline)
            if message:
                raise ValueError(message)
        return value


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def column(model: type[Model], name: str, default: Any = "") -> Any:
    """A schema field as long as `model.name`'s column at most: `trade_name: str = column(CommodityLine,
    "trade_name")`."""
    return Field(default, max_length=text_column(model, name)[1])


def refuse_unknown_form_fields(request: HttpRequest, schema: type[Schema], *files: str) -> None:
    """A multipart form's fields are parsed by name, so one the schema does not know would be ignored: refuse
    it as a JSON body's would be (422, `extra_forbidden` at the field)."""
    known = set(schema.model_fields) | set(files)
    unknown = sorted((set(request.POST) | set(request.FILES)) - known)
    if unknown:
        raise ValidationError(
            [
                {"type": "extra_forbidden", "loc": ["form", name], "msg": "Extra inputs are not permitted"}
                for name in unknown
            ]
        )


class BoundedPages(PageNumberPagination):
    """ninja's page-number pagination with the page bounded (`Page`): a page past the end is an empty list,
    a number beyond the bound a 422, never a database overflow."""

    class Input(Schema):  # beside the operation's own query parameters: extra names are theirs
        page: Page = 1
        page_size: int | None = Field(None, ge=1, le=100)
