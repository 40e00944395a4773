"""Pages to join organisations: choose a role type, search, request, create an operator, my roles.

Thin: parse, call `services` / `operators`, render. The pages that decide are in `views_decide.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.converters import read_id
from core.errors import DomainError, NotFound
from core.pages import page_or_404
from directory import operators, services
from directory.access import ACTING_SESSION_KEY, acting_membership, valid_memberships
from directory.forms import (
    ActivityFormSet,
    AuthorityRequestForm,
    ContactForm,
    ControlBodySearchForm,
    IdentifierFormSet,
    OperatorForm,
    OperatorSearchForm,
)
from directory.models import Authority, ControlBodyCode, Membership, Operator, RflGrant, Status

PAGE_SIZE = 20


def domain_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in only; a domain `NotFound` is a 404, any other refusal a message on the previous page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(back(request))

    return wrapper


def back(request: HttpRequest, default: str = "directory:roles") -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def contact_of(form: ContactForm) -> dict[str, str]:
    return {name: form.cleaned_data[name] for name in ("message", "contact_email", "contact_phone")}


@domain_pages
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/start.html")


@domain_pages
def operator_search(request: HttpRequest) -> HttpResponse:
    form = OperatorSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = operators.search_operators(data["country"], data["kind"], data["q"])
        page = page_or_404(results, PAGE_SIZE, request.GET.get("page"))
    template = "directory/_operator_results.html" if request.htmx else "directory/operator_search.html"  # type: ignore[attr-defined]  # set by django-htmx middleware
    return render(request, template, {"form": form, "page": page, "query": request.GET.urlencode()})


@domain_pages
def operator_request(request: HttpRequest, pk: int) -> HttpResponse:
    operator = get_object_or_404(Operator.objects.exclude(status__in=Status.closed()), pk=pk)
    form = ContactForm(request.POST or None, initial={"contact_email": request.user.email})  # type: ignore[union-attr]  # login_required: a User
    if request.method == "POST" and form.is_valid():
        services.request_membership(request.user, operator, **contact_of(form))
        messages.success(request, _("Your request is sent. Its status is Requested until it is validated."))
        return redirect("directory:roles")
    return render(request, "directory/request_confirm.html", {"form": form, "organisation": operator.name})


@domain_pages
def operator_create(request: HttpRequest) -> HttpResponse:
    """Only after a search that found nothing: the page repeats the search and refuses otherwise."""
    country, text = request.GET.get("country", ""), request.GET.get("q", "")
    if not country or operators.search_operators(country, "", text).exists():
        messages.warning(request, _("Search for your operator first: create one only when the search finds nothing."))
        return redirect(reverse("directory:operator_search") + (f"?country={country}&q={text}" if country else ""))
    data = request.POST or None
    form = OperatorForm(data, initial={"country": country, "name": text})
    identifiers = IdentifierFormSet(data, prefix="identifiers")
    activities = ActivityFormSet(data, prefix="activities")
    contact = ContactForm(data, initial={"contact_email": request.user.email})  # type: ignore[union-attr]  # login_required: a User
    candidates: list[Operator] = []
    if data and all(f.is_valid() for f in (form, identifiers, activities, contact)):
        try:
            membership = operators.create_operator_with_request(
                request.user,
                form.details(),
                [
                    operators.NewIdentifier(f.cleaned_data["type"], f.cleaned_data["value"])
                    for f in identifiers
                    if f.cleaned_data.get("value")
                ],
                [a for a in (f.activity() for f in activities) if a is not None],
                operators.ContactInfo(**contact_of(contact)),
                confirm_duplicate=bool(request.POST.get("confirm_duplicate")),
            )
        except operators.LikelyDuplicate as duplicate:
            candidates = duplicate.candidates
        except DomainError as error:
            if isinstance(error, NotFound):
                raise Http404
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("The operator %(name)s and your request are sent to its validator.")
                % {"name": membership.held_operator.name},
            )
            for warning in membership.held_operator.eori_warnings:
                messages.warning(request, warning)
            return redirect("directory:roles")
    context = {"form": form, "identifiers": identifiers, "activities": activities, "contact": contact}
    return render(request, "directory/operator_create.html", {**context, "candidates": candidates})


@domain_pages
def control_body_search(request: HttpRequest) -> HttpResponse:
    form = ControlBodySearchForm(request.GET or None)
    contact = ContactForm(initial={"contact_email": request.user.email})  # type: ignore[union-attr]  # login_required: a User
    return _control_body_page(request, form, contact, [])


# Control body entries shown for one search; when more match, the page says how many and asks to narrow it.
CONTROL_BODY_RESULTS = 200


def _control_body_page(
    request: HttpRequest, form: ControlBodySearchForm, contact: ContactForm, selected: list[str], status: int = 200
) -> HttpResponse:
    """The search and its results; after a refused request, the entries ticked and the contact as typed."""
    codes, found = None, 0
    if form.is_bound and form.is_valid():
        matching = operators.search_control_body_codes(form.cleaned_data["country"], form.cleaned_data["q"])
        codes = list(matching[: CONTROL_BODY_RESULTS + 1])
        found = matching.count() if len(codes) > CONTROL_BODY_RESULTS else len(codes)
        codes = codes[:CONTROL_BODY_RESULTS]
    context = {"form": form, "codes": codes, "found": found, "contact": contact, "selected": selected}
    return render(request, "directory/control_body_search.html", context, status=status)


@domain_pages
@require_POST
def control_body_request(request: HttpRequest) -> HttpResponse:
    contact = ContactForm(request.POST)
    selected = request.POST.getlist("codes")
    if contact.is_valid():
        ids = [read_id(c) for c in selected]
        codes = ControlBodyCode.objects.filter(pk__in=[i for i in ids if i is not None], active=True)
        try:
            services.request_control_body_codes(request.user, codes, **contact_of(contact))
        except NotFound:
            raise
        except DomainError as error:
            contact.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your request is sent. Its status is Requested until it is validated."))
            return redirect("directory:roles")
    search = ControlBodySearchForm({"country": request.POST.get("country", ""), "q": request.POST.get("q", "")})
    return _control_body_page(request, search, contact, selected, status=422)


@domain_pages
def authority_request(request: HttpRequest) -> HttpResponse:
    form = AuthorityRequestForm(request.POST or None, initial={"contact_email": request.user.email})  # type: ignore[union-attr]  # login_required: a User
    if request.method == "POST" and form.is_valid():
        services.request_membership(request.user, form.cleaned_data["authority"], **contact_of(form))
        messages.success(request, _("Your request is sent. Its status is Requested until it is validated."))
        return redirect("directory:roles")
    authorities = Authority.objects.all().order_by("kind", "country", "name")
    context = {"form": form, "authorities": authorities}
    # refused: the form again, the error at its field
    return render(request, "directory/authority_request.html", context, status=422 if request.method == "POST" else 200)


@domain_pages
def roles(request: HttpRequest) -> HttpResponse:
    """My roles and their statuses, the organisation I act for, and the switch."""
    memberships = Membership.objects.filter(user=request.user).select_related(  # type: ignore[misc]  # login_required: a User
        "operator", "control_body_code__control_body", "authority"
    )
    counts: dict[str, int] = dict.fromkeys((Status.DELETED, Status.REQUESTED, Status.SUSPENDED, Status.VALID), 0)
    for membership in memberships:
        counts[membership.status] = counts.get(membership.status, 0) + 1
    context = {
        "memberships": memberships,
        "counts": [(Status(s).label, n) for s, n in counts.items()],
        "acting": acting_membership(request),
        "valid": list(valid_memberships(request.user)),
        "rfl": RflGrant.objects.filter(user=request.user, revoked_at__isnull=True).select_related(  # type: ignore[misc]  # login_required: a User
            "operator", "point_of_entry"
        ),
    }
    return render(request, "directory/roles.html", context)


@domain_pages
@require_POST
def act_for(request: HttpRequest) -> HttpResponse:
    """Store the organisation the person acts for; only one of their Valid memberships is accepted."""
    membership = valid_memberships(request.user).filter(pk=read_id(request.POST.get("membership")) or 0).first()
    if membership is None:
        raise Http404
    request.session[ACTING_SESSION_KEY] = membership.pk
    messages.success(request, _("You now act for %(organisation)s.") % {"organisation": membership.organisation_name})
    return redirect(back(request))
