"""API for what leaves the system about COIs: the UN/CEFACT SPS certificate XML of a COI, a draft created from
such a document, and exports of the COI list (CSV, Excel) with the list's filters."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from api.certificates import ERRORS, ListQuery, acting, read_filters
from api.schema import Id
from certificates.access import Person, get_visible
from certificates.inputs.sps_import import import_draft
from certificates.outputs import exports, sps

router = Router(tags=["certificates: exchange and exports"])
XML_BODY = {"requestBody": {"content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}}}}
MAX_XML = 5 * 1024 * 1024


class ProblemOut(Schema):
    path: str
    box: str
    message: str


class ImportOut(Schema):
    id: int
    status: str
    problems: list[ProblemOut]


class ImportRefusedOut(Schema):
    """The document was refused: its problems at their elements (none when the request itself was invalid:
    then `errors` lists the invalid parameters, as every 422 of the API does)."""

    detail: str
    problems: list[ProblemOut] = []


@router.get(
    "/{id:coi_id}/sps.xml",
    url_name="sps_xml",
    response={200: None, **ERRORS},
    summary="The COI as a UN/CEFACT SPS certificate (SPSCertificate:17)",
)
def sps_xml(request: HttpRequest, coi_id: int) -> HttpResponse:
    coi = get_visible(Person.of(request.user), coi_id)
    response = HttpResponse(sps.build(coi.pk), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{(coi.number or f"draft-{coi.pk}").replace(".", "-")}.xml"'
    return response


@router.post(
    "/import",
    response={201: ImportOut, 413: ImportRefusedOut, 422: ImportRefusedOut, 403: ERRORS[403]},
    summary="Create a draft from a UN/CEFACT SPS certificate (send the XML as the request body)",
    openapi_extra=XML_BODY,
)
def import_sps(request: HttpRequest, acting_for: Id | None = None) -> Status:
    if len(request.body) > MAX_XML:
        return Status(413, {"detail": _("The document is too large."), "problems": []})
    coi, problems = import_draft(request.body, Person.of(request.user), acting(request, acting_for))
    listed = [{"path": p.path, "box": p.box, "message": p.message} for p in problems]
    if coi is None:
        return Status(422, {"detail": _("No draft could be created from this document."), "problems": listed})
    return Status(201, {"id": coi.pk, "status": coi.status, "problems": listed})


@router.get("/export.csv", response={200: None}, summary="The COI list as CSV (same filters as the list)")
def export_csv(request: HttpRequest, query: Query[ListQuery]) -> StreamingHttpResponse:
    return exports.csv_response(read_filters(request))


@router.get("/export.xlsx", response={200: None}, summary="The COI list as Excel (same filters as the list)")
def export_xlsx(request: HttpRequest, query: Query[ListQuery]) -> FileResponse:
    return exports.xlsx_response(read_filters(request))
