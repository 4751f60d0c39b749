from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxMessage
from .services import outbox_resend


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = (
        "id",
        "kind",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    )
    list_filter = ("state", "kind")
    search_fields = ("=idempotency_key",)
    date_hierarchy = "created_at"
    actions = ("resend",)
    readonly_fields = tuple(
        field.name for field in OutboxMessage._meta.get_fields() if field.concrete
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại các thư đã chọn"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_resend(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã đặt %(count)d thư để gửi lại.", "Đã đặt %(count)d thư để gửi lại.", count)
            % {"count": count},
            messages.SUCCESS,
        )
