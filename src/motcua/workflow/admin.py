from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Process, ProcessStep, SectorDepartment
from .services import process_in_use, process_new_version


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ["agency", "sector"]

    def _frozen(self, obj: Process | None) -> bool:
        return obj is not None and obj.pk is not None and process_in_use(process=obj)

    # A version that dossiers started with is history: read-only; edit a new version instead.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["procedure", "version", "name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["procedure__code", "procedure__name", "name"]
    autocomplete_fields = ["procedure"]
    inlines = [ProcessStepInline]
    actions = ["make_new_version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Process | None = None) -> Any:
        if obj is not None and process_in_use(process=obj):
            return ["procedure", "version"]
        return []

    @admin.action(
        description=_("Tạo phiên bản mới để chỉnh sửa (hồ sơ cũ giữ phiên bản đang dùng)")
    )
    def make_new_version(self, request: HttpRequest, queryset: QuerySet[Process]) -> None:
        for process in queryset:
            copy = process_new_version(process=process)
            self.message_user(
                request, _("Đã tạo %(process)s.") % {"process": copy}, level=messages.SUCCESS
            )


@admin.register(SectorDepartment)
class SectorDepartmentAdmin(admin.ModelAdmin):
    list_display = ["province", "sector", "department"]
    autocomplete_fields = ["province", "sector", "department"]
