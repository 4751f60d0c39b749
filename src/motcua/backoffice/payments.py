"""The daily reconciliation of payments as a back-office page, and as CSV."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.payments.reconciliation import VIETNAM, daily_report, report_csv

from .access import Office, staff_view


def _day(request: HttpRequest) -> tuple[dt.date, bool]:
    today = dt.datetime.now(tz=VIETNAM).date()
    raw = request.GET.get("ngay", "")
    if not raw:
        return today, True
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return today, False
    return (day, True) if day <= today else (today, False)


@require_GET
@staff_view
def reconciliation_view(request: HttpRequest) -> HttpResponse:
    """Payments of one day over the dossiers the officer may see; ``?csv=1`` downloads it."""
    office: Office = request.office  # type: ignore[attr-defined]
    day, valid = _day(request)
    report = daily_report(day=day, viewer=office.user)
    if request.GET.get("csv") == "1" and valid:
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="doi-soat-{day.isoformat()}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "backoffice/payments/reconciliation.html",
        {"office": office, "report": report, "day": day, "invalid_day": not valid},
        status=200 if valid else 400,
    )
