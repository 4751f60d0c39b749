"""Reports in the back office (/can-bo/bao-cao/): the supervisors' and leaders' dashboard with
its drill-down (agency → procedure → late dossiers), the Decision 766 index and ranking, the
re-engineering view; each also as Excel and CSV (``?format=xlsx|csv``).

Who: the active membership must be a supervisor, administrator or leader; the report covers the
subtree of that membership's agency (``reports.selectors.Scope``). The figures come from
``reports.selectors`` (SQL aggregation) and ``reports.indicators`` (the formulas); nothing is
counted here. No page shows an applicant's personal data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.catalog.models import Agency, Procedure
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.reports import charts
from motcua.reports.exports import Column, Table, to_csv, to_xlsx
from motcua.reports.indicators import INDICATORS, WEIGHTS, Counts, rank, service_index
from motcua.reports.labels import FIGURE_LABELS, INDICATOR_LABELS, figure_columns
from motcua.reports.query import ReportQuery, parse_report_query
from motcua.reports.selectors import (
    REPORTING_ROLES,
    Scope,
    child_agencies,
    count_dossiers,
    counts_by_path,
    late_dossiers,
    monthly_flows,
    roll_up,
    service_facts,
    step_times,
)

from .access import Office, staff_view

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
LATE_PAGE_SIZE = 50


class _Forbidden(Exception):
    pass


def _office_scope(request: HttpRequest) -> tuple[Office, Scope]:
    office: Office = request.office  # type: ignore[attr-defined]
    if office.active.role not in REPORTING_ROLES:
        raise _Forbidden
    return office, Scope(paths=(office.active.agency.path,))


def _forbidden(request: HttpRequest) -> HttpResponse:
    office = getattr(request, "office", None)
    return render(request, "backoffice/reports/forbidden.html", {"office": office}, status=403)


def _query(request: HttpRequest, office: Office, scope: Scope) -> tuple[ReportQuery, Agency]:
    query = parse_report_query(request.GET, scope=scope, today=timezone.localdate())
    return query, query.agency or office.active.agency


def _bad_request(request: HttpRequest, office: Office, error: ValidationFailed) -> HttpResponse:
    return render(
        request,
        "backoffice/reports/bad_request.html",
        {"office": office, "errors": error.errors},
        status=400,
    )


def reporting_page(view: Any) -> Any:
    """``staff_view`` plus the reporting role; bad parameters give a 400 page, an agency outside
    the subtree a 403 page."""

    @staff_view
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            office, scope = _office_scope(request)
        except _Forbidden:
            return _forbidden(request)
        try:
            query, agency = _query(request, office, scope)
        except ValidationFailed as error:
            return _bad_request(request, office, error)
        except PermissionDenied:
            return _forbidden(request)
        response: HttpResponse = view(request, office, scope, query, agency, *args, **kwargs)
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- Helpers ---------------------------------------------------------------------------------


def _params(query: ReportQuery, **extra: str) -> str:
    params = {"from": query.period.first.isoformat(), "to": query.period.last.isoformat(), **extra}
    return urlencode({k: v for k, v in params.items() if v})


def _period_text(query: ReportQuery) -> str:
    return _("Từ %(first)s đến %(last)s") % {
        "first": query.period.first.strftime("%d/%m/%Y"),
        "last": query.period.last.strftime("%d/%m/%Y"),
    }


def _export(table: Table, name: str, fmt: str) -> HttpResponse:
    body = to_xlsx(table) if fmt == "xlsx" else to_csv(table)
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response


def _figures_export(
    fmt: str,
    title: str,
    first_column: str,
    rows: list[dict[str, Any]],
    total: Any,
    query: ReportQuery,
    agency: Agency,
    *,
    slug: str,
) -> HttpResponse:
    """A table of figures (one row per unit or procedure, the totals last) as Excel or CSV."""
    table = Table(
        title=title,
        subtitle=f"{agency.name} — {_period_text(query)}",
        columns=figure_columns("name", first_column),
        rows=rows,
        totals=total.counts.summary(),
        totals_label=_("Tổng cộng"),
    )
    return _export(table, f"{slug}-{agency.code}", fmt)


def _page_context(
    office: Office, agency: Agency, query: ReportQuery, **params: str
) -> dict[str, Any]:
    """What every report page shows around its figures: the unit, its breadcrumbs, the period,
    and the query string that keeps both (plus ``params``) in the page's links."""
    return {
        "office": office,
        "agency": agency,
        "crumbs": _crumbs(agency, office.active.agency),
        "query": query,
        "params": _params(query, agency=agency.code, **params),
        "period_text": _period_text(query),
    }


