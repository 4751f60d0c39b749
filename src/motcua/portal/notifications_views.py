"""The citizen's choice of notification channels (email, SMS, Zalo)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import User
from motcua.notifications.selectors import preference_get
from motcua.notifications.services import preference_update


class NotificationsPreferencesForm(forms.Form):
    email = forms.BooleanField(label=gettext_lazy("Thư điện tử"), required=False)
    sms = forms.BooleanField(label=gettext_lazy("Tin nhắn SMS"), required=False)
    zalo = forms.BooleanField(label=gettext_lazy("Zalo (gửi tới số điện thoại)"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def notifications_preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        form = NotificationsPreferencesForm(request.POST)
        if form.is_valid():
            preference_update(
                user=user,
                email=form.cleaned_data["email"],
                sms=form.cleaned_data["sms"],
                zalo=form.cleaned_data["zalo"],
            )
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("portal:notifications-preferences")
    else:
        choice = preference_get(user=user)
        form = NotificationsPreferencesForm(
            initial={"email": choice.email, "sms": choice.sms, "zalo": choice.zalo}
        )
    return render(
        request,
        "portal/notifications/preferences.html",
        {"form": form, "email": user.email, "phone": user.phone},
    )
