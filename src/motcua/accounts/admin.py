from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, ExternalIdentity, Membership, TotpDevice, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


class ExternalIdentityInline(admin.TabularInline):
    model = ExternalIdentity
    extra = 0
    fields = ("provider", "subject", "created_at", "last_login_at")
    readonly_fields = ("provider", "subject", "created_at", "last_login_at")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # linked by logging in through the provider, never typed in


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "email", "is_active"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "phone"]
    inlines = [MembershipInline, ExternalIdentityInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("motcua"),
            {"fields": ("kind", "full_name", "phone", "id_number", "date_of_birth", "address")},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "expires_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by logging in, never typed in


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
