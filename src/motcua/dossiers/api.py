"""Dossier API (API.md "Dossiers" and "Public tracking"). Thin: validate, call services/selectors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure, RequiredDocument
from motcua.core.api.throttles import WindowThrottle
from motcua.core.compiled import CompiledQuery
from motcua.core.exceptions import ApplicationError, ValidationFailed
from motcua.core.idempotency import idempotent
from motcua.workflow.selectors import intake_by_codes

from . import selectors, services
from .constants import Status
from .exceptions import PreconditionFailed
from .history import record_personal_data_access_many
from .models import Document, Dossier
from .serializers import (
    ActionSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    DossierCreateSerializer,
    DossierListItemSerializer,
    DossierSerializer,
    EventSerializer,
    RatingSerializer,
    TrackingSerializer,
    document_payload,
    dossier_payload,
    tracking_payload,
)

IF_MATCH_HELP = "Optimistic concurrency: the dossier `version` (also sent as the ETag)."


# Looked up on every create and upload, by unique keys: compiled once (core.compiled).
_ACTIVE_PROCEDURE = CompiledQuery(
    lambda code: Procedure.objects.filter(code=code, is_active=True).order_by()[:1],
    params=("code",),
)
_ACTIVE_AGENCY = CompiledQuery(
    lambda code: (
        Agency.objects.select_related("parent").filter(code=code, is_active=True).order_by()[:1]
    ),
    params=("code",),
)
_REQUIRED_DOCUMENT = CompiledQuery(
    lambda pk: RequiredDocument.objects.filter(pk=pk).order_by()[:1], int_params=("pk",)
)


def _visible_or_404(request: Request, code_or_id: str) -> Dossier:
    dossier = selectors.dossier_get(viewer=request.user, code_or_id=code_or_id)
    if dossier is None:
        raise Http404
    return dossier


@contextmanager
def _not_found_unless_visible(request: Request, code_or_id: str) -> Iterator[None]:
    """Answer 404 for whatever fails inside if the caller may not see the dossier.

    For writes whose success already proves that the caller sees the dossier (an upload is
    accepted only from its applicant or from staff of its desk or handling agency, all of whom
    see it): visibility is then read only when the request fails, which spares the common case a
    query, and an invisible dossier is still 404 whatever else was wrong with the request.
    """
    try:
        yield
    except (APIException, ApplicationError, Http404):
        if selectors.dossier_visible_id(viewer=request.user, code_or_id=code_or_id) is None:
            raise Http404 from None
        raise


def _audit_read(request: Request, dossier: Dossier, channel: str) -> None:
    """Staff reading an applicant's personal data leave a trace (who, when, which dossier)."""
    _audit_reads(request, [dossier], channel)


def _audit_reads(request: Request, dossiers: list[Dossier], channel: str) -> None:
    user = request.user
    if isinstance(user, User):
        others = [d for d in dossiers if user.pk not in {d.owner_id, d.assisted_by_id}]
        if others:
            record_personal_data_access_many(user=user, dossiers=others, channel=channel)


def _dossier_response(
    request: Request,
    dossier: Dossier,
    *,
    status_code: int = 200,
    documents: list[Document] | None = None,
) -> Response:
    response = Response(
        dossier_payload(dossier, viewer=request.user, documents=documents), status=status_code
    )
    response["ETag"] = f'"{dossier.version}"'
    return response


def _parse_if_match(request: Request) -> int | None:
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":  # "*": any current representation (RFC 9110 13.1.1)
        return None
    try:
        return int(raw.strip().removeprefix("W/").strip('"'))
    except ValueError:
        # Not an ETag this API gives: it can match no version, so the precondition fails.
        raise PreconditionFailed(
            f"If-Match {raw.strip()[:40]!r} is not a version of this dossier (its ETag)."
        ) from None


