"""Citizen portal pages. Thin: read through catalogue selectors, render templates."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from motcua.catalog import selectors
from motcua.catalog.models import Agency, RequiredDocument
from motcua.core.http import HtmxHttpRequest
from motcua.core.ratelimit import allow
from motcua.core.text import strip_diacritics
from motcua.dossiers import selectors as dossier_selectors

from . import selectors as portal_selectors
from .timeline import timeline, what_to_do

# What a downloaded form template is served as, by its stored extension.
TEMPLATE_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "popular": portal_selectors.popular_procedures(limit=8),
            "sectors": selectors.sector_list(),
        },
    )


def procedure_search(request: HtmxHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    results = selectors.procedure_list(q=q) if q.strip() else []
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    template = "portal/_results.html" if request.htmx else "portal/search.html"
    return render(request, template, {"q": q, "page": page})


def sector_detail(request: HttpRequest, code: str) -> HttpResponse:
    sector = selectors.sector_list().filter(code=code).first()
    if sector is None:
        raise Http404
    procedures = selectors.procedure_list(sector=code)
    return render(request, "portal/sector.html", {"sector": sector, "procedures": procedures})


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_get(code=code)
    if procedure is None or not procedure.is_active:
        raise Http404
    apply_url = None
    if procedure.online != "none":
        try:
            apply_url = reverse("portal:apply-start", kwargs={"code": procedure.code})
        except NoReverseMatch:  # the apply wizard is not installed
            apply_url = None
    return render(
        request,
        "portal/procedure.html",
        {
            "procedure": procedure,
            "steps": portal_selectors.procedure_steps(procedure=procedure),
            "where": portal_selectors.where_to_apply(procedure=procedure),
            "apply_url": apply_url,
        },
    )


def form_template(request: HttpRequest, code: str, position: int) -> FileResponse:
    """Download the blank form of a required document, named after the form."""
    document = (
        RequiredDocument.objects.select_related("procedure")
        .filter(procedure__code=code, procedure__is_active=True, position=position)
        .exclude(form_template="")
        .first()
    )
    if document is None:
        raise Http404
    suffix = document.form_template.name.rsplit(".", 1)[-1].lower()
    if suffix not in TEMPLATE_TYPES:
        raise Http404
    try:
        handle = document.form_template.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = slugify(strip_diacritics(document.form_name or document.name)) or f"mau-{position}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.{suffix}",
        content_type=TEMPLATE_TYPES[suffix],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def track(request: HttpRequest) -> HttpResponse:
    """The tracking form; the code goes into the page address (it is not personal data)."""
    code = request.GET.get("ma", "").strip().upper()[:64]
    if code:
        return redirect("portal:track-dossier", code=code)
    return render(request, "portal/track.html", {"code": "", "empty": "ma" in request.GET})


def track_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """Public page of one dossier (the receipt's QR code points here): no personal data."""
    if not allow(request, "tracking"):
        return render(request, "portal/track.html", {"code": code, "throttled": True}, status=429)
    dossier = dossier_selectors.dossier_track(code=code)
    if dossier is None:
        return render(request, "portal/track.html", {"code": code, "not_found": True}, status=404)
    events = list(dossier_selectors.dossier_events(dossier=dossier))
    codes = {e.agency_code for e in events} | {
        str((e.data or {}).get("to_agency", "")) for e in events
    }
    agencies = dict(Agency.objects.filter(code__in=codes).values_list("code", "name"))
    last_request = next((e for e in reversed(events) if e.action == "request_supplement"), None)
    todo, items = what_to_do(dossier, last_request)
    return render(
        request,
        "portal/track.html",
        {
            "code": code,
            "dossier": dossier,
            "moments": timeline(dossier, events, agencies),
            "todo": todo,
            "items": items,
        },
    )
