"""What people do to a COI before its certification: create, fill, save as draft, attach documents, copy.
Pages and the API call these and nothing else; each takes plain arguments and raises domain errors.
Submitting for certification is the workflow's first step (`certificates/workflow/certification.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from certificates import rules
from certificates.access import Person, get_visible, roles_on
from certificates.boxes import BoxData, Reader, as_data, write
from certificates.coi_forms import default_form, foreign_fields, form_of, get_form
from certificates.matrix import editable_boxes
from certificates.models import Certificate, Document
from certificates.queries import complete_detail, detail_queryset, forget_signatures, read_parts, with_detail
from certificates.rules import form_2021_2306 as form_rules
from certificates.rules.problems import FieldProblems, Given
from certificates.statuses import COIRole
from certificates.workflow import history
from certificates.workflow.step_notices import tell
from certificates.workflow_records import Step
from core.compiled import CompiledQuery
from core.errors import Conflict, DomainError, Invalid, NotFound
from core.storage import STORE_ERRORS, StoreUnavailable
from core.tasks import delete_stored_file, queue_with_the_step
from core.text import column as text_column
from core.text import refusal as text_refusal
from core.text import too_long
from core.under_lock import holds
from directory.models import ActivityKind, Membership, MembershipKind, OperatorActivity
from reference.countries import EU_MEMBER_STATES, is_country
from reference.lists import DOCUMENT_FIELD_LABELS, DocumentField, DocumentType, document_fields

# Refused, with the reasons at their boxes (defined with the rules; named here for pages and the API).
BoxErrors = rules.BoxErrors


logger = logging.getLogger(__name__)
NOT_SAVED = gettext_lazy("Nothing was saved: correct the boxes marked and save again.")


# Creating -------------------------------------------------------------------------------------------


# The kinds of an operator's activities (asked on every COI page for "Copy as new"; SQL built once, core.compiled).
_activity_kinds = CompiledQuery(
    lambda operator_id: OperatorActivity.objects.filter(operator_id=operator_id).values_list("kind", flat=True)
)


def creating(membership: Membership | None) -> Membership:
    """The membership a person creates a COI through: a valid one of an operator or a control body; DomainError
    (403) otherwise."""
    if membership is None or not membership.is_valid or membership.kind == MembershipKind.AUTHORITY:
        raise DomainError(_("Only an importer, an exporter or the exporter's control body creates a COI."))
    return membership


def creator_role(membership: Membership | None) -> str:
    """The role a person creates a COI as: the control body, or the importer or exporter they work for.

    An operator with only one of the two activities creates as that one; with both (or neither recorded),
    an operator in the EU creates as importer and one outside as exporter.
    """
    membership = creating(membership)
    if membership.kind == MembershipKind.CONTROL_BODY:
        return COIRole.CONTROL_BODY
    operator = membership.held_operator
    kinds = set(_activity_kinds(operator.pk))
    if ActivityKind.IMPORTER in kinds and ActivityKind.EXPORTER not in kinds:
        return COIRole.IMPORTER
    if ActivityKind.EXPORTER in kinds and ActivityKind.IMPORTER not in kinds:
        return COIRole.EXPORTER
    if kinds & {ActivityKind.IMPORTER, ActivityKind.EXPORTER}:
        return COIRole.IMPORTER if operator.country in EU_MEMBER_STATES else COIRole.EXPORTER
    raise DomainError(_("Only an importer, an exporter or the exporter's control body creates a COI."))


def prefill(person: Person, membership: Membership | None) -> BoxData:
    """What a new COI starts with: box 4 for an exporter, box 11 for an importer, box 1 for a control body
    user certifying for one code only, box 8 from the exporter."""
    member = creating(membership)
    role = creator_role(member)
    data: BoxData = {}
    if role == COIRole.EXPORTER:
        data.update(exporter=member.held_operator.pk, export_country=member.held_operator.country)
    elif role == COIRole.IMPORTER:
        data["importer"] = member.held_operator.pk
    elif len(person.control_body_codes) == 1:
        data["control_body_code"] = member.held_control_body_code.code
    return data


def create_draft(
    person: Person, membership: Membership | None, data: BoxData, *, form: str | None = None
) -> tuple[Certificate, rules.Problems]:
    """Save a new draft once the exporter is chosen (box 4; box 5 of 2021/2306), on `form` ("1235/2008" or
    "2021/2306"; by default `settings.COI_FORM_DEFAULT`). Returns the COI and what could not be stored or is
    wrong."""
    member = creating(membership)
    role = creator_role(member)
    coi_form = get_form(form or default_form())
    _refuse_foreign(coi_form, data)
    values, errors = _read({**prefill(person, membership), **data}, coi_form.typed_box_of_field)
    if values.get("exporter") is None:
        exporter_box = coi_form.box_of_field["exporter"]
        raise BoxErrors(rules.merge(errors, {exporter_box: [_("Choose the exporter before saving the draft.")]}))
    if errors:
        raise BoxErrors(errors, str(NOT_SAVED))
    coi = Certificate(
        form=coi_form.code,
        creator=person.user,
        creator_role=role,
        creator_operator=member.held_operator if role != COIRole.CONTROL_BODY else None,
        creator_control_body_code=member.held_control_body_code if role == COIRole.CONTROL_BODY else None,
    )
    with transaction.atomic():
        coi.save()
        errors = rules.merge(errors, _store(coi, values))
    coi = complete_detail(coi)  # the locked COI as stored, with its detail (what the locked read knew empty is)
    return coi, rules.merge(errors, form_problems(coi, rules.draft_problems), form_problems(coi, rules.warnings))


def copy_as_new(person: Person, membership: Membership | None, pk: int) -> Certificate:
    """A new draft from any COI the person may see, on that COI's form: every box of that form filled before
    issue (`CoiForm.all_boxes`) but the number, containers, seals, transport and documents. Nothing of the
    Union part of a 2021/2306 COI (boxes 19-23, 25-31: that consignment's notice, checks and decision) and no
    field of the other form (the guides' "in batches") is carried over."""
    source = _fresh(get_visible(person, pk))
    coi_form = form_of(source)
    kept = {name for key in coi_form.all_boxes for name in coi_form.by_key[key].fields}
    data = {name: value for name, value in as_data(source).items() if name in kept}
    for field in ("containers", "transport_mode", "transport_identification", "transport_document", "departure_date"):
        data.pop(field, None)
    coi, _problems = create_draft(person, membership, data, form=source.form)  # its boxes are that form's
    Certificate.objects.filter(pk=coi.pk).update(copied_from=source)
    coi.copied_from = source
    return coi


# Filling --------------------------------------------------------------------------------------------


def update_boxes(
    person: Person, pk: int, data: BoxData, *, locked: Certificate | None = None
) -> tuple[Certificate, rules.Problems]:
    """Change the boxes the person's roles may change in the COI's status (the matrix, and box 17 while it may
    be completed later). A draft saves what can be read and returns the rest, with the rules' warnings, as
    problems at their boxes. After submission a change runs the submission's checks on the day and is refused
    whole (`BoxErrors`, nothing changed) when it empties a mandatory box, leaves a problem at a box it changed
    or brings a new one (`rules.edit_refusal`); it is written in the history otherwise.
    `locked`: the COI as the caller read it, visible, with `get_visible(for_update=True)` and then its detail, in
    the transaction still running (the edit page, which compares what was posted with what is stored): not read
    again, and no savepoint of its own: a refusal leaves that transaction to roll back. Read here otherwise (or
    when that transaction has ended)."""
    reuse = locked is not None and locked.pk == pk and holds(locked)
    with transaction.atomic(savepoint=not reuse):
        coi = locked if reuse and locked is not None else get_visible(person, pk, for_update=True)
        roles = roles_on(person, coi)
        coi_form = form_of(coi)
        box_of_field = coi_form.typed_box_of_field
        _refuse_foreign(coi_form, data)
        boxes = rules.boxes_open_to(coi, roles)
        refused_fields = [f for f in data if f in box_of_field and box_of_field[f] not in boxes]
        # Named by the COI's own boxes (an extract's by the extract's: its box 10 is the COI's box 24), each box the
        # field is typed in (the containers: box 14 and box 15, their seals).
        refused = sorted({k for f in refused_fields for k in rules.box_keys(coi, f)}, key=lambda k: (len(k), k))
        if refused:
            raise DomainError(
                _("You may not change box %(boxes)s of this COI in its status.") % {"boxes": ", ".join(refused)}
            )
        values, errors = _read(data, box_of_field)
        if errors:
            raise BoxErrors(errors, str(NOT_SAVED))
        form_rules.ChecksNotDone.in_edit(coi, values)
        given = Given(values=values, roles=frozenset(roles))
        refusals = rules.at_boxes(coi, form_rules.edit_refusals(coi, given))
        rules.require(refusals, _("These boxes cannot change now: see the boxes marked."))
        warned = rules.at_boxes(coi, form_rules.edit_warnings(coi, given))
        if "prior_notification_at" in values:
            form_rules.PriorNotificationKept.note(coi, values["prior_notification_at"])
        if coi.is_draft:
            return _update_draft(coi, values, warned)
        # The locked COI read with its detail: the boxes before and their problems; after the change the same
        # instance, with the parts the change replaced read again (what it did not change is as it was).
        before_coi = complete_detail(coi) if reuse else with_detail(coi)  # the caller's read is under this lock
        before, before_problems = as_data(before_coi), rules.submission_problems(before_coi)
        _store(coi, values)
        after_coi = complete_detail(coi)
        after = as_data(after_coi)
        refusal = rules.edit_refusal(
            coi,
            before,
            after,
            before_problems,
            rules.submission_problems(after_coi),
            box_17_by_table="17" in editable_boxes(coi, roles),
        )
        rules.require(rules.at_boxes(coi, refusal), _("The change was not saved: see the boxes marked."))
        changes = history.record_edit(person, coi, roles, before, after)
        _withdraw_reopened(person, coi, roles, changes)
    coi = after_coi  # what the rules checked is what was stored: the history and signatures are not boxes
    return coi, rules.merge(
        warned,
        form_problems(coi, rules.submission_problems),
        form_problems(coi, rules.warnings),
        rules.at_boxes(coi, form_rules.warnings(coi)),
    )


WITHDRAWN_23 = gettext_noop(
    "COI %(number)s: box 10 changed, the verification of box 23 is withdrawn: verify the consignment again"
)


def _withdraw_reopened(person: Person, coi: Certificate, roles: set[str], changes: list[dict[str, str]]) -> None:
    """A covered box the law lets the operator still change (box 10 until arrival) withdraws the verification
    that covered it (`form_rules.SignedBoxesStay`, `CoiForm.reopens`): its signature goes, the history says so after the
    edit, and the authorities are told."""
    changed = {c["box"] for c in changes}
    for box in form_rules.SignedBoxesStay.withdrawn(coi, changed):
        coi.signatures.filter(box=box).delete()
        forget_signatures(coi)
        words = gettext_noop("Box 10 changed: the verification of box 23 is withdrawn.")
        role = history.role_of(roles)
        history.record(person, coi, Step.EDIT, role=role, old_status=coi.status, said=[(words, {})])
        authorities = {COIRole.VALIDATING_AUTHORITY, COIRole.ENTRY_AUTHORITY}
        tell(coi, authorities, WITHDRAWN_23, said=[(words, {})], actor=person.user)  # in each one's language


def _update_draft(
    coi: Certificate, values: dict[str, Any], errors: rules.Problems
) -> tuple[Certificate, rules.Problems]:
    if "exporter" in values and values["exporter"] is None:
        values.pop("exporter")
        message = _("A draft keeps its exporter: choose another one instead.")
        errors = rules.merge(errors, {form_of(coi).box_of_field["exporter"]: [message]})
    errors = rules.merge(errors, _store(coi, values))
    coi = complete_detail(coi)  # the locked COI as stored, with its detail (what the locked read knew empty is)
    return coi, rules.merge(errors, form_problems(coi, rules.draft_problems), form_problems(coi, rules.warnings))


def _refuse_foreign(coi_form: Any, data: BoxData) -> None:
    foreign = foreign_fields(coi_form, data)
    if foreign:
        raise Invalid(
            _("%(fields)s: no such box on the form of this COI (%(form)s).")
            % {"fields": ", ".join(foreign), "form": coi_form.code},
            code="form",
        )


def form_problems(coi: Certificate, check: Callable[[Certificate], FieldProblems]) -> rules.Problems:
    """`check(coi)`'s problems (per field) at the boxes of the COI's form (`rules.at_boxes`)."""
    return rules.at_boxes(coi, check(coi))


def _read(data: BoxData, box_of_field: dict[str, str] | None = None) -> tuple[dict[str, Any], rules.Problems]:
    reader = Reader(box_of_field)
    values = reader.read(data)
    return values, reader.errors


def _store(coi: Certificate, values: dict[str, Any]) -> rules.Problems:
    """Write the values, then what follows from them: box 8 from a new exporter or left to "the exporter's"
    (empty: guide 000, box 8, "automatiquement renseigné ... pour correspondre à la case 4"), box 10 from box
    12, box 2 (`rules.ProcedureOfBox2.settle`: on 2021/2306 the ticked procedure when it is allowed, derived
    otherwise).
    Returns the refusal of a ticked procedure, at box 2 (the procedure is then left as it was)."""
    typed = values.pop("procedure", None)
    exporter = values.get("exporter")
    if exporter is not None and "export_country" not in values and exporter.pk != coi.exporter_id:
        values["export_country"] = exporter.country
    if "export_country" in values and not values["export_country"]:
        exporter = exporter or coi.exporter
        values["export_country"] = exporter.country if exporter is not None else ""
    problems: FieldProblems = {}

    def derive(coi: Certificate) -> None:
        nonlocal problems
        # Box 2 reads the products: read with their lines, as the detail the step then reads keeps them (once).
        read_parts(coi)
        coi.destination_country = rules.ConsigneeOrBatches.destination(coi)
        problems = rules.ProcedureOfBox2.settle(coi, typed)

    write(coi, values, derive)
    return rules.at_boxes(coi, problems)


def _fresh(coi: Certificate) -> Certificate:
    """The COI with everything the rules and pages read, in a fixed number of queries."""
    return detail_queryset().get(pk=coi.pk)


# Documents ------------------------------------------------------------------------------------------


def add_document(person: Person, pk: int, fields: dict[str, Any], upload: UploadedFile | None) -> Document:
    """Attach an accompanying document at any step: a type, that type's mandatory fields and a PDF, PNG or
    JPEG file (checked by content, size-limited). The file is written to the store first, then the row and
    its history entry in one transaction (`core/storage.py`): `StoreUnavailable` (503) when the store does not
    take the file, and then nothing is recorded."""
    coi = get_visible(person, pk)
    _require_some_edit_right(person, coi)
    problems: rules.Problems = {}
    document = Document(certificate=coi, uploaded_by=person.user)
    _read_document_fields(document, fields, problems)
    if upload is None:
        rules.add(problems, "file", _("Choose a file."))
    else:
        head = upload.read(16)
        upload.seek(0)
        refusal = rules.upload_refusal(upload.size or 0, head)
        if refusal:
            rules.add(problems, "file", refusal)
    if problems:
        raise BoxErrors(problems, _("The document was not attached."))
    assert upload is not None  # refused above when missing
    document.content_type = rules.sniff(head) or ""
    document.original_name = (upload.name or "document")[-200:]
    document.size = upload.size or 0
    try:
        document.file.save(upload.name or "document", upload, save=False)
    except STORE_ERRORS as error:
        raise StoreUnavailable(error) from error
    try:
        with transaction.atomic():
            document.save()
            if not coi.is_draft:
                history.document_step(person, coi, document, Step.DOCUMENT_ADDED)
    except BaseException:
        _forget_file(document.file.name)  # no row names it: not left behind
        raise
    return document


def _forget_file(name: str) -> None:
    try:
        default_storage.delete(name)
    except STORE_ERRORS:
        logger.warning("The stored file %s, which no row names, could not be deleted.", name)


def _read_document_fields(document: Document, fields: dict[str, Any], problems: rules.Problems) -> None:
    """Read a document's fields by its type's table (reference.lists.document_fields): a value for a field
    the type does not have is refused, a mandatory one left empty is named by its label."""
    doc_type = str(fields.get("type") or "")
    if doc_type not in DocumentType.values:
        rules.add(problems, "type", _("Choose the type of document."))
        return
    document.type = doc_type
    type_label = DocumentType(doc_type).label
    specs = {spec.name: spec for spec in document_fields(doc_type)}
    for name in DocumentField.values:
        raw = fields.get(name)
        given = raw if hasattr(raw, "year") else str(raw or "").strip()
        if name not in specs:
            if given:
                rules.add(
                    problems,
                    name,
                    _("“%(field)s” is not a field of this type of document (%(type)s).")
                    % {"field": DOCUMENT_FIELD_LABELS[name], "type": type_label},
                )
            continue
        _READERS.get(name, _read_text)(document, name, given, problems)
    for spec in specs.values():
        if spec.required and not getattr(document, spec.name) and spec.name not in problems:
            rules.add(
                problems,
                spec.name,
                _("“%(field)s” is required for this type of document (%(type)s).")
                % {"field": spec.label, "type": type_label},
            )


def _read_text(document: Document, name: str, given: Any, problems: rules.Problems) -> None:
    """A text as typed, refused at its field (never cut) when too long or holding a refused character."""
    value = str(given)
    limit = text_column(Document, name)[1] or 0
    message = text_refusal(value) or (too_long(value, limit) if len(value) > limit else None)
    if message:
        rules.add(problems, name, message)
    setattr(document, name, value)


def _read_country(document: Document, name: str, given: Any, problems: rules.Problems) -> None:
    country = str(given).upper()
    if country and not is_country(country):
        rules.add(problems, name, _("Unknown country: %(codes)s.") % {"codes": country})
    document.issuing_country = country


def _read_date(document: Document, name: str, given: Any, problems: rules.Problems) -> None:
    if not given:
        return
    try:
        document.date = given if hasattr(given, "year") else parse_date(str(given))
    except ValueError:
        document.date = None
    if document.date is None:
        rules.add(problems, name, _("Give the date as YYYY-MM-DD."))


_READERS = {"issuing_country": _read_country, "date": _read_date}


def remove_document(person: Person, pk: int, document_id: int) -> Document | None:
    """A draft's document is deleted; once the COI is submitted it is withdrawn instead (`rules.DocumentsKept`):
    kept, still downloadable by the parties, with who withdrew it and when in the history. Returns the
    withdrawn document (None when deleted)."""
    with transaction.atomic():
        coi = get_visible(person, pk, for_update=True)
        _require_some_edit_right(person, coi)
        document = coi.documents.filter(pk=document_id).first()
        if document is None:
            raise NotFound(_("No such document."))
        if rules.DocumentsKept.deleted_for_good(coi):
            # The file goes once the row's deletion is committed: a step undone keeps its row and its file.
            queue_with_the_step(delete_stored_file, document.file.name)
            document.delete()
            return None
        refusal = rules.DocumentsKept.refusal(document)
        if refusal:
            raise Conflict(refusal)
        document.withdrawn_at, document.withdrawn_by = timezone.now(), person.user
        document.save(update_fields=["withdrawn_at", "withdrawn_by"])
        history.document_step(person, coi, document, Step.DOCUMENT_WITHDRAWN)
    return document


def _require_some_edit_right(person: Person, coi: Certificate) -> None:
    if not rules.boxes_open_to(coi, roles_on(person, coi)):
        raise DomainError(_("You may not change this COI in its status."))
