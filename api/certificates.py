"""API for COIs before certification: create a draft, read, update boxes, attach documents, submit, copy,
list; and autocompletion of products, control bodies and operators. The rules live in certificates/."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile
from pydantic import create_model

from api.schema import (
    CN_TYPED,
    Count,
    Id,
    Page,
    Quantity,
    StrictIn,
    TextIn,
    column,
    refuse_unknown_form_fields,
    refused_at,
)
from certificates import fields as ft
from certificates import lookups, queries, rules, services
from certificates.access import Person, get_visible, roles_on
from certificates.boxes import as_data
from certificates.coi_forms import FORMS, field_description
from certificates.filters import CertificateFilter, certificate_filter, page_of
from certificates.models import Certificate, Container, Document
from certificates.rules import form_2021_2306 as form_rules
from certificates.workflow import certification
from core.errors import DomainError
from directory.access import valid_memberships
from directory.models import ControlBodyCode, Membership, Operator

router = Router(tags=["certificates"])


def _annotation(row: ft.Row) -> Any:
    """The schema type of a field of that kind (one per kind: `certificates/fields.py`); a text (a code, a
    choice, a country) as long as its column at most."""
    kind = row.kind
    if isinstance(kind, ft.Text | ft.Choice | ft.Country | ft.Body):
        column = ControlBodyCode._meta.get_field("code") if isinstance(kind, ft.Body) else row.model_field
        return Annotated[str, Field(max_length=column.max_length)]
    return KIND_TYPES[type(kind)]


KIND_TYPES: dict[type[ft.Kind], Any] = {
    ft.Flag: bool,
    ft.YesNo: bool,
    ft.Weight: Quantity,
    ft.Count: Count,
    ft.Date: date,
    ft.Moment: datetime,
    ft.Reference: Id,
    ft.References: list[Id],
    ft.Countries: list[Annotated[str, Field(max_length=2)]],
}


def _described(row: ft.Row, where: str) -> str:
    """Where the field is, and for a choice the values it takes."""
    if row.choices is not None:
        return f"{where}; one of: {', '.join(row.choices.values)}"
    return where


def _line_where(row: ft.Row) -> str:
    codes = [code for code, coi_form in FORMS.items() if row.name in coi_form.line_fields]
    return f"{', '.join(codes)}, box 13" if codes else "box 13"


def _line_in() -> type[StrictIn]:
    """A line of box 13, from the line rows: texts and choices "" when not sent (a unit: its default, kg)."""
    fields: dict[str, Any] = {}
    for row in ft.LINE_FIELDS:
        if isinstance(row.kind, ft.Text | ft.Choice):
            default = row.default if row.default is not None else ""
            fields[row.name] = (_annotation(row), Field(default, description=_described(row, _line_where(row))))
        else:
            fields[row.name] = (_annotation(row) | None, Field(None, description=_line_where(row)))
    return create_model("LineIn", __base__=StrictIn, **fields)


if TYPE_CHECKING:  # for mypy, schemas like any other; for ninja, the fields read from the field table
    LineIn = StrictIn
else:
    LineIn = _line_in()


class CommodityIn(StrictIn):
    cn_code: str = Field(..., max_length=CN_TYPED, description="The eight digits; spaces and dots allowed")
    lines: list[LineIn] = []


def _container_in() -> type[StrictIn]:
    """A container of boxes 14/15, from the container rows: a text as long as its column, required unless its
    column may stay blank (the number is required, the seals are not)."""
    fields: dict[str, Any] = {
        row.name: (str, column(Container, row.name, "" if row.model_field.blank else ...))
        for row in ft.CONTAINER_FIELDS
    }
    return create_model("ContainerIn", __base__=StrictIn, **fields)


if TYPE_CHECKING:
    ContainerIn = StrictIn
else:
    ContainerIn = _container_in()


NESTED: dict[str, Any] = {"commodities": list[CommodityIn], "containers": list[ContainerIn]}
BOXES_IN_DOC = """Only the fields sent change. Operators, authorities and points of entry by id; control bodies by code.
    Each field's description names its box on each form (1235/2008: boxes 1-21; 2021/2306: boxes 1-31); a
    field of the other form is refused at its box. Boxes 18, 25, 30 and 31 (and 23's verification) are signed
    through the workflow's certification."""


def _boxes_in() -> type[StrictIn]:
    """Every field people type on some form (`typed_rows`), optional, typed by its kind, its description naming
    its box on each form (the forms' tables)."""
    fields: dict[str, Any] = {
        row.name: (
            (NESTED[row.name] if isinstance(row.kind, ft.Nested) else _annotation(row)) | None,
            Field(None, description=_described(row, field_description(row.name))),
        )
        for row in ft.typed_rows()
    }
    return create_model("BoxesIn", __base__=StrictIn, __doc__=BOXES_IN_DOC, **fields)


if TYPE_CHECKING:
    BoxesIn = StrictIn
else:
    BoxesIn = _boxes_in()


class CreateIn(BoxesIn):
    acting_for: Id | None = None  # a membership id; the first one that may create a COI when absent
    form: Literal["1235/2008", "2021/2306"] | None = Field(
        None, description="The form of the COI; by default the server's COI_FORM_DEFAULT"
    )


class DocumentOut(Schema):
    id: int
    type: str
    reference: str
    date: date | None
    issuing_country: str
    issuer: str
    description: str
    original_name: str
    content_type: str
    size: int
    withdrawn_at: datetime | None = None


class CertificateOut(Schema):
    id: int
    form: str
    number: str | None
    status: str
    status_label: str
    procedure: str
    destination_country: str
    created_at: datetime
    submitted_at: datetime | None
    boxes: dict[str, Any]
    documents: list[DocumentOut]
    my_roles: list[str]
    editable_boxes: list[str]
    problems: dict[str, list[str]] = {}
    # 2021/2306, box 20: when the prior notification was first given (lateness is judged on it) and last changed.
    prior_notification_first_given_at: datetime | None = None
    prior_notification_last_changed_at: datetime | None = None


class SummaryOut(Schema):
    id: int
    form: str = Field(description="The form the COI follows: 1235/2008 (boxes 1-21) or 2021/2306 (boxes 1-31)")
    number: str | None
    status: str
    exporter: str | None
    importer: str | None
    control_body_code: str | None
    products: list[str]
    export_country: str
    updated_at: datetime


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SummaryOut]


