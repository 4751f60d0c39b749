"""Payments in the API: a dossier's fees and payments, and the applicant starting an online
payment (API.md's ``pay`` by the applicant, taken at the gateway: docs/adr/0011).

Visibility is the dossier's (``dossiers.selectors.dossier_get``): a dossier the caller may not
see is a 404 like one that does not exist. Starting a payment is the applicant's alone (403 for
staff who see the dossier); it never marks anything paid: only the gateway's signed
notification (``views.ipn``) does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.core.idempotency import HEADER, idempotent
from motcua.core.ratelimit import client_ip
from motcua.dossiers.constants import Actor
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import actor_roles, dossier_get

from . import gateway, selectors
from .serializers import (
    DossierPaymentsSerializer,
    OnlinePaymentStartedSerializer,
    obligation_payload,
    payment_payload,
    started_payload,
)
from .services import payment_redirect_url, payment_start_online

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Repeat the request with the same key: the first answer is replayed, no second "
    "payment is started.",
)


def _visible_or_404(request: Request, code: str) -> Dossier:
    dossier = dossier_get(viewer=request.user, code_or_id=code)
    if dossier is None:
        raise Http404
    return dossier


@extend_schema(tags=["payments"])
class DossierPaymentsApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = DossierPaymentsSerializer

    @extend_schema(responses=DossierPaymentsSerializer)
    def get(self, request: Request, code: str) -> Response:
        """What the dossier owes (its obligations, line by line) and its payments, newest
        first, for whoever may see the dossier. The gateway's transaction number is shown to
        staff only."""
        dossier = _visible_or_404(request, code)
        staff = Actor.APPLICANT not in actor_roles(viewer=request.user, dossier=dossier)
        response = Response(
            {
                "fees": {
                    "total": dossier.fees_total,
                    "paid": dossier.fees_paid,
                    "due": selectors.amount_due(dossier=dossier),
                },
                "obligations": [
                    obligation_payload(row) for row in selectors.fee_rows(dossier=dossier)
                ],
                "payments": [
                    payment_payload(p, staff=staff) for p in selectors.payments_of(dossier=dossier)
                ],
            }
        )
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(tags=["payments"])
class DossierOnlinePaymentApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = OnlinePaymentStartedSerializer

    @extend_schema(
        request=None,
        responses={
            201: OnlinePaymentStartedSerializer,
            403: OpenApiResponse(
                description="The caller sees the dossier but is not its applicant"
            ),
            409: OpenApiResponse(
                description="`nothing_due`: nothing is owed; `payment_not_possible`: the "
                "dossier takes no payment in its status"
            ),
        },
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def post(self, request: Request, code: str) -> Response:
        """The applicant starts paying online everything the dossier still owes (409
        `nothing_due` when nothing is; an earlier attempt still pending is cancelled). Send the
        payer's browser to `pay_url`; the payment is paid when the gateway notifies us, then
        `GET .../payments/` and the dossier's `fees.paid` say so."""
        dossier = _visible_or_404(request, code)
        payment = payment_start_online(
            dossier_id=dossier.pk,
            actor=request.user,  # type: ignore[arg-type]  # IsAuthenticated
        )
        cfg = gateway.config(payment.gateway)
        response = Response(
            started_payload(
                payment,
                pay_url=payment_redirect_url(payment=payment, client_ip=client_ip(request)),
                expires_at=payment.created_at + dt.timedelta(minutes=cfg.expire_minutes),
            ),
            status=status.HTTP_201_CREATED,
        )
        response["Location"] = f"/api/v1/dossiers/{dossier.code or dossier.pk}/payments/"
        response["Cache-Control"] = "no-store"
        return response
