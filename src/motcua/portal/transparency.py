"""The public transparency page (/minh-bach/): how each agency handles dossiers this year, for
everyone, without logging in. Counts and rates only: no dossier, no person.

The figures are the statistics of ``reports.selectors`` for the year (to date), per agency
subtree (the tree's top agencies, then their units); they are cached for a minute so that a
crowd of visitors costs one aggregation a minute and no figure is older than that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.catalog.models import Agency
from motcua.reports import charts
from motcua.reports.indicators import Counts
from motcua.reports.selectors import (
    Period,
    Scope,
    child_agencies,
    counts_by_path,
    roll_up,
)

CACHE_SECONDS = 60


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    has_units: bool
    counts: Counts


@dataclass(frozen=True)
class Figures:
    rows: list[UnitRow]
    total: Counts
    period: Period


PUBLIC = Scope(everything=True)
FIRST_YEAR = 2015  # the provincial portal's first year (PRODUCT.md)


def _figures(agency: Agency | None, year: int) -> Figures:
    """Rows for the agency's units (or the top agencies) and their total, for the year."""
    key = f"transparency:{agency.pk if agency else 'top'}:{year}"
    cached = cache.get(key)
    if isinstance(cached, Figures):
        return cached
    now = timezone.now()
    today = timezone.localdate(now)
    last = today if year == today.year else today.replace(year=year, month=12, day=31)
    period = Period(today.replace(year=year, month=1, day=1), last)
    units = (
        child_agencies(agency=agency)
        if agency
        else list(Agency.objects.filter(parent__isnull=True).order_by("code"))
    )
    units = [u for u in units if u.is_active]
    by_path = counts_by_path(scope=PUBLIC, period=period, agency=agency, now=now)
    totals = roll_up(by_path, units)
    parents = set(
        Agency.objects.filter(parent__in=units, is_active=True).values_list("parent_id", flat=True)
    )
    rows = [UnitRow(u.code, u.name, u.pk in parents, totals[u.code]) for u in units]
    total = sum((r.counts for r in rows), Counts())
    if agency is not None and agency.path in by_path:
        total = total + by_path[agency.path]  # received by the agency itself, not a unit
    figures = Figures(rows, total, period)
    cache.set(key, figures, CACHE_SECONDS)
    return figures


@require_GET
def transparency_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam") or today.year)
    except ValueError:
        year = today.year
    if not FIRST_YEAR <= year <= today.year:
        raise Http404
    agency = None
    if code := request.GET.get("co-quan", "").strip():
        agency = Agency.objects.filter(code=code, is_active=True).first()
        if agency is None:
            raise Http404
    figures = _figures(agency, year)
    rows = figures.rows
    chart = charts.bar_chart(
        [charts.Bar(r.name, [_float(r.counts.on_time_rate)]) for r in rows if r.counts.resolved],
        title=_("Tỷ lệ giải quyết đúng hạn"),
        segments=[(_("Tỷ lệ đúng hạn"), charts.GREEN)],
        maximum=100,
        suffix="%",
    )
    context = {
        "agency": agency,
        "parent": agency.parent if agency else None,
        "year": year,
        "years": list(range(today.year, max(FIRST_YEAR, today.year - 4) - 1, -1)),
        "rows": rows,
        "total": figures.total,
        "period": figures.period,
        "chart": chart,
        "has_chart": any(r.counts.resolved for r in rows),
    }
    return render(request, "portal/transparency/index.html", context)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
