"""Representations of the public catalogue API (API.md "Catalogue")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .constants import ApplicantType, OnlineLevel, TimeUnit
from .models import Agency, Fee, Procedure, RequiredDocument, Sector


class AgencySerializer(serializers.ModelSerializer[Agency]):
    level = serializers.CharField(source="level_id")
    # The metaclass pops declared fields, so shadowing Field.parent is harmless at run time.
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = Agency
        fields = ["code", "name", "level", "parent", "is_service_center"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, obj: Agency) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class SectorSerializer(serializers.ModelSerializer[Sector]):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class FeeSerializer(serializers.ModelSerializer[Fee]):
    # Explicit: a model-derived integer takes its bounds from the database backend, which would
    # make the committed schema differ between SQLite and PostgreSQL.
    amount = serializers.IntegerField(min_value=0, help_text="đồng")
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Fee
        fields = ["name", "amount", "currency", "unit"]

    def get_currency(self, obj: Fee) -> str:
        return "VND"


class RequiredDocumentSerializer(serializers.ModelSerializer[RequiredDocument]):
    id = serializers.SerializerMethodField()
    originals = serializers.IntegerField(min_value=0)
    copies = serializers.IntegerField(min_value=0)
    form_template_url = serializers.SerializerMethodField()

    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "originals", "copies", "required", "form_name", "form_template_url"]

    def get_id(self, obj: RequiredDocument) -> str:
        return str(obj.pk)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_form_template_url(self, obj: RequiredDocument) -> str | None:
        if not obj.form_template:
            return None
        request = self.context.get("request")
        url = obj.form_template.url
        return request.build_absolute_uri(url) if request is not None else url


class ProcessingTimeSerializer(serializers.Serializer[dict[str, Any]]):
    value = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=TimeUnit.choices)


class ProcedureSerializer(serializers.ModelSerializer[Procedure]):
    sector = SectorSerializer()
    levels = serializers.SerializerMethodField()
    agencies = serializers.SerializerMethodField()
    online = serializers.ChoiceField(choices=OnlineLevel.choices)
    processing_time = serializers.SerializerMethodField()
    fees = FeeSerializer(many=True)
    required_documents = RequiredDocumentSerializer(many=True)
    applicant_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ApplicantType.choices)
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "sector",
            "levels",
            "agencies",
            "online",
            "legacy_online_level",
            "processing_time",
            "restart_on_supplement",
            "fees",
            "required_documents",
            "steps_text",
            "conditions",
            "result",
            "legal_basis",
            "applicant_types",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_levels(self, obj: Procedure) -> list[str]:
        return sorted(level.code for level in obj.levels.all())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_agencies(self, obj: Procedure) -> list[str]:
        codes: list[str] | None = getattr(obj, "agency_codes", None)
        if codes is None:
            codes = list(obj.agencies.order_by("path").values_list("code", flat=True))
        return codes

    @extend_schema_field(ProcessingTimeSerializer)
    def get_processing_time(self, obj: Procedure) -> dict[str, Any]:
        return {"value": obj.processing_time_value, "unit": obj.processing_time_unit}
