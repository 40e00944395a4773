"""COI pages: the list, "New COI" (products first, then the form box by box), the form, the detail page,
documents and "Copy as new". Thin: read the request, call certificates.services, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import edit_page as form_page
from certificates import filters, lookups, page_cache, queries, rules, services
from certificates.access import Person, get_visible, roles_on, visible_to
from certificates.boxes import as_data
from certificates.coi_forms import default_form, form_of, get_form
from certificates.forms import (
    FormState,
    apply_action,
    changed_fields,
    choices,
    data_from_post,
    empty_line,
)
from certificates.matrix import Action, allowed
from certificates.models import Certificate
from certificates.statuses import COIRole, COIStatus
from certificates.workflow import certification
from core.errors import DomainError, NotFound
from core.storage import RETRY_AFTER_SECONDS, StoreUnavailable
from directory.access import acting_membership
from directory.models import PointOfEntry
from reference.countries import country_choices
from reference.lists import DocumentType, document_fields
from reference.nomenclature import cn_tree

SEARCHES = "searches"  # the key of the problems of searches left without a choice (shown at their pickers)
SEARCH = "search-"  # a picker's "Search" button without JavaScript: the page comes back with its results
STRUCTURE_ACTIONS = (
    "add_commodity",
    "remove_commodity",
    "add_line",
    "remove_line",
    "add_container",
    "remove_container",
)


def _person(request: HttpRequest) -> Person:
    return Person.of_request(request)


def _can_create(request: HttpRequest) -> bool:
    try:
        services.creator_role(acting_membership(request))
    except DomainError:
        return False
    return True


def _visible_or_404(person: Person, pk: int) -> Certificate:
    try:
        return get_visible(person, pk)
    except NotFound:
        raise Http404


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    found = filters.certificate_filter(_person(request), request.GET)
    page = filters.page_of(found, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/list.html",
        {
            "page": page,
            # Rows from the cache; the products are read only for rows rendered anew.
            "rows": page_cache.list_rows(page.object_list),
            "filters": found.chosen,
            "refusals": found.refusals,
            "query": query.urlencode(),
            "statuses": COIStatus.choices,
            "countries": country_choices(),
            "sorts": filters.SORTS,
            "can_create": _can_create(request),
        },
    )


@login_required
def new_products(request: HttpRequest) -> HttpResponse:
    """Step 1 of "New COI": choose the products, by name, by CN code, or by browsing the nomenclature."""
    if not _can_create(request):
        raise Http404
    selected = lookups.cn_codes(request.GET.getlist("cn"))
    query = request.GET.get("q", "")
    parent = request.GET.get("parent") or None
    return render(
        request,
        "certificates/products.html",
        {
            "selected": selected,
            "selected_codes": {c.code for c in selected},
            "q": query,
            "results": lookups.products(query),
            "parent": parent,
            "tree": list(cn_tree(parent)[:200]),
        },
    )


@login_required
def new_form(request: HttpRequest) -> HttpResponse:
    """Step 2 of "New COI": the boxes, in the guide's order; nothing is stored before "Save as draft"."""
    membership = acting_membership(request)
    if not _can_create(request):
        raise Http404
    person = _person(request)
    all_boxes = set(get_form(default_form()).all_boxes)  # the form a new COI takes
    if request.method == "GET":
        data = services.prefill(person, membership)
        data["commodities"] = [
            {"cn_code": c.code, "lines": [empty_line()]} for c in lookups.cn_codes(request.GET.getlist("cn"))
        ]
        return _render_form(request, data, editable=all_boxes)
    data = _posted(request)
    action = request.POST.get("action", "save")
    if action.startswith(STRUCTURE_ACTIONS) or action.startswith(SEARCH):
        focus = apply_action(data, action, request.POST.get("new_cn", ""))
        return _render_form(request, data, editable=all_boxes, focus=focus)
    unresolved = _unresolved_searches(request)
    if unresolved:
        return _render_form(request, data, editable=all_boxes, problems=unresolved, status=422)
    try:
        coi, problems = services.create_draft(person, membership, data)
    except services.BoxErrors as exc:
        return _render_form(request, data, editable=all_boxes, problems=exc.problems, status=422)
    return _after_save(request, coi, data, problems, action)