def _export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in EXPORT_FORMATS else None


def _crumbs(agency: Agency, root: Agency) -> list[Agency]:
    """The agencies from the membership's agency down to ``agency`` (for the drill-down trail)."""
    ids = [int(p) for p in agency.path.strip("/").split("/") if p]
    chain = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    out = [chain[i] for i in ids if i in chain and chain[i].path.startswith(root.path)]
    return out


def _figure_row(key: str, name: str, counts: Counts, **extra: Any) -> dict[str, Any]:
    return {"key": key, "name": name, "counts": counts, **counts.summary(), **extra}


def _rate(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


# --- Dashboard -------------------------------------------------------------------------------


@require_GET
@reporting_page
def dashboard_view(
    request: HttpRequest, office: Office, scope: Scope, query: ReportQuery, agency: Agency
) -> HttpResponse:
    """Figures of the agency's subtree, charts, and its sub-agencies to drill into (or its
    procedures when it has none)."""
    now = timezone.now()
    (total,) = count_dossiers(scope=scope, period=query.period, agency=agency, now=now)
    months = monthly_flows(scope=scope, period=query.period, agency=agency)
    children = child_agencies(agency=agency)
    by_path = counts_by_path(scope=scope, period=query.period, agency=agency, now=now)
    rows = [
        _figure_row(
            child.code,
            child.name,
            counts,
            agency=child,
            link=f"{reverse('backoffice:reports')}?{_params(query, agency=child.code)}",
        )
        for child, counts in zip(children, roll_up(by_path, children).values(), strict=True)
    ]
    own = by_path.get(agency.path)
    if own is not None and children:
        rows.insert(
            0, _figure_row(agency.code, _("Trực tiếp tại %(name)s") % {"name": agency.name}, own)
        )
    fmt = _export_format(request)
    if fmt:
        return _figures_export(
            fmt, _("Tình hình giải quyết hồ sơ"), _("Cơ quan, đơn vị"), rows, total, query, agency,
            slug="bao-cao",
        )  # fmt: skip
    ranked = sorted(
        (r for r in rows if r["on_time_rate"] is not None),
        key=lambda r: (-r["on_time_rate"], r["name"]),
    )
    # Units without a single dossier in the period (most communes of a province, some months)
    # are named in one folded list under the table instead of a row of zeros each.
    idle = [r for r in rows if r["counts"] == Counts()]
    active = [r for r in rows if r["counts"] != Counts()]
    context: dict[str, Any] = {
        **_page_context(office, agency, query),
        "period_params": _params(query),
        "total": total.counts,
        "figures": total.counts.summary(),
        "rows": active,
        "idle_rows": idle,
        "has_children": bool(children),
        "months": months,
        "ranked": ranked,
        "labels": FIGURE_LABELS,
        "charts": _dashboard_charts(months, active, ranked),
    }
    return render(request, "backoffice/reports/dashboard.html", context)


def _dashboard_charts(
    months: list[Any], rows: list[dict[str, Any]], ranked: list[dict[str, Any]]
) -> dict[str, Any]:
    trend = charts.line_chart(
        [m.name for m in months],
        [
            charts.Series(
                _("Tỷ lệ đúng hạn (%)"), [m.counts.on_time_rate for m in months], charts.GREEN
            ),
            charts.Series(
                _("Tỷ lệ trực tuyến (%)"),
                [m.counts.online_rate for m in months],
                charts.BLUE,
                dashed=True,
            ),
        ],
        title=_("Tỷ lệ đúng hạn và trực tuyến theo tháng"),
    )
    ranking = charts.bar_chart(
        [charts.Bar(r["name"], [_rate(r["on_time_rate"])]) for r in ranked],
        title=_("Xếp hạng theo tỷ lệ đúng hạn"),
        segments=[(_("Tỷ lệ đúng hạn"), charts.GREEN)],
        maximum=100,
        suffix="%",
    )
    # The bars of units with nothing to show are left out (a province has a hundred communes; a
    # bar of "0" or "—" for each made the page many screens long); the table lists every unit.
    stacked = charts.bar_chart(
        [
            charts.Bar(r["name"], [r["counts"].resolved_in_time, r["counts"].resolved_late])
            for r in rows
            if r["counts"].resolved
        ],
        title=_("Hồ sơ giải quyết đúng hạn và quá hạn"),
        segments=[(_("Trước hạn, đúng hạn"), charts.GREEN), (_("Quá hạn"), charts.RED)],
    )
    online = charts.bar_chart(
        [charts.Bar(r["name"], [_rate(r["online_rate"])]) for r in rows if r["counts"].received],
        title=_("Tỷ lệ hồ sơ trực tuyến so với mục tiêu 100%"),
        segments=[(_("Tỷ lệ trực tuyến"), charts.BLUE)],
        maximum=100,
        target=100,
        target_label=_("Mục tiêu 100%"),
        suffix="%",
    )
    return {"trend": trend, "ranking": ranking, "stacked": stacked, "online": online}


# --- Procedures and late dossiers -------------------------------------------------------------


@require_GET
@reporting_page
def procedures_view(
    request: HttpRequest, office: Office, scope: Scope, query: ReportQuery, agency: Agency
) -> HttpResponse:
    """The agency subtree's figures per procedure, each leading to its late dossiers."""
    now = timezone.now()
    groups = count_dossiers(
        scope=scope, period=query.period, agency=agency, group_by="procedure", now=now
    )
    (total,) = count_dossiers(scope=scope, period=query.period, agency=agency, now=now)
    late_url = reverse("backoffice:reports-late")
    rows = [
        _figure_row(
            g.key,
            f"{g.key} — {g.name}",
            g.counts,
            link=f"{late_url}?{_params(query, agency=agency.code, procedure=g.key)}",
        )
        for g in groups
    ]
    fmt = _export_format(request)
    if fmt:
        return _figures_export(
            fmt, _("Tình hình giải quyết theo thủ tục"), _("Thủ tục"), rows, total, query, agency,
            slug="thu-tuc",
        )  # fmt: skip
    context = {
        **_page_context(office, agency, query),
        "rows": rows,
        "figures": total.counts.summary(),
        "labels": FIGURE_LABELS,
    }
    return render(request, "backoffice/reports/procedures.html", context)


@require_GET
@reporting_page
def late_view(
    request: HttpRequest, office: Office, scope: Scope, query: ReportQuery, agency: Agency
) -> HttpResponse:
    """Dossiers resolved late in the period and those overdue at its end (code, procedure,
    agency, due and resolution times; no applicant data), linking to the dossier screen."""
    procedure = None
    if code := request.GET.get("procedure", "").strip():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise Http404
    dossiers = late_dossiers(
        scope=scope, period=query.period, agency=agency, procedure=procedure, now=timezone.now()
    )
    fmt = _export_format(request)
    if fmt:
        table = Table(
            title=_("Hồ sơ quá hạn"),
            subtitle=f"{agency.name} — {_period_text(query)}",
            columns=[
                Column("code", _("Mã hồ sơ")),
                Column("procedure", _("Thủ tục")),
                Column("agency", _("Nơi tiếp nhận")),
                Column("due", _("Hạn trả kết quả")),
                Column("resolved", _("Ngày có kết quả")),
            ],
            rows=[
                {
                    "code": d.code,
                    "procedure": d.procedure.name,
                    "agency": d.agency.name,
                    "due": _local(d.original_due_at),
                    "resolved": _local(d.resolved_at),
                }
                for d in dossiers
            ],
        )
        return _export(table, f"qua-han-{agency.code}", fmt)
    page = Paginator(dossiers, LATE_PAGE_SIZE).get_page(request.GET.get("page"))
    extra = {"procedure": procedure.code} if procedure else {}
    context = {
        **_page_context(office, agency, query, **extra),
        "procedure": procedure,
        "page": page,
    }
    return render(request, "backoffice/reports/late.html", context)


def _local(t: dt.datetime | None) -> str:
    return timezone.localtime(t).strftime("%H:%M %d/%m/%Y") if t else ""


# --- Decision 766 ------------------------------------------------------------------------------


@require_GET
@reporting_page
def index_view(
    request: HttpRequest, office: Office, scope: Scope, query: ReportQuery, agency: Agency
) -> HttpResponse:
    """The Decision 766 index of each sub-agency (or of the agency alone) and of the whole,
    ranked."""
    units = child_agencies(agency=agency) or [agency]
    facts, total_facts = service_facts(
        scope=scope, period=query.period, agencies=units, now=timezone.now()
    )
    scores = {code: service_index(f) for code, f in facts.items()}
    # A unit that received and resolved no dossier in the period has only its catalogue's
    # groups to judge (publicity, online services), scaled to 100: it would top the ranking
    # above every unit that did the work. It gets its group points, but no total and no rank.
    worked = {code for code, f in facts.items() if f.counts.received or f.counts.resolved}
    totals_by_code = {code: s.total if code in worked else None for code, s in scores.items()}
    ranks = rank(list(totals_by_code.items()))
    rows: list[dict[str, Any]] = []
    for unit in units:
        score = scores[unit.code]
        rows.append(
            {
                "agency": unit,
                "name": unit.name,
                "rank": ranks[unit.code],
                "total": totals_by_code[unit.code],
                "score": score,
                **{k: score.points[k] for k in INDICATORS},
            }
        )
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]))
    total_score = service_index(total_facts)
    totals = {k: total_score.points[k] for k in INDICATORS} | {"total": total_score.total}
    fmt = _export_format(request)
    if fmt:
        table = Table(
            title=_("Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"),
            subtitle=f"{agency.name} — {_period_text(query)}",
            columns=[Column("name", _("Cơ quan, đơn vị"))]
            + [Column(k, f"{INDICATOR_LABELS[k]} ({WEIGHTS[k]})", percent=True) for k in INDICATORS]
            + [Column("total", _("Tổng điểm (100)"), percent=True), Column("rank", _("Xếp hạng"))],
            rows=rows,
            totals={"name": "", "rank": None, **totals},
            totals_label=_("Toàn bộ"),
        )
        return _export(table, f"chi-so-766-{agency.code}", fmt)
    ranking_chart = charts.bar_chart(
        [charts.Bar(r["name"], [_rate(r["total"])]) for r in rows if r["total"] is not None],
        title=_("Xếp hạng theo tổng điểm"),
        segments=[(_("Tổng điểm"), charts.BLUE)],
        maximum=100,
    )
    context = {
        **_page_context(office, agency, query),
        "rows": rows,
        "totals": totals,
        "total_score": total_score,
        "indicators": [(k, INDICATOR_LABELS[k], WEIGHTS[k]) for k in INDICATORS],
        "ranking_chart": ranking_chart,
    }
    return render(request, "backoffice/reports/index766.html", context)


