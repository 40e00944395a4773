"""Pages of the outputs: the PDF, the public verification, document downloads, exports and the dashboard.

Thin: each reads who asks (certificates.access), calls one function of this package, and answers. A COI
the person may not see is a 404, exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from certificates.access import Person, get_visible
from certificates.filters import CertificateFilter, certificate_filter
from certificates.models import Certificate
from certificates.outputs import dashboard as dashboards
from certificates.outputs import exports
from certificates.outputs.pdf_store import stored_pdf
from certificates.outputs.seal import SealError, seal_configured
from certificates.outputs.signed_boxes import box18_signed
from certificates.outputs.verification import certificate_for_token, public_view, seal_report
from core.errors import NotFound
from directory.access import acting_membership

LANGUAGES = ("fr", "en")
MAX_CHECKED_PDF = 20 * 1024 * 1024  # bytes: a COI's PDF is well under 1 MB


def _visible(request: HttpRequest, pk: int) -> Certificate:
    try:
        return get_visible(Person.of_request(request), pk)
    except NotFound:
        raise Http404 from None


@require_GET
@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF in the reader's language (or ?lang=fr / ?lang=en, e.g. for a border officer abroad)."""
    coi = _visible(request, pk)
    language = request.GET.get("lang") or translation.get_language() or "fr"
    try:
        document = stored_pdf(coi, language[:2] if language[:2] in LANGUAGES else "fr")
    except SealError:
        # The TSA, an OCSP responder or the token did not answer: no unsealed copy of a signed COI is handed out.
        message = _(
            "The PDF cannot be sealed right now (time-stamping or revocation service unreachable). "
            "Try again in a few minutes."
        )
        unavailable = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        unavailable["Retry-After"] = "60"
        return unavailable
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    return response


@require_http_methods(["GET", "POST"])
@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public, no login: what a border officer sees after scanning the QR code of a printed COI, with the
    seal of the latest PDF the system holds checked, or (POST, field `pdf`) the seal of a PDF they upload."""
    coi = certificate_for_token(token)
    if coi is None:
        raise Http404
    coi = (
        Certificate.objects.select_related(
            "control_body_code__control_body", "exporter", "importer", "first_consignee", "base"
        )
        .prefetch_related("commodities__cn_code", "commodities__lines")
        .get(pk=coi.pk)
    )
    context: dict[str, object] = {"view": public_view(coi), "upload_error": ""}
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is None:
            context["upload_error"] = _("Choose the PDF file to check.")
        elif upload.size is not None and upload.size > MAX_CHECKED_PDF:
            context["upload_error"] = _("This file is larger than 20 MB: it is not a certificate's PDF.")
        else:
            context["report"] = seal_report(coi, upload.read(), source="upload")
    elif box18_signed(coi) and seal_configured():
        language = translation.get_language() or "fr"
        try:
            document = stored_pdf(coi, language[:2] if language[:2] in LANGUAGES else "fr")
        except SealError:
            context["seal_unavailable"] = True
        else:
            context["report"] = seal_report(coi, document.content, source="stored")
    response = render(
        request, "certificates/outputs/verify.html", context, status=400 if context["upload_error"] else 200
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _export(request: HttpRequest, respond: Callable[[CertificateFilter], HttpResponseBase]) -> HttpResponseBase:
    """The list with its filters as a file; a filter that cannot be read refuses the export (400, why at each
    parameter) rather than export nothing, or every COI, as if it had not been given."""
    found = certificate_filter(Person.of(request.user), request.GET)
    if found.refusals:
        lines = [f"{name}: {' '.join(messages)}" for name, messages in found.refusals.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    return respond(found)


@require_GET
@login_required
def export_csv(request: HttpRequest) -> HttpResponseBase:
    return _export(request, exports.csv_response)


@require_GET
@login_required
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _export(request, exports.xlsx_response)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    form = request.GET.get("form", "")  # "1235/2008" or "2021/2306" limits the board to that form
    board = dashboards.build(request.user, membership, form) if membership else None
    context = {"membership": membership, "board": board}
    return render(request, "certificates/outputs/dashboard.html", context)
