"""The base of every input schema of the API: what a script sends is taken whole or refused (422).

- A field the schema does not know is refused (pydantic `extra="forbid"`; the OpenAPI document then says
  `additionalProperties: false`), never silently dropped.
- Every text is checked by `core.text` (control characters, lone surrogates, bidirectional overrides); the
  fields named in `Multiline` may hold tabs and line breaks, as the page's text areas do.
- `column(Model, "field")` gives a text field the length of its database column, so a value too long for
  the column is refused by the schema (and shown in the document as `maxLength`), never cut.
- A JSON body's whole numbers and true/false are taken as the document types them: "5", 5.0 or true for an id,
  1 or "yes" for a flag are refused (422 at the field), not read as 5 or True. Query strings and form fields
  (`TextIn`), whose values all arrive as text, are read as pydantic reads them.
"""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination
from pydantic import BeforeValidator, ConfigDict, GetJsonSchemaHandler, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from core.converters import MAX_ID
from core.text import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN, refusal
from core.text import column as text_column
from core.typography import TYPED_QUANTITY_PATTERN, read_quantity

# An object's id (a bigint); any other number is refused (422) rather than overflowing a query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _typed_count(value: Any) -> Any:
    """A count's text read as a quantity (`core.typography.read_quantity`), whole: "1_000", "+5", "1e3" refused
    (422 `int_parsing` at the field), which pydantic's integers would read; a JSON number left to pydantic."""
    if isinstance(value, str):
        number = read_quantity(value)
        if number is None or number != number.to_integral_value():
            raise PydanticCustomError("int_parsing", "Input should be a valid integer")
        return int(number)
    return value


# A count (packages): what the column holds; its text read as a quantity (`_typed_count`).
Count = Annotated[int, Field(ge=0, le=2_000_000_000), BeforeValidator(_typed_count)]


def _typed_quantity(value: Any) -> Any:
    """A quantity's text read as a person types it (`core.typography.read_quantity`): "1e3", "+5", "1_000",
    "NaN", true refused (422 `decimal_parsing` at the field); a JSON number left to pydantic (finite only)."""
    if isinstance(value, str | bool):
        number = read_quantity(value)
        if number is None:
            raise PydanticCustomError("decimal_parsing", "Input should be a valid decimal")
        return number
    return value


class _QuantityText:
    """The OpenAPI document gives a quantity's text its pattern (`TYPED_QUANTITY_PATTERN`)."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema = dict(handler(core_schema))
        for part in schema.get("anyOf", []):
            if part.get("type") == "string":
                part["pattern"] = TYPED_QUANTITY_PATTERN
        return schema


# A quantity (a weight, in the field's unit): a JSON number, or a text as a person types it ("9 071,8", "3000.5");
# "1e3", "+5", "1_000", "NaN", "Infinity" are refused (issue 24, fault 6), as on the pages.
# `quantity(gt=0, ...)`: one with bounds (pydantic `Field`'s), the bounds documented as JSON Schema writes them.
Quantity = Annotated[Decimal, BeforeValidator(_typed_quantity), _QuantityText]


def quantity(**bounds: Any) -> Any:
    return Annotated[Decimal, Field(**bounds), BeforeValidator(_typed_quantity), _QuantityText]


# A page number of a list: 1 to a bound no list reaches.
Page = Annotated[int, Field(ge=1, le=1_000_000)]
# A country in a query string: its ISO 3166 alpha-2 code, in any case ("ma"); "" for none (`CountryOrNone`).
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code")]
CountryOrNone = Annotated[str, Field(pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2 code, or empty")]
# A language asked for in a query string: one OpenCOI speaks ("fr", "en", "en-GB").
Language = Annotated[str, Field(pattern=r"^(fr|en|FR|EN)([-_][A-Za-z]{2})?$", description="fr or en")]
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
    from_text: ClassVar[bool] = False  # a query string's or a form's schema: every value arrives as text

    @field_validator("*", mode="before")
    @classmethod
    def _json_type(cls, value: Any, info: ValidationInfo) -> Any:
        if cls.from_text or info.field_name is None:
            return value
        kind = _scalar(cls.model_fields[info.field_name].annotation)
        for item in value if isinstance(value, list) else [value]:
            if kind is not None and item is not None and type(item) is not kind:
                raise PydanticCustomError(*JSON_TYPE_REFUSAL[kind])
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> Any:
        for text in _texts(value):
            message = refusal(text, multiline=info.field_name in cls.multiline)
            if message:  # the reason alone, in the caller's language (a ValueError's is prefixed "Value error, ")
                raise PydanticCustomError("value_error", "{reason}", {"reason": str(message)})
        return value


# pydantic's own error types and messages, as for a value it cannot read at all ("abc" for an id)
JSON_TYPE_REFUSAL = {
    int: ("int_type", "Input should be a valid integer"),
    bool: ("bool_type", "Input should be a valid boolean"),
}


def _scalar(annotation: Any) -> type | None:
    """int or bool when the field holds those (alone, optional or in a list: `Id | None`, `list[Id]`), else None."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated or origin is list:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            kinds = [a for a in get_args(annotation) if a is not type(None)]
            if len(kinds) != 1:
                return None
            annotation = kinds[0]
        else:
            return annotation if annotation in (int, bool) else None


class TextIn(StrictIn):
    """Base of query-string and form schemas: their values all arrive as text ("5", "true")."""

    from_text = True


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


def refused_at(where: str, name: str, message: Any) -> ValidationError:
    """A refusal of a value the schema took but that names nothing the caller may name (an id of no such
    operator, a membership not theirs): 422 at its field (`where`: "body" or "query"), as the schema's own
    refusals are, never a 404 (which says the URL names nothing) or a 403 about something else."""
    loc = ["body", "payload", name] if where == "body" else [where, name]
    return ValidationError([{"type": "value_error", "loc": loc, "msg": str(message)}])
