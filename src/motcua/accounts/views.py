"""Citizen account pages: register, log in (through the identity providers), log out, reset a
forgotten password, keep one's details, and see one's dossiers ("Hồ sơ của tôi").

Thin: forms check input, services write, selectors read. The login flows know providers only
through ``identity`` (a national e-ID plugs in there, see docs/adr/0006-identity-providers.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from motcua.core.ratelimit import allow
from motcua.dossiers.selectors import dossier_list

from . import services
from .exceptions import ContactTaken, InvalidCredentials
from .forms import (
    DetailsForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RegisterForm,
)
from .identity import (
    FormProvider,
    IdentityError,
    RedirectProvider,
    provider_get,
    providers,
)
from .models import User

NEXT_SESSION_KEY = "motcua_login_next"
# Django needs to know which backend vouched for a user it did not authenticate itself.
SESSION_BACKEND = "motcua.accounts.backends.PhoneOrEmailBackend"


def _too_many() -> str:
    return _("Bạn đã thử quá nhiều lần. Vui lòng đợi vài phút rồi thử lại.")


def _next_url(request: HttpRequest, candidate: str | None = None) -> str:
    """Where to go after logging in: a page of this site, else the citizen's dossiers."""
    target = (
        candidate
        if candidate is not None
        else request.POST.get("next") or request.GET.get("next", "")
    )
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _add_service_errors(form: Any, error: ContactTaken) -> None:
    for field, problems in error.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if not error.errors:
        form.add_error(None, error.message)


def _login_page(
    request: HttpRequest,
    *,
    forms: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    entries = []
    for provider in providers():
        if isinstance(provider, FormProvider):
            form = (forms or {}).get(provider.key) or provider.form_class()
            entries.append({"provider": provider, "form": form, "redirect": False})
        elif isinstance(provider, RedirectProvider):
            entries.append({"provider": provider, "form": None, "redirect": True})
    context = {"entries": entries, "next": _next_url(request), "error": error}
    return render(request, "accounts/login.html", context, status=status)


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        if request.user.is_authenticated:
            return redirect(_next_url(request))
        return _login_page(request)
    provider = provider_get(request.POST.get("provider", ""))
    if not isinstance(provider, FormProvider):
        return HttpResponseBadRequest()
    form = provider.form_class(request.POST)
    if not allow(request, "login"):
        form.is_valid()
        form.add_error(None, _too_many())
        return _login_page(request, forms={provider.key: form}, status=429)
    if form.is_valid():
        user = provider.authenticate(request, form.cleaned_data)
        if user is not None:
            auth_login(request, user)
            return redirect(_next_url(request))
        # One message whatever was wrong: nobody learns from it who has an account.
        form.add_error(None, _("Số điện thoại, email hoặc mật khẩu không đúng."))
    return _login_page(request, forms={provider.key: form})


@require_POST
def login_start(request: HttpRequest, key: str) -> HttpResponse:
    """Send the person to an external identity provider (e.g. a national e-ID)."""
    provider = provider_get(key)
    if not isinstance(provider, RedirectProvider):
        return HttpResponseBadRequest()
    request.session[NEXT_SESSION_KEY] = _next_url(request)
    callback = request.build_absolute_uri(reverse("accounts:login-callback", args=[key]))
    return provider.begin(request, callback_url=callback)


@never_cache
def login_callback(request: HttpRequest, key: str) -> HttpResponse:
    """Where an external provider sends the person back: check its answer, log them in."""
    provider = provider_get(key)
    if not isinstance(provider, RedirectProvider):
        return HttpResponseBadRequest()
    if not allow(request, "login"):
        return _login_page(request, error=_too_many(), status=429)
    try:
        identity = provider.complete(request)
        if identity.provider != provider.key:
            raise IdentityError(identity.provider)
        user = services.external_identity_login(identity=identity)
    except (IdentityError, InvalidCredentials):
        return _login_page(request, error=_("Không đăng nhập được. Vui lòng thử lại."), status=400)
    target = request.session.pop(NEXT_SESSION_KEY, "")
    auth_login(request, user, backend=SESSION_BACKEND)
    return redirect(_next_url(request, target))


@sensitive_post_parameters("password1", "password2")
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not allow(request, "login"):
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = services.citizen_register(
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    password=data["password1"],
                )
            except ContactTaken as error:
                _add_service_errors(form, error)
            else:
                auth_login(request, user, backend=SESSION_BACKEND)
                messages.success(
                    request,
                    _("Đã tạo tài khoản. Bạn điền thêm thông tin để nộp hồ sơ nhanh hơn."),
                )
                return redirect("accounts:account")
    return render(request, "accounts/register.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("accounts:logged-out")


def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/logged_out.html")


@login_required
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        form = DetailsForm(request.POST)
        if form.is_valid():
            try:
                services.citizen_details_update(user=user, **form.cleaned_data)
            except ContactTaken as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu thông tin của bạn."))
                return redirect("accounts:account")
    else:
        form = DetailsForm(
            initial={
                "full_name": user.full_name,
                "id_number": user.id_number,
                "date_of_birth": user.date_of_birth,
                "phone": user.phone,
                "email": user.email,
                "address": user.address,
            }
        )
    return render(request, "accounts/account.html", {"form": form})


@login_required
@never_cache
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """ "Hồ sơ của tôi": the dossiers the person owns, soonest due first."""
    user = request.user
    assert isinstance(user, User)
    dossiers = dossier_list(viewer=user).filter(owner=user)
    page = Paginator(dossiers, 20).get_page(request.GET.get("trang"))
    return render(request, "accounts/dossiers.html", {"page": page})


@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not allow(request, "login"):
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            # The same answer whether or not the address has an account.
            services.password_reset_request(
                email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/")
            )
            return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class ResetConfirmView(PasswordResetConfirmView):
    """Django's token check (the token leaves the address bar before the form is shown)."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    reset_url_token = "dat-mat-khau"  # noqa: S105 - a URL segment, not a password
    success_url = reverse_lazy("accounts:password-reset-complete")


def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")
