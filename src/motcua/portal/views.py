"""Citizen portal pages. Thin: read through catalogue selectors, render templates."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog import selectors
from motcua.catalog.models import Agency
from motcua.core.http import HtmxHttpRequest
from motcua.core.ratelimit import allow
from motcua.dossiers import selectors as dossier_selectors

from .timeline import timeline, what_to_do


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"popular": selectors.popular_procedures(limit=8), "sectors": selectors.sector_list()},
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
    return render(request, "portal/procedure.html", {"procedure": procedure})


def track(request: HttpRequest) -> HttpResponse:
    """The tracking form; the code goes into the page address (it is not personal data)."""
    code = request.GET.get("ma", "").strip().upper()[:64]
    if code:
        from django.shortcuts import redirect

        return redirect("portal:track-dossier", code=code)
    return render(request, "portal/track.html", {"code": ""})


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
