"""The ledger in the admin, read only: money is recorded by the services (counter, gateway)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import GatewayNotification, Obligation, Payment, PaymentLine


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PaymentLineInline(admin.TabularInline[PaymentLine, Payment]):
    model = PaymentLine
    extra = 0
    fields = ["obligation", "amount", "settled"]
    readonly_fields = ["obligation", "amount", "settled"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["id", "dossier", "method", "amount", "state", "receipt_number", "paid_at"]
    list_filter = ["method", "state", "gateway"]
    search_fields = ["id", "dossier__code", "receipt_number", "gateway_transaction_no"]
    date_hierarchy = "created_at"
    inlines = [PaymentLineInline]


@admin.register(Obligation)
class ObligationAdmin(ReadOnly):
    list_display = ["dossier", "name", "amount", "kind", "exempted_at", "exemption_reason"]
    list_filter = ["kind"]
    search_fields = ["dossier__code", "name"]


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(ReadOnly):
    list_display = ["received_at", "gateway", "transaction_ref", "verdict", "answer_code"]
    list_filter = ["gateway", "verdict"]
    search_fields = ["transaction_ref"]
    date_hierarchy = "received_at"