def _list_query() -> type[Schema]:
    """The list's query parameters: each filter of `certificates/filters.py` (as text; a value it cannot read
    is refused with 422 at its parameter, as the list page shows it at its field), then the page."""
    fields: dict[str, Any] = {
        name: (str, "updated" if name == "sort" else "") for name in CertificateFilter.base_filters
    }
    return create_model("ListQuery", __base__=TextIn, **fields, page=(Page, 1))


if TYPE_CHECKING:  # for mypy, a schema like any other; for ninja, the fields read from the FilterSet
    ListQuery = Schema
else:
    ListQuery = _list_query()


class ErrorOut(Schema):
    detail: str
    code: str | None = None
    boxes: dict[str, list[str]] | None = None


class DocumentIn(TextIn):
    type: str = column(Document, "type", ...)
    reference: str = column(Document, "reference")
    date: str = Field("", max_length=10, description="YYYY-MM-DD")
    issuing_country: str = column(Document, "issuing_country")
    issuer: str = column(Document, "issuer")
    description: str = column(Document, "description")


ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _person(request: HttpRequest) -> Person:
    return Person.of_request(request)


def _out(
    person: Person, coi: Certificate, problems: dict[str, list[str]] | None = None, *, read: bool = False
) -> dict[str, Any]:
    """The COI's answer; `read`: `coi` is already read with its detail as stored now (not read again)."""
    if not read:
        coi = queries.detail_queryset().get(pk=coi.pk)
    roles = roles_on(person, coi)
    return {
        "id": coi.pk,
        "form": coi.form,
        "number": coi.number,
        "status": coi.status,
        "status_label": coi.get_status_display(),
        "procedure": coi.procedure,
        "destination_country": coi.destination_country,
        "created_at": coi.created_at,
        "submitted_at": coi.submitted_at,
        "boxes": as_data(coi),
        "documents": list(coi.documents.all()),
        "my_roles": sorted(roles),
        "editable_boxes": sorted(rules.boxes_open_to(coi, roles)),
        "problems": problems
        if problems is not None
        else rules.at_boxes(coi, rules.merge(rules.warnings(coi), form_rules.warnings(coi))),
        "prior_notification_first_given_at": coi.prior_notified_at,
        "prior_notification_last_changed_at": coi.prior_notification_changed_at,
    }


