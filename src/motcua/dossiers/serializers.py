"""Representations of dossiers for the API (API.md "Dossiers")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.catalog.models import Agency
from motcua.catalog.serializers import AgencySerializer
from motcua.core.api.serializers import SharedFieldsSerializer

from . import deadlines
from .constants import STATUS_CODES, Channel, Delivery, Status
from .models import Document, Dossier, DossierEvent

_WHEN = serializers.DateTimeField()


def _time(value: Any) -> str | None:
    return _WHEN.to_representation(value) if value else None


class ApplicantSerializer(serializers.Serializer[dict[str, Any]]):
    type = serializers.ChoiceField(choices=["citizen", "organization"], default="citizen")
    full_name = serializers.CharField(max_length=200)
    id_number = serializers.RegexField(
        r"^[0-9A-Za-z]{6,20}$", required=False, allow_blank=True, max_length=20
    )
    phone = serializers.RegexField(
        r"^\+?[0-9 .\-]{8,20}$", required=False, allow_blank=True, max_length=20
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DossierCreateSerializer(SharedFieldsSerializer):
    procedure = serializers.CharField(max_length=40)
    agency = serializers.CharField(max_length=64)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.ONLINE)
    applicant = ApplicantSerializer()
    on_behalf_of = ApplicantSerializer(required=False, allow_null=True)
    form_data = serializers.DictField(required=False, default=dict)
    result_delivery = serializers.ChoiceField(choices=Delivery.choices, default=Delivery.COUNTER)
    assisted_by = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    consent = serializers.BooleanField(required=False, default=False)
    sets_received = serializers.IntegerField(required=False, default=1, min_value=1, max_value=20)


class DocumentSerializer(serializers.ModelSerializer[Document]):
    # Explicit integers: model-derived bounds depend on the database backend (see catalog).
    size = serializers.IntegerField(read_only=True)
    required_document = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "name",
            "size",
            "sha256",
            "content_type",
            "required_document",
            "kind",
            "uploaded_at",
        ]
        # Settable on the model for loaded history (dossier_attach now=), never by a client.
        read_only_fields = ["uploaded_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_required_document(self, obj: Document) -> str | None:
        return str(obj.required_document_id) if obj.required_document_id else None


class DocumentUploadSerializer(SharedFieldsSerializer):
    file = serializers.FileField(allow_empty_file=True)
    required_document = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Document.Kind.choices, default=Document.Kind.APPLICATION)


class ProcedureRefSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    name = serializers.CharField()


class CurrentStepSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    agency = AgencySerializer()
    due_at = serializers.DateTimeField(allow_null=True)


class FeesSerializer(serializers.Serializer[dict[str, Any]]):
    total = serializers.IntegerField()
    paid = serializers.IntegerField()


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    version = serializers.IntegerField(read_only=True)
    status_code = serializers.SerializerMethodField()
    procedure = serializers.SerializerMethodField()
    agency = AgencySerializer()
    applicant = serializers.DictField()
    documents = serializers.SerializerMethodField()
    result_documents = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    current_step = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "status",
            "status_code",
            "version",
            "procedure",
            "agency",
            "channel",
            "applicant",
            "on_behalf_of",
            "form_data",
            "documents",
            "submitted_at",
            "received_at",
            "due_at",
            "original_due_at",
            "resolved_at",
            "returned_at",
            "timeliness",
            "overdue",
            "current_step",
            "assignee",
            "result_delivery",
            "result_documents",
            "fees",
            "available_actions",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_status_code(self, obj: Dossier) -> int | None:
        return STATUS_CODES[Status(obj.status)]

    @extend_schema_field(ProcedureRefSerializer)
    def get_procedure(self, obj: Dossier) -> dict[str, str]:
        return {"code": obj.procedure.code, "name": obj.procedure.name}

    def _docs(self, obj: Dossier, kind: str) -> list[dict[str, Any]]:
        return [DocumentSerializer(d).data for d in obj.documents.all() if d.kind == kind]

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, obj: Dossier) -> list[dict[str, Any]]:
        return self._docs(obj, Document.Kind.APPLICATION)

    @extend_schema_field(DocumentSerializer(many=True))
    def get_result_documents(self, obj: Dossier) -> list[dict[str, Any]]:
        return self._docs(obj, Document.Kind.RESULT)

    def get_overdue(self, obj: Dossier) -> bool:
        return deadlines.is_overdue(
            timezone.now(), obj.due_at, obj.status, paused_at=obj.clock_paused_at
        )

    @extend_schema_field(CurrentStepSerializer(allow_null=True))
    def get_current_step(self, obj: Dossier) -> dict[str, Any] | None:
        step = obj.current_step
        if step is None or obj.status not in {Status.RECEIVED, Status.PROCESSING}:
            return None
        return {
            "name": step.name,
            "agency": AgencySerializer(step.agency).data,
            "due_at": _time(step.due_at),
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee(self, obj: Dossier) -> str | None:
        return obj.assignee.username if obj.assignee is not None else None

    @extend_schema_field(FeesSerializer)
    def get_fees(self, obj: Dossier) -> dict[str, int]:
        return {"total": obj.fees_total, "paid": obj.fees_paid}

    @extend_schema_field(
        serializers.ChoiceField(choices=["early", "on_time", "late"], allow_null=True)
    )
    def get_timeliness(self, obj: Dossier) -> str | None:
        return obj.timeliness or None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj: Dossier) -> list[str]:
        from .services import available_actions

        return available_actions(dossier=obj, viewer=self.context["request"].user)


def agency_payload(agency: Agency) -> dict[str, Any]:
    """``AgencySerializer(agency).data``, built directly (see ``dossier_payload``)."""
    return {
        "code": agency.code,
        "name": agency.name,
        "level": agency.level_id,
        "parent": agency.parent.code if agency.parent is not None else None,
        "is_service_center": agency.is_service_center,
    }


def document_payload(document: Document) -> dict[str, Any]:
    """``DocumentSerializer(document).data``, built directly."""
    return {
        "id": str(document.pk),
        "name": document.name,
        "size": document.size,
        "sha256": document.sha256,
        "content_type": document.content_type,
        "required_document": (
            str(document.required_document_id) if document.required_document_id else None
        ),
        "kind": document.kind,
        "uploaded_at": _time(document.uploaded_at),
    }


def dossier_payload(
    dossier: Dossier,
    *,
    viewer: Any,
    detail: bool = True,
    documents: Iterable[Document] | None = None,
) -> dict[str, Any]:
    """Exactly ``DossierSerializer`` (``detail``) or ``DossierListItemSerializer`` data, built
    without DRF's per-object field machinery, which cost a fifth of a counter receipt. The
    serializers stay the documented shape (OpenAPI); a test holds both to the same output.
    ``documents``: the dossier's documents when the caller knows them (none, for a new one)."""
    docs = list(dossier.documents.all() if documents is None else documents)
    step = dossier.current_step
    payload: dict[str, Any] = {
        "id": str(dossier.pk),
        "code": dossier.code,
        "status": dossier.status,
        "status_code": STATUS_CODES[Status(dossier.status)],
        "version": dossier.version,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "agency": agency_payload(dossier.agency),
        "channel": dossier.channel,
        "applicant": {str(key): value for key, value in dossier.applicant.items()},
        "on_behalf_of": dossier.on_behalf_of,
        "form_data": dossier.form_data,
        "documents": [document_payload(d) for d in docs if d.kind == Document.Kind.APPLICATION],
        "submitted_at": _time(dossier.submitted_at),
        "received_at": _time(dossier.received_at),
        "due_at": _time(dossier.due_at),
        "original_due_at": _time(dossier.original_due_at),
        "resolved_at": _time(dossier.resolved_at),
        "returned_at": _time(dossier.returned_at),
        "timeliness": dossier.timeliness or None,
        "overdue": deadlines.is_overdue(
            timezone.now(), dossier.due_at, dossier.status, paused_at=dossier.clock_paused_at
        ),
        "current_step": (
            {
                "name": step.name,
                "agency": agency_payload(step.agency),
                "due_at": _time(step.due_at),
            }
            if step is not None and dossier.status in {Status.RECEIVED, Status.PROCESSING}
            else None
        ),
        "assignee": dossier.assignee.username if dossier.assignee is not None else None,
        "result_delivery": dossier.result_delivery,
        "result_documents": [document_payload(d) for d in docs if d.kind == Document.Kind.RESULT],
        "fees": {"total": dossier.fees_total, "paid": dossier.fees_paid},
    }
    if not detail:
        del payload["form_data"]
        return payload
    from .services import available_actions

    payload["available_actions"] = available_actions(dossier=dossier, viewer=viewer)
    return payload


