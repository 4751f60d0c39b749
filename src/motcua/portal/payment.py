"""The applicant's online payment pages: what is owed and the button that goes to the gateway,
the page the gateway returns the browser to, and the electronic receipt.

The return page shows the payment as the gateway's notification (IPN) left it: it never marks
anything paid itself. While the notification has not arrived, it says so and refreshes.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import User
from motcua.core.exceptions import ApplicationError
from motcua.core.middleware import CSP
from motcua.core.ratelimit import client_ip
from motcua.dossiers.documents import content_disposition
from motcua.payments import selectors
from motcua.payments.constants import PaymentState
from motcua.payments.receipt import payment_receipt_pdf
from motcua.payments.services import (
    payment_from_return,
    payment_redirect_url,
    payment_start_online,
)

REFRESH_SECONDS = 3


@login_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """GET: what is owed; POST: start paying it online and go to the gateway."""
    user: User = request.user  # type: ignore[assignment]
    dossier = selectors.applicant_dossier(viewer=user, dossier_id=pk)
    if dossier is None:
        raise Http404
    problem = ""
    if request.method == "POST":
        try:
            payment = payment_start_online(dossier_id=dossier.pk, actor=user)
        except ApplicationError as error:
            problem = error.message
        else:
            return redirect(payment_redirect_url(payment=payment, client_ip=client_ip(request)))
    lines = selectors.fee_lines(dossier=dossier)
    response = render(
        request,
        "portal/payment/pay.html",
        {
            "dossier": dossier,
            "lines": lines,
            "due": selectors.amount_due(dossier=dossier),
            "payments": list(selectors.payments_of(dossier=dossier)),
            "problem": problem,
        },
        status=409 if problem else 200,
    )
    # The form posts here and is redirected to the gateway: the policy lets that redirect go.
    gateway_origin = "{0.scheme}://{0.netloc}".format(urlsplit(settings.MOTCUA_PAYMENT_PAY_URL))
    response["Content-Security-Policy"] = CSP.replace(
        "form-action 'self'", f"form-action 'self' {gateway_origin}"
    )
    return response


@login_required
@require_GET
def gateway_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the browser back: the payment's state as we know it."""
    user: User = request.user  # type: ignore[assignment]
    payment = payment_from_return(params=request.GET.dict())
    if payment is None or selectors.applicant_payment(viewer=user, payment_id=payment.pk) is None:
        return render(request, "portal/payment/return_invalid.html", status=400)
    response = render(
        request,
        "portal/payment/return.html",
        {
            "payment": payment,
            "dossier": payment.dossier,
            "pending": payment.state == PaymentState.PENDING,
        },
    )
    response["Cache-Control"] = "no-store"
    if payment.state == PaymentState.PENDING:
        # The notification has not come yet: look again shortly (the page reads the database).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
@require_GET
def receipt(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    """The electronic receipt of a paid payment, as PDF."""
    user: User = request.user  # type: ignore[assignment]
    payment = selectors.applicant_payment(viewer=user, payment_id=payment_id)
    if payment is None or payment.state != PaymentState.PAID:
        raise Http404
    response = HttpResponse(payment_receipt_pdf(payment=payment), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"bien-lai-{payment.dossier.code or payment.reference}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