def _box_errors(exc: services.BoxErrors) -> Status:
    return Status(422, {"detail": str(exc.message), "code": exc.code, "boxes": exc.problems})


def acting(request: HttpRequest, membership_id: int | None, where: str = "query") -> Membership | None:
    """The membership a request acts for: the one named (`acting_for`, in the query or the body: `where`), or the
    first that may create a COI. One named that is not one of the caller's Valid memberships is refused at
    `acting_for` (422), never read as "no membership" (a 403 saying who creates a COI)."""
    memberships = list(valid_memberships(request.user).prefetch_related("operator__activities"))
    if membership_id is not None:
        named = next((m for m in memberships if m.pk == membership_id), None)
        if named is None:
            raise refused_at(where, "acting_for", _("None of your valid memberships has this id."))
        return named
    for membership in memberships:
        try:
            services.creator_role(membership)
        except DomainError:
            continue
        return membership
    return None


def read_filters(request: HttpRequest) -> CertificateFilter:
    """The list's filters over the COIs the caller may see (the list and its CSV/Excel exports). They read the
    query string itself (checked by `ListQuery`), so that a parameter given twice is refused as on the list page
    rather than read from its last value. Raises ValidationError (422, each refused parameter in `errors`)."""
    found = certificate_filter(_person(request), request.GET)
    if found.refusals:  # a filter that cannot be read is refused at its parameter, never ignored
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in found.refusals.items()
            ]
        )
    return found


@router.get("", response=PageOut, summary="The COIs I may see, filtered, sorted, paged")
def list_certificates(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    page = page_of(read_filters(request), query.dict()["page"])
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {
                "id": c.pk,
                "form": c.form,
                "number": c.number,
                "status": c.status,
                "exporter": c.exporter.name if c.exporter else None,
                "importer": c.importer.name if c.importer else None,
                "control_body_code": c.control_body_code.code if c.control_body_code else None,
                "products": [m.cn_code.code for m in c.commodities.all()],
                "export_country": c.export_country,
                "updated_at": c.updated_at,
            }
            for c in page
        ],
    }


@router.post("", response={201: CertificateOut, **ERRORS}, summary="Create a draft (box 4 needed)")
def create(request: HttpRequest, payload: CreateIn) -> Status:
    person = _person(request)
    data = payload.dict(exclude_unset=True)
    data.pop("acting_for", None)
    form = data.pop("form", None)
    try:
        coi, problems = services.create_draft(person, acting(request, payload.acting_for, "body"), data, form=form)
    except services.BoxErrors as exc:
        return _box_errors(exc)
    return Status(201, _out(person, coi, problems))


@router.get("/{id:coi_id}", response={200: CertificateOut, **ERRORS}, summary="Read a COI")
def read(request: HttpRequest, coi_id: int) -> dict[str, Any]:
    person = _person(request)
    return _out(person, get_visible(person, coi_id))


@router.patch("/{id:coi_id}", response={200: CertificateOut, **ERRORS}, summary="Change boxes")
def update(request: HttpRequest, coi_id: int, payload: BoxesIn) -> Any:
    person = _person(request)
    try:
        coi, problems = services.update_boxes(person, coi_id, payload.dict(exclude_unset=True))
    except services.BoxErrors as exc:  # nothing was stored
        return _box_errors(exc)
    return _out(person, coi, problems, read=True)  # update_boxes reads the COI after the change


