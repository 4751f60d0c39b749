from django.contrib import admin
from django.http import HttpRequest

from .models import TotpDevice


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Who has two-factor login, and the way to reset it when a phone is lost: delete the row;
    the person enrols again at the next login. The secret is never shown or typed here."""

    list_display = ["user", "confirmed_at"]
    search_fields = ["user__username", "user__full_name"]
    fields = ["user", "confirmed_at"]
    readonly_fields = ["user", "confirmed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # enrolled by the person, with their phone

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