class DossierFilters(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    agency = serializers.CharField(required=False, max_length=64)
    procedure = serializers.CharField(required=False, max_length=40)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    due_before = serializers.DateTimeField(required=False)
    q = serializers.CharField(required=False, max_length=200, allow_blank=True)
    assigned_to = serializers.ChoiceField(choices=["me"], required=False)


@extend_schema(tags=["dossiers"])
class DossierListApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = DossierListItemSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("agency", str),
            OpenApiParameter("procedure", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("due_before", OpenApiTypes.DATETIME),
            OpenApiParameter(
                "q", str, description="Code, applicant name (diacritics optional), phone, ID number"
            ),
            OpenApiParameter("assigned_to", str, enum=["me"]),
        ],
        responses=DossierListItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The dossiers the caller may see."""
        filters = DossierFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        data["assigned_to_me"] = data.pop("assigned_to", None) == "me"
        page = self.paginate_queryset(selectors.dossier_list(viewer=request.user, filters=data))
        _audit_reads(request, list(page or []), "api")
        return self.get_paginated_response(
            [dossier_payload(d, viewer=request.user, detail=False) for d in page or []]
        )

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierSerializer})
    @idempotent
    def post(self, request: Request) -> Response:
        """Create a dossier: online → draft; `channel: counter` by a counter officer → received."""
        body = DossierCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        facts = None
        intake = intake_by_codes(procedure_code=data["procedure"], agency_code=data["agency"])
        if intake is not None:  # the common case: both rows and the facts in one query
            procedure, agency, facts = intake.procedure, intake.agency, intake.facts
        else:  # one by one, to say what is wrong (by unique codes, compiled once)
            found_procedure: Procedure | None = _ACTIVE_PROCEDURE.instance(code=data["procedure"])
            found_agency: Agency | None = _ACTIVE_AGENCY.instance(code=data["agency"])
            errors = {}
            if found_procedure is None:
                errors["procedure"] = ["Không có thủ tục này."]
            if found_agency is None:
                errors["agency"] = ["Không có cơ quan này."]
            if errors:
                raise ValidationFailed("Unknown procedure or agency.", errors=errors)
            assert found_procedure is not None
            assert found_agency is not None
            procedure, agency = found_procedure, found_agency
        dossier = services.dossier_create(
            actor=request.user,  # type: ignore[arg-type]
            procedure=procedure,
            agency=agency,
            channel=data["channel"],
            applicant=services.ApplicantData(**data["applicant"]),
            on_behalf_of=data.get("on_behalf_of"),
            form_data=data.get("form_data") or {},
            result_delivery=data["result_delivery"],
            consent=data.get("consent", False),
            assisted_by=request.user if data.get("assisted_by") else None,  # type: ignore[arg-type]
            sets_received=data.get("sets_received", 1),
            facts=facts,
        )
        # The creator sees what they created; answer with the dossier in hand, not a re-read.
        response = _dossier_response(
            request, dossier, status_code=status.HTTP_201_CREATED, documents=[]
        )
        response["Location"] = f"/api/v1/dossiers/{dossier.code or dossier.pk}/"
        return response


@extend_schema(tags=["dossiers"])
class DossierDetailApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = DossierSerializer

    @extend_schema(responses=DossierSerializer)
    def get(self, request: Request, code: str) -> Response:
        """One dossier by code or id, with the actions the caller may take now."""
        dossier = _visible_or_404(request, code)
        _audit_read(request, dossier, "api")
        return _dossier_response(request, dossier)


@extend_schema(tags=["dossiers"])
class DossierActionApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = ActionSerializer

    @extend_schema(
        request=ActionSerializer,
        responses=DossierSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match", str, location=OpenApiParameter.HEADER, description=IF_MATCH_HELP
            )
        ],
    )
    def post(self, request: Request, code: str) -> Response:
        """Take an action of the status machine; 409 if not allowed now, 403 if never for the caller."""
        dossier = _visible_or_404(request, code)
        body = ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        action = fields.pop("action")
        version = fields.pop("version", None)
        updated = services.dossier_act(
            dossier_id=dossier.pk,
            action=action,
            actor=request.user,  # type: ignore[arg-type]
            fields=fields,
            version=version,
            if_match=_parse_if_match(request),
        )
        fresh = selectors.dossier_get(viewer=request.user, code_or_id=str(updated.pk))
        if fresh is None:  # the action moved it out of the caller's sight: say what happened
            return Response(
                {
                    "id": str(updated.pk),
                    "code": updated.code,
                    "status": updated.status,
                    "version": updated.version,
                }
            )
        return _dossier_response(request, fresh)


@extend_schema(tags=["dossiers"])
class DossierEventsApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = EventSerializer

    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        """The append-only history, oldest first; each `hash` chains to the previous event."""
        dossier = _visible_or_404(request, code)
        page = self.paginate_queryset(selectors.dossier_events(dossier=dossier))
        return self.get_paginated_response(EventSerializer(page, many=True).data)


@extend_schema(tags=["dossiers"])
class DocumentUploadApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = DocumentUploadSerializer

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    @idempotent
    def post(self, request: Request, code: str) -> Response:
        """Attach a PDF, JPEG or PNG (checked by content; 413 too large, 415 other types)."""
        with _not_found_unless_visible(request, code):
            body = DocumentUploadSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            required = None
            if raw_required := str(data.get("required_document") or "").strip():
                required = (
                    _REQUIRED_DOCUMENT.instance(pk=int(raw_required))
                    if raw_required.isascii()
                    and raw_required.isdigit()
                    and int(raw_required) < 2**63
                    else None
                )
                if required is None:
                    raise ValidationFailed(
                        "Unknown required document.",
                        errors={"required_document": ["Không có thành phần hồ sơ này."]},
                    )
            document = services.dossier_attach(
                dossier_id=code,  # by code or id: the service locks the row either way
                actor=request.user,  # type: ignore[arg-type]
                uploaded_file=data["file"],
                kind=data["kind"],
                required_document=required,
            )
        return Response(document_payload(document), status=status.HTTP_201_CREATED)


@extend_schema(tags=["dossiers"])
class DocumentContentApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, code: str, doc_id: str) -> FileResponse:
        """The file, only to those who may see the dossier."""
        from .documents import document_open

        dossier = _visible_or_404(request, code)
        document = (
            Document.objects.filter(dossier=dossier, pk=doc_id).first()
            if _is_uuid(doc_id)
            else None
        )
        if document is None:
            raise Http404
        _audit_read(request, dossier, "document")
        handle, content_type, disposition = document_open(document=document)
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = disposition
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@extend_schema(tags=["dossiers"])
class DossierFormApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, code: str, form: str) -> HttpResponse:
        """The standard slips (Mẫu 01-06) as PDF: receipt, supplement-request, refusal, apology,
        stop-notice, control-slip."""
        from .slips.service import slip_pdf

        dossier = _visible_or_404(request, code)
        pdf = slip_pdf(dossier=dossier, kind=form)
        if pdf is None:
            raise Http404
        _audit_read(request, dossier, "pdf")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{dossier.code or dossier.pk}-{form}.pdf"'
        )
        return response


@extend_schema(tags=["dossiers"])
class RatingApi(GenericAPIView[Any]):
    permission_classes = (IsAuthenticated,)
    serializer_class = RatingSerializer

    @extend_schema(request=RatingSerializer, responses={201: RatingSerializer})
    @idempotent
    def post(self, request: Request, code: str) -> Response:
        """The applicant rates the service once, after the result was returned."""
        dossier = _visible_or_404(request, code)
        body = RatingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rating = services.dossier_rate(
            dossier_id=dossier.pk,
            actor=request.user,  # type: ignore[arg-type]  # IsAuthenticated
            **body.validated_data,
        )
        return Response(
            {"score": rating.score, "comment": rating.comment}, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["tracking"])
class TrackingApi(GenericAPIView[Any]):
    """Public tracking by code: masked name, no other personal data; throttled per client."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (WindowThrottle,)
    throttle_scope = "tracking"
    serializer_class = TrackingSerializer

    def get(self, request: Request, code: str) -> Response:
        # The hottest public endpoint: one narrow query, the JSON built straight from it.
        summary = selectors.dossier_track_summary(code=code)
        if summary is None:
            raise Http404
        return Response(tracking_payload(summary))
