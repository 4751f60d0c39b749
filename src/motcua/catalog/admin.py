from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Agency, AgencyFormerCode, AgencyLevel, Fee, Procedure, RequiredDocument, Sector


@admin.register(AgencyLevel)
class AgencyLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank"]


class AgencyFormerCodeInline(admin.TabularInline):
    model = AgencyFormerCode
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_service_center", "is_active"]
    list_filter = ["level", "is_service_center", "is_active"]
    search_fields = ["code", "name", "former_codes__code"]
    autocomplete_fields = ["parent", "merged_into"]
    inlines = [AgencyFormerCodeInline]
    readonly_fields = ["path", "depth"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        from .services import agency_save

        agency_save(agency=obj)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "sector",
        "online",
        "processing_time_value",
        "processing_time_unit",
        "is_active",
    ]
    list_filter = ["sector", "online", "levels", "is_active"]
    search_fields = ["code", "name", "keywords"]
    filter_horizontal = ["levels", "agencies"]
    inlines = [FeeInline, RequiredDocumentInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        from .services import procedure_refresh_search_text

        procedure_refresh_search_text(procedure=form.instance)
