"""The customs side of EU CSW-CERTEX for OpenCOI (Implementing Reg. (EU) 2024/2145, Arts 5 to 11), at
/api/customs/v1/ (OpenAPI: /api/customs/v1/openapi.json). `Authorization: Bearer <token>`: a machine client's
token (`manage.py customs_client`, or the office's page of machine clients), or the personal token of a customs
office's Valid staff; for manual quantity management (Art. 8) also the personal token of the COI's validating
authority's or point of entry authority's Valid staff.

Every operation carries a `request_id` (`customs/exchange.py`). A refusal answers `{"detail", "code", "item"}`:
`code` for the machine (the `customs/rules.py` codes: document_not_found, status_not_releasable, depleted,
importer_mismatch, cn_code_not_covered, quantity_exceeds_remaining, item_already_written_off, item_repeated,
declaration_not_found, declaration_invalidated, request_id_reused, line_not_found, restoration_exceeds_written_off,
reason_required, reason_too_long, invalid_quantity, record_not_found, not_customs, not_competent_authority, invalid),
`detail` for the person (French or English, `Accept-Language`), `item` the position of the declaration's item it
concerns.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.api import auth_error, http_error, unreadable_body, validation_error
from api.openapi import OpenCoiApi
from api.schema import TextIn
from certificates.access import Person, visible_certificates
from certificates.models import Certificate
from certificates.statuses import COIStatus
from core.errors import DomainError
from customs import documents, quantities
from customs.access import ExchangeToken, competent_authority
from customs.documents import Document
from customs.exchange import once
from customs.models import CustomsRecord, DeclarationItem, Movement, Restoration
from customs.quantities import Caller, Item
from customs.rules import Refused, allows_release
from customs.schemas import (
    AmendmentIn,
    AvailabilityIn,
    AvailabilityOut,
    CnCode,
    ContingencyIn,
    ContingencyOut,
    DeclarationIn,
    DeclarationOut,
    DocumentOut,
    Eori,
    InvalidationIn,
    ManualIn,
    MovementOut,
    Mrn,
    OperationIn,
    ProblemOut,
    RecordChangeIn,
    RecordDeletionIn,
    RecordIn,
    RecordOut,
    Reference,
    RequestId,
)
from directory.models import Authority

api = OpenCoiApi(
    title="OpenCOI customs exchange (EU CSW-CERTEX, Reg. (EU) 2024/2145)",
    version="1",
    description=__doc__ or "",
    auth=[ExchangeToken()],
    urls_namespace="customs_api",
    idempotency_keys=False,  # its request ids instead (customs/exchange.py)
)
router = Router(tags=["customs exchange"])
REFUSALS: dict[int | str, Any] = {404: ProblemOut, 409: ProblemOut, 403: ProblemOut}


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc.message), "code": exc.code, "item": exc.item},
                               status=exc.status)  # fmt: skip


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc.message), "code": exc.code}, status=exc.status)


# The main API's answers to an unauthenticated call, an invalid body and an unreadable one.
api.add_exception_handler(AuthenticationError, auth_error)  # type: ignore[arg-type]  # ninja's stub wants the class too
api.add_exception_handler(ValidationError, validation_error)  # type: ignore[arg-type]  # ninja's stub wants the class too
api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]  # ninja's stub wants the class too


def answered(who: Caller | Any, request_id: str, operation: str, payload: Any, run: Any) -> Status:
    """The answer of `run()`, given once per request id (`customs.exchange.once`)."""
    return Status(*once(who, request_id, operation, payload, run))


def caller(request: HttpRequest) -> Caller:
    found: Caller | None = getattr(request, "customs_caller", None)
    if found is None:
        raise DomainError(_("Only a customs office's machine clients and staff may use the exchange."),
                          code="not_customs")  # fmt: skip
    return found


# Answers --------------------------------------------------------------------------------------------------


def document_out(doc: Document) -> dict[str, Any]:
    coi = doc.coi
    body = coi.control_body_code
    return {
        "number": coi.number,
        "kind": doc.kind,
        "form": coi.form,
        "status": doc.customs_status,
        "decision": doc.decision,
        "release_allowed": allows_release(coi) and not doc.depleted,
        "issuing_body": body.control_body.name if body else "",
        "issuing_body_code": body.code if body else "",
        "importer_eori": doc.importer_eoris,
        "base": coi.base.number if coi.base_id and coi.base else None,
        "lines": [
            {"line": lot.line.pk, "cn_code": lot.cn_code, "lot_number": lot.line.lot_number,
             "organic_status": lot.line.organic_status, "net_weight": lot.net_weight, "remaining": lot.remaining}
            for lot in doc.lots
        ],
    }  # fmt: skip


def item_out(row: DeclarationItem) -> dict[str, Any]:
    return {
        "item_number": row.item_number,
        "document": row.certificate.number,
        "cn_code": row.cn_code,
        "net_weight": row.net_weight,
        "declared_at": row.declared_at,
        "restored": row.restored_because,
        "lines": [
            {"line": m.line_id, "net_weight": m.net_weight}
            for m in row.movements.all()
            if m.kind == Movement.Kind.WRITE_OFF
        ],
    }


def declaration_out(
    request_id: str, mrn: str, written: list[DeclarationItem], restored: list[DeclarationItem]
) -> dict[str, Any]:
    cois = {row.certificate_id: row.certificate for row in [*written, *restored]}
    # The documents the items just wrote off as they now are (read under the lock, kept up to date by the write-off);
    # the others (only restored) read as they are.
    docs = {row.certificate_id: doc for row in written if (doc := quantities.written_document(row))}
    return {
        "request_id": request_id,
        "mrn": mrn,
        "written_off": [item_out(r) for r in written],
        "restored": [item_out(r) for r in restored],
        "documents": [document_out(docs.get(pk) or documents.document(c)) for pk, c in cois.items()],
    }


def _items(items: list[Any]) -> list[Item]:
    return [Item(i.item_number, i.document, i.cn_code, i.net_weight) for i in items]


# Art. 5 and Art. 10: reading ------------------------------------------------------------------------------


@router.post("/availability", response={200: AvailabilityOut}, summary="Check availability (Art. 5)")
def check_availability(request: HttpRequest, body: AvailabilityIn) -> dict[str, Any]:
    """Whether the document exists, allows release (its status), covers these CN codes for this importer, and
    what remains per line. `available` is true when nothing is refused; each refusal has its `code`."""
    caller(request)
    doc, found = quantities.available(
        body.document, body.importer_eori, [(i.cn_code, i.net_weight) for i in body.items]
    )
    return {
        "request_id": body.request_id,
        "exists": doc is not None,
        "available": not found,
        "refusals": [{"code": r.code, "detail": r.detail, "item": r.item} for r in found],
        "document": document_out(doc) if doc else None,
    }


@router.get("/documents/{reference}", response={200: DocumentOut, 404: ProblemOut}, summary="One document")
def get_document(request: HttpRequest, reference: Path[Reference], request_id: RequestId) -> dict[str, Any]:
    """The document of that number as customs sees it (404 `document_not_found`); also to the document's
    competent authority (Art. 8: its lines' ids, for `POST /documents/{reference}/manual`), 403 `not_customs` to
    anybody else who sees it."""
    if getattr(request, "customs_caller", None) is None:
        try:
            coi, _authority = _managed(request.user, reference)
        except Refused as refused:
            if refused.code == "not_competent_authority":
                caller(request)
            raise
        return document_out(documents.document(coi))
    return document_out(documents.document(_document(reference)))


class ListQuery(TextIn):
    """Art. 10's filters: each of its shape (422 at the parameter: `cn_code=zz`), no other (`api.middleware`)."""

    request_id: RequestId
    importer_eori: Eori
    cn_code: CnCode | None = None
    issued_from: datetime.date | None = None
    issued_to: datetime.date | None = None


@router.get("/documents", response={200: list[DocumentOut]}, summary="List of supporting documents (Art. 10)")
def list_documents(request: HttpRequest, query: Query[ListQuery]) -> list[dict[str, Any]]:
    """The documents (COIs and extracts) an importer (by EORI) may declare for release now, for a CN code when
    given, issued (submitted) within the period when given (Art. 10(2)); at most 100, newest first."""
    caller(request)
    eori = query.importer_eori
    qs = Certificate.objects.filter(
        importer__identifiers__type="eori", importer__identifiers__value__iexact=eori,
        status__in=[COIStatus.RELEASED_ORGANIC, COIStatus.RELEASED_IN_CONVERSION, COIStatus.CONSIGNMENT_VERIFIED],
    ).select_related("control_body_code__control_body", "base", "importer")  # fmt: skip
    if query.cn_code:
        code = query.cn_code[:8]
        prefixes = [code[:n] for n in (2, 4, 6, 8)]
        qs = qs.filter(commodities__cn_code__code__in=prefixes)
    if query.issued_from:
        qs = qs.filter(submitted_at__date__gte=query.issued_from)
    if query.issued_to:
        qs = qs.filter(submitted_at__date__lte=query.issued_to)
    out = []
    for coi in qs.distinct().order_by("-submitted_at", "-pk")[:100]:
        doc = documents.document(coi)
        if allows_release(coi) and not doc.depleted:
            out.append(document_out(doc))
    return out


# Art. 6 and 7: declarations -------------------------------------------------------------------------------


@router.post("/declarations", response={201: DeclarationOut, **REFUSALS}, summary="Write off (Art. 6)")
def declare(request: HttpRequest, body: DeclarationIn) -> Any:
    """Each item writes off its net weight against its document's lines of its CN code, all or none (409 with
    the first refusal and its item; 404 `document_not_found`; 422 `item_repeated` when an item quotes a document
    twice). The items quoting one document are taken together, in their order: never more than remains of the
    lines of their CN codes. The answer says what each item took from which
    line, and what remains."""
    who = caller(request)
    return answered(who, body.request_id, "declaration", body.model_dump(), lambda: _declare(who, body))


def _declare(who: Caller, body: DeclarationIn, *, contingency: bool = False) -> tuple[int, dict[str, Any]]:
    written = quantities.declare(
        who, mrn=body.mrn, importer_eori=body.importer_eori, items=_items(body.items), request_id=body.request_id,
        declared_at=body.declared_at, contingency=contingency,
    )  # fmt: skip
    return 201, declaration_out(body.request_id, body.mrn, written, [])


@router.post("/declarations/{mrn}/amendment", response={200: DeclarationOut, **REFUSALS},
             summary="Post-clearance amendment (Art. 7)")  # fmt: skip
def amend(request: HttpRequest, mrn: Path[Mrn], body: AmendmentIn) -> Any:
    """Each amended item gives back exactly what it wrote off and writes off its new net weight (0: nothing),
    all at once or nothing (409, the items quoting one document together never beyond what remains). 404
    `declaration_not_found` when the declaration wrote nothing off here (an amendment lodges nothing new), 409
    `declaration_invalidated` once it is invalidated, 422 `item_repeated` for an item quoting a document twice."""
    who = caller(request)
    payload = {"mrn": mrn, **body.model_dump()}
    return answered(who, body.request_id, "amendment", payload, lambda: _amend(who, mrn, body.request_id,
                                                                           body.importer_eori, body.items))  # fmt: skip


def _amend(who: Caller, mrn: str, request_id: str, eori: str, items: list[Any]) -> tuple[int, dict[str, Any]]:
    done = quantities.amend(who, mrn=mrn, importer_eori=eori, items=_items(items), request_id=request_id)
    return 200, declaration_out(request_id, mrn, done["written_off"], done["restored"])


@router.post("/declarations/{mrn}/invalidation", response={200: DeclarationOut, **REFUSALS},
             summary="Invalidation, or goods not released (Art. 7, Art. 6(4))")  # fmt: skip
def invalidate(request: HttpRequest, mrn: Path[Mrn], body: InvalidationIn) -> Any:
    """Gives back exactly what the declaration's items (all, or `item_numbers`) wrote off. Idempotent: items
    already given back are not given back again (`restored` then lists none). 404 `declaration_not_found`."""
    who = caller(request)
    payload = {"mrn": mrn, **body.model_dump()}
    return answered(who, body.request_id, "invalidation", payload,
                lambda: _invalidate(who, mrn, body.request_id, body.reason, body.item_numbers))  # fmt: skip


def _invalidate(who: Caller, mrn: str, request_id: str, reason: str, numbers: list[int] | None) -> tuple[int, dict]:
    restored = quantities.restore(who, mrn=mrn, because=Restoration(reason), item_numbers=numbers)
    return 200, declaration_out(request_id, mrn, [], restored)


# Art. 8 and 9 -----------------------------------------------------------------------------------------------


@router.post("/documents/{reference}/manual", response={201: MovementOut, **REFUSALS, 422: ProblemOut},
             summary="Manual quantity management (Art. 8)")  # fmt: skip
def manual(request: HttpRequest, reference: Path[Reference], body: ManualIn) -> Any:
    """A customs office, or the document's competent authority (its validating authority or the authority of
    its point of entry, by one of its Valid staff's personal token: `customs.access.competent_authority`), writes
    off or restores `net_weight` kg of one line by hand, under its responsibility, with its reason. Refusals:
    422 `reason_required` (empty or spaces only), `reason_too_long`, `invalid` (a field missing or invalid, at
    it in `errors`); 404 `document_not_found` (also for a person who may not see it), `line_not_found`;
    403 `not_competent_authority` (a person who sees the COI but is not its authority); 409
    `quantity_exceeds_remaining`, `restoration_exceeds_written_off`, `request_id_reused`. The request id is kept
    per office (customs) or per person (an authority)."""
    payload = {"document": reference, **body.model_dump()}
    who: Caller | None = getattr(request, "customs_caller", None)
    if who is not None:
        office = who

        def run() -> tuple[int, dict[str, Any]]:
            coi = _document(reference)
            movement = quantities.adjust(
                coi.pk, body.line, direction=body.direction, net_weight=body.net_weight, reason=body.reason,
                office=office.office, user=office.user, actor_name=office.name, organisation=str(office.office),
            )  # fmt: skip
            return 201, movement_out(body.request_id, movement)

        return answered(who, body.request_id, "manual", payload, run)
    user = request.user
    coi, authority = _managed(user, reference)

    def run_for_authority() -> tuple[int, dict[str, Any]]:
        movement = quantities.adjust(
            coi.pk, body.line, direction=body.direction, net_weight=body.net_weight, reason=body.reason, user=user,
            actor_name=user.get_full_name() or user.email, organisation=authority.name,  # type: ignore[union-attr]  # authenticated
        )  # fmt: skip
        return 201, movement_out(body.request_id, movement)

    return answered(user, body.request_id, "manual", payload, run_for_authority)


def _document(reference: str) -> Certificate:
    coi = documents.find(reference)
    if coi is None:
        raise Refused(_("No COI or extract has the number %(reference)s.") % {"reference": reference},
                      code="document_not_found", status=404)  # fmt: skip
    return coi


def _managed(user: Any, reference: str) -> tuple[Certificate, Authority]:
    """The document and the authority the person changes it for (Art. 8); the same 404 as an unknown number
    when the person may not see it, 403 when they see it but are not its competent authority."""
    coi = documents.find(reference)
    person = Person.of(user)
    if coi is None or not visible_certificates(person).filter(pk=coi.pk).exists():
        raise Refused(_("No COI or extract has the number %(reference)s.") % {"reference": reference},
                      code="document_not_found", status=404)  # fmt: skip
    authority = competent_authority(person, coi)
    if authority is None:
        raise Refused(
            _("Only a customs office, or the COI's validating authority or the authority of its point of entry, "
              "may change its quantities by hand."),
            code="not_competent_authority", status=403,
        )  # fmt: skip
    return coi, authority


def movement_out(request_id: str, movement: Movement) -> dict[str, Any]:
    return {
        "request_id": request_id, "kind": movement.kind, "line": movement.line_id, "net_weight": movement.net_weight,
        "reason": movement.reason, "document": document_out(documents.document(movement.certificate)),
    }  # fmt: skip


@router.post("/records", response={201: RecordOut, **REFUSALS}, summary="Enter record (Art. 9)")
def enter_record(request: HttpRequest, body: RecordIn) -> Any:
    """Additional information for a document quoted in a declaration; shown to the authority on the COI's page."""
    who = caller(request)

    def run() -> tuple[int, dict[str, Any]]:
        coi = documents.find(body.document)
        if coi is None:
            raise Refused(_("No COI or extract has the number %(reference)s.") % {"reference": body.document},
                          code="document_not_found", status=404)  # fmt: skip
        record = CustomsRecord.objects.create(
            certificate=coi, office=who.office, mrn=body.mrn, item_number=body.item_number, text=body.text
        )
        return 201, record_out(body.request_id, record)

    return answered(who, body.request_id, "record", body.model_dump(), run)


def _record(who: Caller, pk: int) -> CustomsRecord:
    record = CustomsRecord.objects.select_related("certificate").filter(pk=pk, office=who.office).first()
    if record is None or record.deleted_at:
        raise Refused(_("This office entered no such record."), code="record_not_found", status=404)
    return record


def record_out(request_id: str, record: CustomsRecord) -> dict[str, Any]:
    return {
        "request_id": request_id, "id": record.pk, "document": record.certificate.number, "mrn": record.mrn,
        "item_number": record.item_number, "text": record.text, "deleted": record.deleted_at is not None,
    }  # fmt: skip


@router.post(
    "/records/{record_id}/amendment", response={200: RecordOut, **REFUSALS}, summary="Amend a record (Art. 9(2))"
)
def amend_record(request: HttpRequest, record_id: int, body: RecordChangeIn) -> Any:
    who = caller(request)

    def run() -> tuple[int, dict[str, Any]]:
        record = _record(who, record_id)
        record.text, record.updated_at = body.text, timezone.now()
        record.save(update_fields=["text", "updated_at"])
        return 200, record_out(body.request_id, record)

    return answered(who, body.request_id, "record_amendment", {"id": record_id, **body.model_dump()}, run)


@router.post(
    "/records/{record_id}/deletion", response={200: RecordOut, **REFUSALS}, summary="Delete a record (Art. 9(2))"
)
def delete_record(request: HttpRequest, record_id: int, body: RecordDeletionIn) -> Any:
    who = caller(request)

    def run() -> tuple[int, dict[str, Any]]:
        record = _record(who, record_id)
        record.deleted_at = timezone.now()
        record.save(update_fields=["deleted_at"])
        return 200, record_out(body.request_id, record)

    return answered(who, body.request_id, "record_deletion", {"id": record_id}, run)


# Art. 11 ----------------------------------------------------------------------------------------------------


@router.post("/contingency", response={200: ContingencyOut}, summary="Replay contingency records (Art. 11)")
def replay(request: HttpRequest, body: ContingencyIn) -> Any:
    """The records customs made while OpenCOI could not answer, replayed in the order sent, each as its own call
    would be (its own request id, so a replay sent twice changes nothing twice; never more than remains). Each
    outcome is listed: 200/201, or the refusal's status and code; a refused record does not stop the others."""
    who = caller(request)
    return answered(who, body.request_id, "contingency", body.model_dump(), lambda: _replay(who, body))


def _replay(who: Caller, body: ContingencyIn) -> tuple[int, dict[str, Any]]:
    results = []
    for op in sorted(body.operations, key=lambda o: o.occurred_at):
        try:
            status, _answer = once(who, op.request_id, op.kind, op.model_dump(), partial(_run, who, op))
            results.append({"request_id": op.request_id, "kind": op.kind, "status": status})
        except DomainError as exc:
            results.append({"request_id": op.request_id, "kind": op.kind, "status": exc.status, "code": exc.code,
                            "detail": str(exc.message)})  # fmt: skip
    return 200, {"request_id": body.request_id, "results": results}


def _run(who: Caller, op: OperationIn) -> tuple[int, dict[str, Any]]:
    if op.kind == "invalidation":
        return _invalidate(who, op.mrn, op.request_id, op.reason, op.item_numbers)
    if not op.importer_eori or not op.items:
        raise Refused(_("A declaration or an amendment names its importer and its items."), code="invalid",
                      status=422)  # fmt: skip
    if op.kind == "amendment":
        return _amend(who, op.mrn, op.request_id, op.importer_eori, op.items)
    items = [i for i in op.items if i.net_weight > 0]
    written = quantities.declare(
        who, mrn=op.mrn, importer_eori=op.importer_eori, items=_items(items), request_id=op.request_id,
        declared_at=op.occurred_at, contingency=True,
    )  # fmt: skip
    return 201, declaration_out(op.request_id, op.mrn, written, [])


api.add_exception_handler(MultiPartParserError, unreadable_body)  # type: ignore[arg-type]  # ninja's stub wants the class too
api.add_router("/", router)
