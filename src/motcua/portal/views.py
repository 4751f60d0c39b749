"""Citizen portal pages. Thin: read through catalogue selectors, render templates."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog import selectors
from motcua.core.http import HtmxHttpRequest


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
