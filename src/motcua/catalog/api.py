"""Public catalogue API: agencies, sectors, procedures (no authentication)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from . import selectors
from .constants import OnlineLevel
from .payloads import procedure_payloads
from .serializers import AgencySerializer, ProcedureSerializer, SectorSerializer


class _Public(APIView):
    """Public catalogue endpoints: no authentication, anonymous rate limit."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (AnonRateThrottle,)


class AgencyFilters(serializers.Serializer[dict[str, Any]]):
    level = serializers.SlugField(required=False)
    parent = serializers.CharField(required=False, max_length=64)  # type: ignore[assignment]
    q = serializers.CharField(required=False, max_length=200)


@extend_schema(
    tags=["catalogue"],
    parameters=[
        OpenApiParameter("level", str, description="province, department, district, commune, …"),
        OpenApiParameter("parent", str, description="Code of the parent agency"),
        OpenApiParameter("q", str, description="Name or code, diacritic-insensitive"),
    ],
)
class AgencyListApi(_Public, ListAPIView):
    """Agencies (cơ quan, đơn vị) as a flat list; `parent` gives the tree."""

    serializer_class = AgencySerializer

    def get_queryset(self) -> Any:
        filters = AgencyFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.agency_list(**filters.validated_data)


@extend_schema(tags=["catalogue"])
class AgencyDetailApi(_Public, RetrieveAPIView):
    """One agency by its electronic code; a former code finds the agency that holds it now."""

    serializer_class = AgencySerializer

    def get_object(self) -> Any:
        agency = selectors.agency_get(code=self.kwargs["code"])
        if agency is None:
            raise Http404
        return agency


@extend_schema(tags=["catalogue"])
class SectorListApi(_Public, ListAPIView):
    """Sectors (lĩnh vực)."""

    serializer_class = SectorSerializer

    def get_queryset(self) -> Any:
        return selectors.sector_list()


class ProcedureFilters(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField(required=False, max_length=200, allow_blank=True)
    sector = serializers.CharField(required=False, max_length=32)
    agency = serializers.CharField(required=False, max_length=64)
    level = serializers.SlugField(required=False)
    online = serializers.ChoiceField(required=False, choices=OnlineLevel.choices)


@extend_schema(
    tags=["catalogue"],
    parameters=[
        OpenApiParameter(
            "q", str, description="Search text: diacritic-insensitive, typo-tolerant; ranks results"
        ),
        OpenApiParameter("sector", str, description="Sector code"),
        OpenApiParameter("agency", str, description="Agency code"),
        OpenApiParameter("level", str, description="Agency level code"),
        OpenApiParameter("online", OpenApiTypes.STR, enum=OnlineLevel.values),
    ],
)
class ProcedureListApi(_Public, ListAPIView):
    """Administrative procedures; ranked by relevance when `q` is given."""

    serializer_class = ProcedureSerializer  # documents the shape; payloads.py builds it

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = ProcedureFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        ids: Any = selectors.procedure_list_ids(**filters.validated_data)
        page: list[int] = self.paginate_queryset(ids) or []
        return self.get_paginated_response(procedure_payloads(page, request=request))


@extend_schema(tags=["catalogue"])
class ProcedureDetailApi(_Public, RetrieveAPIView):
    """One procedure by its national code."""

    serializer_class = ProcedureSerializer  # documents the shape; payloads.py builds it

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        procedure = selectors.procedure_get(code=self.kwargs["code"])
        if procedure is None or not procedure.is_active:
            raise Http404
        return Response(procedure_payloads([procedure.pk], request=request)[0])