@router.post("/{id:coi_id}/submit", response={200: CertificateOut, **ERRORS}, summary="Submit for certification")
def submit(request: HttpRequest, coi_id: int) -> Any:
    person = _person(request)
    try:
        coi = certification.submit(person, coi_id)
    except services.BoxErrors as exc:
        return _box_errors(exc)
    return _out(person, coi, read=True)  # submit read the COI with its detail and changed it in place


@router.post("/{id:coi_id}/copy", response={201: CertificateOut, **ERRORS}, summary="Copy as a new draft")
def copy(request: HttpRequest, coi_id: int, acting_for: Id | None = None) -> Any:
    person = _person(request)
    try:
        coi = services.copy_as_new(person, acting(request, acting_for), coi_id)
    except services.BoxErrors as exc:
        return _box_errors(exc)
    return Status(201, _out(person, coi))


@router.post(
    "/{id:coi_id}/documents", response={201: DocumentOut, 503: ErrorOut, **ERRORS}, summary="Attach a document"
)
def attach(request: HttpRequest, coi_id: int, fields: Form[DocumentIn], file: File[UploadedFile]) -> Any:
    refuse_unknown_form_fields(request, DocumentIn, "file")
    try:
        document = services.add_document(_person(request), coi_id, fields.dict(), file)
    except services.BoxErrors as exc:
        return _box_errors(exc)
    return Status(201, document)


@router.get("/{id:coi_id}/documents/{id:document_id}", response={200: None, **ERRORS}, summary="Download")
def download(request: HttpRequest, coi_id: int, document_id: int) -> FileResponse:
    coi = get_visible(_person(request), coi_id)
    document = Document.objects.filter(certificate=coi, pk=document_id).first()
    if document is None:
        raise DomainError(_("No such document."), status=404, code="not_found")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@router.delete("/{id:coi_id}/documents/{id:document_id}", response={204: None, **ERRORS}, summary="Remove")
def detach(request: HttpRequest, coi_id: int, document_id: int) -> Status:
    services.remove_document(_person(request), coi_id, document_id)
    return Status(204, None)


class CnOut(Schema):
    code: str
    formatted: str
    description: str = Field(description="the code's own text (a leaf: 'Shelled'), in the request's language")
    full_description: str = Field(description="heading, subheading and leaf: what a person reads to choose")


class BodyOut(Schema):
    code: str
    name: str
    head_office_country: str
    categories: str
    may_be_chosen: bool
    refusal: str | None


class OperatorOut(Schema):
    id: int
    name: str
    country: str
    city: str


@router.get("/lookup/products", response=list[CnOut], summary="CN codes by name or code")
def lookup_products(request: HttpRequest, q: str = "") -> list[dict[str, str]]:
    return [
        {"code": c.code, "formatted": c.formatted, "description": c.description, "full_description": c.path}
        for c in lookups.products(q)
    ]


@router.get(
    "/lookup/control-bodies",
    response=list[BodyOut],
    summary="Control bodies for box 1",
    description=f"The first {lookups.LIMIT} matching `q` (a code's start, or a name and a head office's country): "
    "when as many come back, more may match; narrow `q`.",
)
def lookup_control_bodies(
    request: HttpRequest,
    q: str = "",
    export_country: str = "",
    cn: list[str] = Query([]),  # noqa: B008
) -> list[dict[str, Any]]:
    return [
        {
            "code": choice.code.code,
            "name": choice.code.control_body.name,
            "head_office_country": choice.code.control_body.country,
            "categories": choice.code.categories,
            "may_be_chosen": choice.refusal is None,
            "refusal": choice.refusal,
        }
        for choice in lookups.control_bodies(q, export_country, cn)
    ]


@router.get(
    "/lookup/operators",
    response=list[OperatorOut],
    summary="Operators for boxes 4, 11, 12, 13, RFL",
    description=f"The first {lookups.LIMIT} whose name holds `q` (2 characters at least), in collation order: "
    "when as many come back, more may match; send more of the name.",
)
def lookup_operators(request: HttpRequest, q: str = "", field: str = "exporter") -> list[Operator]:
    return lookups.operators(q, field)
