"""Statistics API (API.md "Statistics"). Thin: read the query, ask the selectors."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.core.exceptions import PermissionDenied

from .query import parse_report_query
from .selectors import GROUPINGS, report_scope, stats_summary
from .serializers import SummarySerializer, summary_payload


@extend_schema(tags=["statistics"])
class StatsSummaryApi(GenericAPIView[Any]):
    """Supervisors and administrators for the subtrees they oversee, leaders for the subtree of
    the agency they lead; anyone else 403."""

    permission_classes = (IsAuthenticated,)
    serializer_class = SummarySerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default 1 January)."
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Last day, included (default today)."
            ),
            OpenApiParameter(
                "agency", str, description="Agency code (default: the caller's scope)."
            ),
            OpenApiParameter("include_descendants", bool, description="Default true."),
            OpenApiParameter("group_by", str, enum=list(GROUPINGS)),
        ],
        responses={200: SummarySerializer},
    )
    def get(self, request: Request) -> Response:
        """Counts and rates of dossiers over a period and an agency subtree (API.md)."""
        scope = report_scope(viewer=request.user)
        if scope.empty:
            raise PermissionDenied(
                "statistics are for supervisors and leaders", code="not_a_reporter"
            )
        now = timezone.now()
        query = parse_report_query(request.query_params, scope=scope, today=timezone.localdate(now))
        summary = stats_summary(
            scope=scope,
            period=query.period,
            agency=query.agency,
            include_descendants=query.include_descendants,
            group_by=query.group_by,
            now=now,
        )
        return Response(summary_payload(summary, as_of=min(query.period.end, now)))