class DossierListItemSerializer(DossierSerializer):
    """The list shows the same fields but leaves the per-caller actions to the detail."""

    class Meta(DossierSerializer.Meta):
        fields = [
            f for f in DossierSerializer.Meta.fields if f not in {"available_actions", "form_data"}
        ]


class EventSerializer(serializers.ModelSerializer[DossierEvent]):
    actor = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency_code")

    class Meta:
        model = DossierEvent
        fields = [
            "at",
            "actor",
            "on_behalf_of",
            "action",
            "from_status",
            "to_status",
            "agency",
            "step",
            "note",
            "hash",
        ]

    def get_actor(self, obj: DossierEvent) -> str:
        return obj.actor_name


class ActionSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.CharField(max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    version = serializers.IntegerField(required=False, min_value=1)
    items = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    to_step = serializers.IntegerField(required=False, min_value=1)
    assignee = serializers.CharField(required=False, allow_blank=True, max_length=150)
    amount = serializers.IntegerField(required=False, min_value=1)
    method = serializers.ChoiceField(choices=["cash", "online", "transfer"], required=False)
    receipt_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    result_documents = serializers.ListField(child=serializers.UUIDField(), required=False)
    new_due_at = serializers.DateTimeField(required=False)
    delivery = serializers.ChoiceField(choices=Delivery.choices, required=False)


class RatingSerializer(serializers.Serializer[dict[str, Any]]):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TrackingSerializer(serializers.ModelSerializer[Dossier]):
    status_code = serializers.SerializerMethodField()
    procedure = serializers.SerializerMethodField()
    agency = AgencySerializer()
    timeliness = serializers.SerializerMethodField()
    applicant_name_masked = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "status",
            "status_code",
            "procedure",
            "agency",
            "received_at",
            "due_at",
            "resolved_at",
            "returned_at",
            "timeliness",
            "applicant_name_masked",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_status_code(self, obj: Dossier) -> int | None:
        return STATUS_CODES[Status(obj.status)]

    @extend_schema_field(ProcedureRefSerializer)
    def get_procedure(self, obj: Dossier) -> dict[str, str]:
        return {"code": obj.procedure.code, "name": obj.procedure.name}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_timeliness(self, obj: Dossier) -> str | None:
        return obj.timeliness or None

    def get_applicant_name_masked(self, obj: Dossier) -> str:
        from .masking import mask_name

        return mask_name(obj.applicant_name)


def tracking_payload(row: dict[str, Any]) -> dict[str, Any]:
    """The public tracking representation (the shape of TrackingSerializer) from the columns of
    ``selectors.dossier_track_summary``; built by hand because this endpoint is the busiest."""
    from .masking import mask_name

    return {
        "code": row["code"],
        "status": row["status"],
        "status_code": STATUS_CODES[Status(row["status"])],
        "procedure": {"code": row["procedure__code"], "name": row["procedure__name"]},
        "agency": {
            "code": row["agency__code"],
            "name": row["agency__name"],
            "level": row["agency__level_id"],
            "parent": row["agency__parent__code"],
            "is_service_center": row["agency__is_service_center"],
        },
        "received_at": _time(row["received_at"]),
        "due_at": _time(row["due_at"]),
        "resolved_at": _time(row["resolved_at"]),
        "returned_at": _time(row["returned_at"]),
        "timeliness": row["timeliness"] or None,
        "applicant_name_masked": mask_name(row["applicant_name"]),
    }
