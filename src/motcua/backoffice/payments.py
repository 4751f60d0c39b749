"""Payments in the back office: a dossier's fee table with exemptions, and the daily
reconciliation of payments as a page and as CSV."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.constants import Role
from motcua.core.exceptions import ApplicationError
from motcua.dossiers.selectors import dossier_get
from motcua.payments.reconciliation import VIETNAM, daily_report, report_csv
from motcua.payments.selectors import fee_rows, payments_of
from motcua.payments.services import fee_exemption_grant

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


# Who reconciles the day's money: the counter that takes it, and those who oversee (leaders,
# supervisors, administrators). Specialists and volunteer assistants handle no money. The
# back-office navigation offers the page to these roles only (base.html).
RECONCILIATION_ROLES: frozenset[str] = frozenset(
    {Role.COUNTER_OFFICER, Role.LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR}
)


@require_GET
@staff_view
def reconciliation_view(request: HttpRequest) -> HttpResponse:
    """Payments of one day over the dossiers the officer may see; ``?csv=1`` downloads it."""
    office: Office = request.office  # type: ignore[attr-defined]
    if office.active.role not in RECONCILIATION_ROLES:
        return render(
            request,
            "backoffice/payments/reconciliation_forbidden.html",
            {"office": office},
            status=403,
        )
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


class ExemptionForm(forms.Form):
    line = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(
        label=gettext_lazy("Căn cứ miễn (văn bản, đối tượng được miễn)"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def fees_view(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """A dossier's fees line by line, what was paid, and the exemption of a line not yet paid
    (counter officer or leader of the dossier; the service decides)."""
    office: Office = request.office  # type: ignore[attr-defined]
    dossier = dossier_get(viewer=office.user, code_or_id=str(dossier_id))
    if dossier is None:
        raise Http404
    form = ExemptionForm(request.POST) if request.method == "POST" else None
    status = 200
    if form is not None:
        if form.is_valid():
            try:
                fee_exemption_grant(
                    dossier_id=dossier.pk,
                    line_key=form.cleaned_data["line"],
                    reason=form.cleaned_data["reason"],
                    actor=office.user,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Đã miễn khoản thu."))
                return redirect("backoffice:dossier-fees", dossier_id=dossier.pk)
        else:
            status = 400
    return render(
        request,
        "backoffice/payments/fees.html",
        {
            "office": office,
            "dossier": dossier,
            "rows": fee_rows(dossier=dossier),
            "payments": list(payments_of(dossier=dossier)),
            "form": form,
        },
        status=status,
    )
