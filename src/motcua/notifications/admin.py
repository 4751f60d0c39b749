from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_resend

from .models import NotificationMessage, NotificationPreference, NotificationTemplate, StaffNotice
from .rendering import CONTEXT_NAMES, SAMPLE_CONTEXT, TemplateInvalid, render_text


class NotificationTemplateForm(forms.ModelForm[NotificationTemplate]):
    class Meta:
        model = NotificationTemplate
        fields = ("event", "subject", "body", "short_body", "is_active")

    def _checked(self, name: str) -> str:
        text = str(self.cleaned_data.get(name) or "")
        try:
            render_text(text, SAMPLE_CONTEXT)
        except TemplateInvalid as error:
            raise forms.ValidationError(
                _("Mẫu không hợp lệ: %(error)s"), params={"error": error}
            ) from None
        return text

    def clean_subject(self) -> str:
        return self._checked("subject")

    def clean_body(self) -> str:
        return self._checked("body")

    def clean_short_body(self) -> str:
        return self._checked("short_body")


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin[NotificationTemplate]):
    form = NotificationTemplateForm
    list_display = ("event", "subject", "is_active", "updated_at")
    list_filter = ("is_active",)
    readonly_fields = ("updated_at",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        names = ", ".join(f"{{{{ {name} }}}}" for name in CONTEXT_NAMES)
        for field in ("subject", "body", "short_body"):
            if field in form.base_fields:
                form.base_fields[field].help_text = _("Có thể dùng: %(names)s") % {"names": names}
        return form


@admin.register(NotificationMessage)
class NotificationMessageAdmin(admin.ModelAdmin[NotificationMessage]):
    list_display = (
        "id",
        "dossier",
        "event",
        "channel",
        "state",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("state", "channel", "event")
    search_fields = ("=dossier__code", "=idempotency_key")
    list_select_related = ("dossier",)
    date_hierarchy = "created_at"
    readonly_fields = tuple(
        field.name for field in NotificationMessage._meta.get_fields() if field.concrete
    )
    actions = ("resend",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại các thông báo đã chọn"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[NotificationMessage]) -> None:
        """Send failed messages again through their outbox rows (a message already sent is
        not sent twice: the handler skips it)."""
        keys = [f"notification-{pk}" for pk in queryset.values_list("pk", flat=True)]
        rows = OutboxMessage.objects.filter(idempotency_key__in=keys).values_list("pk", flat=True)
        count = outbox_resend(message_ids=list(rows))
        self.message_user(
            request,
            ngettext(
                "Đã đặt %(count)d thông báo để gửi lại.",
                "Đã đặt %(count)d thông báo để gửi lại.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ("user", "email", "sms", "zalo", "updated_at")
    raw_id_fields = ("user",)


@admin.register(StaffNotice)
class StaffNoticeAdmin(admin.ModelAdmin[StaffNotice]):
    list_display = ("user", "dossier", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "dossier", "source_event")