def _open_to(person: Person, coi: Certificate | None) -> set[str]:
    """The boxes of the COI the person may change now; 404 when it is not visible or none is open to them."""
    if coi is None or not visible_to(person, coi):
        raise Http404
    editable = rules.boxes_open_to(coi, roles_on(person, coi))
    if not editable:
        raise Http404
    return editable


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    action = request.POST.get("action", "save")
    if request.method != "POST" or action.startswith(STRUCTURE_ACTIONS) or action.startswith(SEARCH):
        # Nothing is saved: the COI read once with its detail (the boxes shown, its documents), the visibility
        # asked of that row (`access.visible_to`, the lists' rule).
        coi = queries.detail_of(pk)
        editable = _open_to(person, coi)
        assert coi is not None  # _open_to: 404 otherwise
        if request.method != "POST":
            return _render_form(request, as_data(coi), editable=editable, coi=coi)
        data = _shown(as_data(coi), form_of(coi).typed_box_of_field, editable, _posted(request))
        focus = apply_action(data, action, request.POST.get("new_cn", ""))
        return _render_form(request, data, editable=editable, coi=coi, focus=focus)
    return _save(request, person, pk, action)


def _shown(
    stored: dict[str, Any], box_of_field: dict[str, str], editable: set[str], posted: dict[str, Any]
) -> dict[str, Any]:
    """What the page shows after a POST: the boxes the person may change keep what was typed; the others show what
    is stored (only the boxes the form posted are taken: the others are never blanked)."""
    return {**stored, **{f: v for f, v in posted.items() if box_of_field.get(f) in editable}}


def _save(request: HttpRequest, person: Person, pk: int, action: str) -> HttpResponse:
    """ "Save" (or "Submit") on the edit page: the COI locked, then read once with its detail, what was posted
    compared with it and the changes stored under that same lock (`services.update_boxes(locked=...)`): it was
    read a first time without the lock, then again with it. The page is rendered once the lock is released."""
    posted = _posted(request)
    problems: Any = None
    status = 0  # the page shown again with the problems, at this status; 0: saved
    with transaction.atomic():
        try:
            coi = queries.complete_detail(get_visible(person, pk, for_update=True))
        except NotFound:
            raise Http404
        editable = _open_to(person, coi)
        stored = as_data(coi)
        box_of_field = form_of(coi).typed_box_of_field
        data = _shown(stored, box_of_field, editable, posted)
        unresolved = _unresolved_searches(request)
        locked = changed_fields(
            posted, stored, {f for f in posted if f in box_of_field and box_of_field[f] not in editable}
        )
        if unresolved:  # nothing is saved while a search typed in a picker waits for its choice
            problems, status = unresolved, 422
        elif locked:  # never "Saved" while dropping a change: nothing is saved, the refusal is at each box
            message = _("You may not change this box in the COI's status: your change was not saved.")
            problems, status = {box_of_field[f]: [message] for f in sorted(locked)}, 422
            messages.error(request, _("Nothing was saved: some changes are not yours to make in this status."))
        else:
            # Only what the person changed: the page posts again every box it shows, as it shows it (box 20 to the
            # minute), and a box posted as stored is no change, so the rules never judge it (issue 22: after box 25
            # the importer changes box 24, which box 25 does not cover, beside boxes 10 and 19-23 that it covers)
            # nor is it written again (box 20 keeps its seconds and its "last changed at").
            open_fields = {f for f in posted if box_of_field.get(f) in editable}
            changes = {f: posted[f] for f in changed_fields(posted, stored, open_fields)}
            try:
                coi, problems = services.update_boxes(person, pk, changes, locked=coi)
            except services.BoxErrors as exc:
                messages.error(request, exc.message)
                problems, status = exc.problems, exc.status
    if status:
        return _render_form(request, data, editable=editable, problems=problems, coi=coi, status=status)
    return _after_save(request, coi, data, problems, action)


