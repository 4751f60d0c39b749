"""``POST /api/v1/dossiers/{code}/reassign/``: a leader gives a dossier's current step to
another officer of the agency holding it (ADR 0009). Thin: the service
``dossier_reassign`` decides who may, in which status and to whom (``rules.check_reassign``,
``selectors.assignable_officers``), as it does for the back office's buttons."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from . import selectors, services
from .api import IF_MATCH_HELP, _dossier_response, _parse_if_match, _visible_or_404
from .serializers import DossierSerializer


class ReassignSerializer(serializers.Serializer[dict[str, Any]]):
    assignee = serializers.CharField(
        max_length=150,
        help_text=(
            "Username of the new assignee: an active counter officer, specialist or leader of "
            "the agency holding the dossier, not the current assignee."
        ),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, default="", help_text="Why."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Optimistic concurrency: a stale version gets 409 (`stale_version`).",
    )


@extend_schema(tags=["dossiers"])
class DossierReassignApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = ReassignSerializer

    @extend_schema(
        request=ReassignSerializer,
        responses={200: DossierSerializer, 400: None, 403: None, 404: None, 409: None, 412: None},
        parameters=[
            OpenApiParameter(
                "If-Match", str, location=OpenApiParameter.HEADER, description=IF_MATCH_HELP
            )
        ],
        description=(
            "Reassign the dossier (and its current step) to another officer of the agency "
            "holding it. Leaders of that agency only (403 for other roles), in the statuses "
            "`received`, `processing`, `supplement_requested`, `payment_requested` (409 "
            "`action_not_allowed` otherwise); an assignee outside the agency, or the current "
            "one, is 400. Changes no status; writes one `reassign` event. Not one of "
            "`available_actions`, which lists the status machine's actions."
        ),
    )
    def post(self, request: Request, code: str) -> Response:
        dossier = _visible_or_404(request, code)
        body = ReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        updated = services.dossier_reassign(
            dossier_id=dossier.pk,
            assignee=body.validated_data["assignee"],
            actor=request.user,  # type: ignore[arg-type]
            version=body.validated_data.get("version"),
            if_match=_parse_if_match(request),
            note=body.validated_data["note"],
        )
        fresh = selectors.dossier_get(viewer=request.user, code_or_id=str(updated.pk))
        return _dossier_response(request, fresh if fresh is not None else updated)
