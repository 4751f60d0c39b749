"""The Django admin (/admin/) behind the back office's two-factor login (ADR 0007).

The admin configures everything (agencies, calendars, procedures, users and roles), so it admits
only a session that logged in through the back office *and gave a TOTP code there* (or enrolled
since). Its own password form is not used: ``/admin/login/`` sends the person to the back
office's login with ``next`` pointing back, and a session without the code is sent there too.

Installed in place of ``django.contrib.admin`` through ``admin_apps.StaffAdminConfig``
(``INSTALLED_APPS``), so every ``ModelAdmin`` registered on ``admin.site`` is served by this site.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .access import logged_in_here


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and logged_in_here(request, with_code=True)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """No password form here: the back office's login, then back to the admin. Someone
        who did log in there with a code but may not use the admin is told so (403), not sent
        round again."""
        if logged_in_here(request, with_code=True):
            return render(request, "backoffice/admin_forbidden.html", status=403)
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        response: HttpResponse = redirect(
            f"{reverse('backoffice:login')}?{urlencode({'next': target})}"
        )
        return response