def _unresolved_searches(request: HttpRequest) -> dict[str, list[str]]:
    """The searches typed in the page's pickers and left without a choice: their messages, shown at each picker
    (`_searches_of`), under a key of no box (the page says that boxes need attention; nothing is saved)."""
    found = lookups.unresolved(request.POST, lookups.searches(request.POST))
    return {SEARCHES: list(found.values())} if found else {}


def _posted(request: HttpRequest) -> dict[str, Any]:
    """The boxes an edit page posted: the fields drawn by name, and those of the generic widgets."""
    return {**data_from_post(request.POST), **form_page.fields_from_post(request.POST)}


def _after_save(
    request: HttpRequest, coi: Certificate, data: dict[str, Any], problems: Any, action: str
) -> HttpResponse:
    person = _person(request)
    if action == "submit" and problems:
        # A value that could not be read was not stored: submitting the older one would drop what was typed.
        messages.error(request, _("Draft saved, but not submitted: some boxes need your attention."))
        return _render_form(request, data, editable=_editable(person, coi), problems=problems, coi=coi, status=422)
    if action == "submit":
        try:
            coi = certification.submit(person, coi.pk)
        except services.BoxErrors as exc:
            messages.error(request, exc.message)
            return _render_form(
                request, data, editable=_editable(person, coi), problems=exc.problems, coi=coi, status=422
            )
        messages.success(
            request,
            _("COI %(number)s submitted for certification: its status is %(status)s.")
            % {"number": coi.number, "status": coi.get_status_display()},
        )
        return redirect("certificates:detail", pk=coi.pk)
    if problems and not coi.is_draft:  # a submitted COI's change is stored, with the rules' warnings at its boxes
        messages.warning(request, _("Saved. Some boxes need your attention: see the messages at each box."))
        return _render_form(request, data, editable=_editable(person, coi), problems=problems, coi=coi)
    if problems:
        messages.warning(request, _("Draft saved. Some boxes need your attention before submission."))
        return _render_form(request, data, editable=_editable(person, coi), problems=problems, coi=coi)
    messages.success(request, _("Saved."))
    return redirect("certificates:edit", pk=coi.pk)


def _editable(person: Person, coi: Certificate) -> set[str]:
    coi.refresh_from_db()
    return rules.boxes_open_to(coi, roles_on(person, coi))


def _render_form(
    request: HttpRequest,
    data: dict[str, Any],
    *,
    editable: set[str],
    problems: Any = None,
    coi: Certificate | None = None,
    status: int = 200,
    focus: str = "",
) -> HttpResponse:
    """The edit page (or "New COI"'s form) showing `data`. `focus`: what the keyboard goes to after a row was
    added or removed (`apply_action`); with htmx only that row's section is swapped in (hx-select)."""
    problems = problems or {}
    coi_form = form_of(coi) if coi is not None else get_form(default_form())
    procedures = rules.ProcedureOfBox2.choices(coi_form)
    shown = form_page.sections(coi_form, data, editable, problems)
    return render(
        request,
        "certificates/form.html",
        {
            "state": FormState.of(data, focus, coi_form),
            "form_action": reverse("certificates:edit", args=[coi.pk]) if coi else reverse("certificates:new_form"),
            "form": coi_form,
            # Each box under its number and title from the form's table, its fields and its messages.
            "sections": shown,
            "commodity_oob": form_page.listing_rows(shown),
            # Box 2 of 2021/2306: the four procedures, as typed (kept after a refusal) or as stored.
            "procedures": procedures,
            "procedure_value": data.get("procedure", coi.procedure if coi else ""),
            "problems": problems,
            "coi": coi,
            "documents": list(coi.documents.all()) if coi else [],
            "may_submit": coi is None or coi.status == COIStatus.DRAFT,
            # The searches typed in the pickers (answered here without JavaScript), kept as typed.
            "searches": _searches_of(request, problems),
            "only_point": _only_point(data),
            **choices(),
        },
        status=status,
    )