# --- Re-engineering ----------------------------------------------------------------------------

REENGINEERING_ROWS = 10


@require_GET
@reporting_page
def reengineering_view(
    request: HttpRequest, office: Office, scope: Scope, query: ReportQuery, agency: Agency
) -> HttpResponse:
    """Procedures with the lowest online share and the most late dossiers; for one procedure,
    the time each workflow step takes (median, 90th percentile) and how often it is late."""
    now = timezone.now()
    groups = count_dossiers(
        scope=scope, period=query.period, agency=agency, group_by="procedure", now=now
    )
    rows = [
        _figure_row(g.key, g.name, g.counts, late=g.counts.resolved_late + g.counts.pending_overdue)
        for g in groups
    ]
    fmt = _export_format(request)
    if fmt:
        table = Table(
            title=_("Thủ tục cần cải tiến"),
            subtitle=f"{agency.name} — {_period_text(query)}",
            columns=[
                Column("key", _("Mã thủ tục")),
                Column("name", _("Thủ tục")),
                Column("received", str(FIGURE_LABELS["received"])),
                Column("online_rate", str(FIGURE_LABELS["online_rate"]), percent=True),
                Column("late", _("Quá hạn (đã và đang giải quyết)")),
                Column("on_time_rate", str(FIGURE_LABELS["on_time_rate"]), percent=True),
            ],
            rows=sorted(rows, key=lambda r: (-r["late"], r["key"])),
        )
        return _export(table, f"cai-tien-{agency.code}", fmt)
    lowest_online = sorted(
        (r for r in rows if r["online_rate"] is not None),
        key=lambda r: (r["online_rate"], r["key"]),
    )[:REENGINEERING_ROWS]
    most_late = sorted((r for r in rows if r["late"]), key=lambda r: (-r["late"], r["key"]))[
        :REENGINEERING_ROWS
    ]
    procedure = None
    steps: list[Any] = []
    steps_chart = None
    if code := request.GET.get("procedure", "").strip():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise Http404
        steps = step_times(scope=scope, period=query.period, agency=agency, procedure=procedure)
        slowest = max((s.median_hours or 0 for s in steps), default=0)
        steps_chart = charts.bar_chart(
            [charts.Bar(f"{s.position}. {s.name}", [s.median_hours]) for s in steps],
            title=_("Thời gian trung vị của mỗi bước (giờ)"),
            segments=[(_("Trung vị (giờ)"), charts.BLUE)],
            maximum=slowest or 1,
        )
    context = {
        **_page_context(office, agency, query),
        "lowest_online": lowest_online,
        "most_late": most_late,
        "procedure": procedure,
        "steps": steps,
        "slowest": max(steps, key=lambda s: s.median_hours or 0) if steps else None,
        "steps_chart": steps_chart,
    }
    return render(request, "backoffice/reports/reengineering.html", context)