def _searches_of(request: HttpRequest, problems: dict[str, list[str]]) -> dict[str, lookups.Search]:
    if request.method != "POST":
        return {}
    found = lookups.searches(request.POST)
    if problems:
        lookups.unresolved(request.POST, found)  # the message at each search left without a choice
    return found


def _only_point(data: dict[str, Any]) -> PointOfEntry | None:
    """Box 10 (9 on the guides' form) with no point of entry chosen: the only one that fits (of the member state
    of release when it is given), offered chosen; None when several fit or one is chosen."""
    if data.get("point_of_entry"):
        return None
    member_state = str(data.get("release_member_state") or "").upper()
    fitting = PointOfEntry.objects.filter(country=member_state) if member_state else PointOfEntry.objects.all()
    found = list(fitting[:2])
    return found[0] if len(found) == 1 else None


class Searching(DomainError):
    """Not a refusal: a picker's search on the workflow panel (an extract's consignee) posted without JavaScript;
    the page comes back with the panel's form as typed and the search's results."""

    status = 200
    code = "searching"


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action", "").startswith(SEARCH):
        searching = {"step": request.POST.get("step", "extract"), "values": request.POST, "error": Searching("")}
        return detail_page(request, pk, refused=searching)
    return detail_page(request, pk)


def detail_page(request: HttpRequest, pk: int, *, refused: dict[str, Any] | None = None) -> HttpResponse:
    """The COI's page. After a refused workflow step (`refused`: the step's name, the posted form and the
    error), the same page with that step's form as typed and the reason at its field, with the error's status."""
    person = _person(request)
    # The row and its version only: what is the same for every party comes rendered from the cache.
    coi = page_cache.page_row(pk)
    # Holding a role on the COI is exactly being allowed to see it (access.visible_filter's terms, in memory).
    roles = roles_on(person, coi) if coi is not None else set()
    if coi is None or not roles:
        raise Http404
    return render(
        request,
        "certificates/detail.html",
        {
            "coi": coi,
            "parts": page_cache.shared_parts(coi),
            "roles": [COIRole(r).label for r in sorted(roles)],
            "editable": rules.boxes_open_to(coi, roles),
            "may_submit": coi.is_draft and allowed(coi, roles, Action.EDIT_ALL),
            "can_create": _can_create(request),
            "document_types": DocumentType.choices,
            "countries": country_choices(),
            "form": form_of(coi),
            "refused": refused,
        },
        status=refused["error"].status if refused else 200,
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    _visible_or_404(person, pk)
    try:
        coi = certification.submit(person, pk)
    except services.BoxErrors as exc:
        messages.error(request, exc.message)
        coi = queries.detail_queryset().get(pk=pk)
        return _render_form(
            request, as_data(coi), editable=_editable(person, coi), problems=exc.problems, coi=coi, status=422
        )
    messages.success(
        request,
        _("COI %(number)s submitted for certification: its status is %(status)s.")
        % {"number": coi.number, "status": coi.get_status_display()},
    )
    return redirect("certificates:detail", pk=pk)


@login_required
@require_POST
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    _visible_or_404(person, pk)
    try:
        coi = services.copy_as_new(person, acting_membership(request), pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certificates:detail", pk=pk)
    messages.success(request, _("A new draft was made from the COI. Give its containers, transport and documents."))
    return redirect("certificates:edit", pk=coi.pk)


@login_required
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Add an accompanying document" (guide 000, 3.1): the type first, then that type's fields. Without
    JavaScript the type is chosen by a GET of this page; with htmx only the fields are swapped in. A refused
    upload comes back as this page with every typed value and the message at its field."""
    person = _person(request)
    coi = _visible_or_404(person, pk)
    if not rules.boxes_open_to(coi, roles_on(person, coi)):
        raise Http404
    if request.method == "POST":
        try:
            services.add_document(person, pk, request.POST.dict(), request.FILES.get("file"))
        except services.BoxErrors as exc:
            return _render_document_form(request, coi, request.POST, exc.problems, status=422)
        except StoreUnavailable as exc:  # the store did not take the file: nothing recorded, try again later
            page = _render_document_form(request, coi, request.POST, {"file": [str(exc)]}, status=503)
            page["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return page
        messages.success(request, _("The document was attached."))
        return redirect("certificates:edit" if request.POST.get("next") == "edit" else "certificates:detail", pk=pk)
    if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx middleware
        return render(request, "certificates/_document_fields.html", {"coi": coi, **_document_context(request.GET, {})})
    return _render_document_form(request, coi, request.GET, {})


def _document_context(values: Any, problems: dict[str, list[str]]) -> dict[str, Any]:
    doc_type = values.get("type", "")
    fields = [
        {
            "name": f.name,
            "label": f.label,
            "required": f.required,
            "value": values.get(f.name, ""),
            "errors": problems.get(f.name, []),
        }
        for f in document_fields(doc_type)
    ]
    shown = {"type", "file", *(f["name"] for f in fields)}
    return {
        "doc_type": doc_type,
        "fields": fields,
        "problems": problems,
        "other_errors": [e for k, errors in problems.items() if k not in shown for e in errors],
        "document_types": DocumentType.choices,
        "countries": country_choices(),
        "next": values.get("next", ""),
    }


def _render_document_form(
    request: HttpRequest, coi: Certificate, values: Any, problems: dict[str, list[str]], status: int = 200
) -> HttpResponse:
    context = {"coi": coi, **_document_context(values, problems)}
    return render(request, "certificates/document_form.html", context, status=status)


@login_required
@require_POST
def remove_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    person = _person(request)
    _visible_or_404(person, pk)
    try:
        withdrawn = services.remove_document(person, pk, document_id)
    except NotFound:
        raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certificates:detail", pk=pk)
    if withdrawn is None:
        messages.success(request, _("The document was removed."))
    else:
        messages.success(request, _("The document was withdrawn: it stays on the COI, marked as withdrawn."))
    return redirect("certificates:detail", pk=pk)


@login_required
def download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    coi = _visible_or_404(_person(request), pk)
    document = coi.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


# Autocompletion fragments (htmx) ------------------------------------------------------------------


@login_required
def lookup_operators(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "exporter")
    field = request.GET.get("field", name)
    found = lookups.operators(request.GET.get(f"{name}_q", ""), field, limit=lookups.LIMIT + 1)
    return render(request, "certificates/_operator_results.html", {"name": name, **_first_found(found)})


def _first_found(found: list[Any]) -> dict[str, Any]:
    """The first results of a search picker, and whether more match (the picker then says so: none left out
    without a word)."""
    return {"results": found[: lookups.LIMIT], "more": len(found) > lookups.LIMIT, "shown": lookups.LIMIT}


@login_required
def lookup_control_bodies(request: HttpRequest) -> HttpResponse:
    codes = [str(v) for k, v in request.GET.items() if k.startswith("c-") and k.endswith("-cn")]
    found = lookups.control_bodies(
        request.GET.get("body_q", ""), request.GET.get("export_country", ""), codes, limit=lookups.LIMIT + 1
    )
    return render(request, "certificates/_body_results.html", _first_found(found))


@login_required
def lookup_choices(request: HttpRequest) -> HttpResponse:
    """The results of any search picker as one types (htmx): `name` the field (`lookups.picker_of`), `<name>_q`
    the search; box 1's also say why a body may not be chosen for the typed country of export and products."""
    name = request.GET.get("name", "")
    if lookups.picker_of(name) is None:
        raise Http404
    found = lookups.searches(request.GET).get(name)
    return render(request, "certificates/_picker_results_page.html", {"name": name, "found": found})


@login_required
def lookup_products(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "certificates/_product_results.html",
        {"results": lookups.products(request.GET.get("new_cn_q", "")), "name": "new_cn", "kind": "radio"},
    )
