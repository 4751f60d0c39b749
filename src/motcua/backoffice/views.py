"""Pages of the back office, under /can-bo/: login with two-factor codes, the shell, the work
queues (the dossier screen is in ``dossier``). Thin: forms check input, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import logout as auth_logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import services, totp
from motcua.accounts.models import User
from motcua.accounts.selectors import has_totp_device, staff_memberships, two_factor_mandatory
from motcua.core.ratelimit import allow
from motcua.dossiers.constants import Status
from motcua.dossiers.history import record_personal_data_access_many
from motcua.dossiers.models import Dossier
from motcua.portal.qr import qr_svg

from .access import (
    ACTIVE_MEMBERSHIP,
    Office,
    complete_login,
    logged_in_here,
    mark_two_factor,
    office_for,
    pending_user,
    staff_view,
    start_pending,
)
from .forms import CodeForm, LoginForm, QueueFilterForm
from .selectors import (
    QUEUES,
    QueueFilters,
    queue_conditions,
    queue_counts,
    queue_dossiers,
    queue_procedures,
    queues_for,
    sector_choices,
)

PAGE_SIZE = 25
ENROL_SECRET = "backoffice_enrol_secret"  # noqa: S105  (a session key, not a secret)
NEXT = "backoffice_next"


def _too_many() -> str:
    return _("Bạn đã thử quá nhiều lần. Vui lòng đợi vài phút rồi thử lại.")


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("backoffice:queues")


# --- Login ----------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method != "POST":
        current = request.user
        if logged_in_here(request) and isinstance(current, User):
            memberships = staff_memberships(user=current)
            mandatory = two_factor_mandatory(user=current, memberships=memberships)
            if logged_in_here(request, with_code=True) or not mandatory:
                return redirect(next_url)  # already logged in here (as far as needed)
        return render(request, "backoffice/login.html", {"form": LoginForm(), "next": next_url})
    form = LoginForm(request.POST)
    context: dict[str, Any] = {"form": form, "next": next_url}
    if not allow(request, "login"):
        form.is_valid()
        form.add_error(None, _too_many())
        return render(request, "backoffice/login.html", context, status=429)
    if not form.is_valid():
        return render(request, "backoffice/login.html", context)
    user = authenticate(
        request,
        username=form.cleaned_data["username"],
        password=form.cleaned_data["password"],
    )
    if not isinstance(user, User):
        # One message whatever was wrong: nobody learns from it which usernames exist.
        form.add_error(None, _("Tên đăng nhập hoặc mật khẩu không đúng."))
        return render(request, "backoffice/login.html", context)
    memberships = staff_memberships(user=user)
    if not memberships and not user.is_staff:
        # The password was right, so saying why is no leak: this is not a staff account.
        # (A Django-admin account without a membership logs in here for the admin's sake.)
        return render(request, "backoffice/not_staff.html", status=403)
    if has_totp_device(user=user):
        start_pending(request, user)
        request.session[NEXT] = next_url
        return redirect("backoffice:verify")
    if two_factor_mandatory(user=user, memberships=memberships):
        start_pending(request, user)
        request.session[NEXT] = next_url
        return redirect("backoffice:enrol")
    complete_login(request, user, two_factor=False)
    return redirect(next_url)


@never_cache
def verify_view(request: HttpRequest) -> HttpResponse:
    """Second step of the login: the code of the person's authenticator app."""
    user = pending_user(request)
    if user is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."))
        return redirect("backoffice:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not allow(request, "login"):
            form.is_valid()
            form.add_error(None, _too_many())
            return render(request, "backoffice/verify.html", {"form": form}, status=429)
        if form.is_valid():
            if services.totp_code_accept(user=user, code=form.cleaned_data["code"]):
                next_url = _safe_next(request, request.session.pop(NEXT, ""))
                complete_login(request, user, two_factor=True)
                return redirect(next_url)
            form.add_error("code", _("Mã không đúng hoặc đã được dùng. Chờ mã mới rồi nhập lại."))
    return render(request, "backoffice/verify.html", {"form": form})


@never_cache
def enrol_view(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor login: the secret and its QR code, confirmed by a first code.

    Reached right after the password by a leader or administrator without a device (they are
    not logged in before it is done), or from the shell by anyone else who wants it."""
    user = pending_user(request)
    office: Office | None = None
    if user is None:
        found = office_for(request)
        if isinstance(found, HttpResponse):
            return found
        office, user = found, found.user
    logged_in = office is not None
    secret = request.session.get(ENROL_SECRET)
    if not isinstance(secret, str) or not secret:
        secret = totp.new_secret()
        request.session[ENROL_SECRET] = secret
    form = CodeForm(request.POST or None)
    throttled = False
    if request.method == "POST":
        if not allow(request, "login"):
            throttled = True
            form.is_valid()
            form.add_error(None, _too_many())
        elif form.is_valid():
            device = services.totp_device_confirm(
                user=user, secret=secret, code=form.cleaned_data["code"]
            )
            if device is not None:
                request.session.pop(ENROL_SECRET, None)
                messages.success(request, _("Đã bật xác thực hai bước."))
                if logged_in:
                    mark_two_factor(request)
                    return redirect("backoffice:queues")
                next_url = _safe_next(request, request.session.pop(NEXT, ""))
                complete_login(request, user, two_factor=True)
                return redirect(next_url)
            form.add_error("code", _("Mã không đúng. Kiểm tra giờ trên điện thoại rồi thử lại."))
    uri = totp.provisioning_uri(
        secret, account=user.get_username(), issuer=str(settings.MOTCUA_SITE_NAME)
    )
    context = {
        "form": form,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "qr": qr_svg(uri, label=_("Mã QR để thêm tài khoản vào ứng dụng xác thực")),
        "mandatory": not logged_in,
        "enrolled": logged_in and has_totp_device(user=user),
        "office": office,
    }
    return render(request, "backoffice/enrol.html", context, status=429 if throttled else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("backoffice:login")


@require_POST
@staff_view
def switch_membership(request: HttpRequest) -> HttpResponse:
    office: Office = request.office  # type: ignore[attr-defined]
    try:
        chosen = int(request.POST.get("membership", ""))
    except ValueError:
        chosen = 0
    if any(m.pk == chosen for m in office.memberships):
        request.session[ACTIVE_MEMBERSHIP] = chosen
    return redirect("backoffice:queues")


# --- Work queues ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def queues_view(request: HttpRequest) -> HttpResponse:
    """A queue of the active membership. The filter form posts (a search term may be a name, a
    phone or an ID number: not for addresses or logs); a plain link opens a queue unfiltered."""
    office: Office = request.office  # type: ignore[attr-defined]
    now = timezone.now()
    membership = office.active
    queues = queues_for(membership.role)
    keys = [q.key for q in queues]
    data = request.POST if request.method == "POST" else request.GET
    conditions = queue_conditions(viewer=office.user, membership=membership, now=now)
    queue = data.get("queue", "")
    if queue not in keys:
        queue = keys[0] if keys else ""
    form = QueueFilterForm(
        data if request.method == "POST" else None,
        procedures=queue_procedures(viewer=office.user, conditions=conditions),
        sectors=sector_choices(),
    )
    filters = QueueFilters()
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        filters = QueueFilters(
            procedure=cleaned["procedure"],
            sector=cleaned["sector"],
            channel=cleaned["channel"],
            date_from=cleaned["date_from"],
            date_to=cleaned["date_to"],
            q=cleaned["q"],
        )
    rows = queue_dossiers(viewer=office.user, conditions=conditions, queue=queue, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(data.get("page"))
    _audit_reads(office.user, list(page.object_list))  # each row shows an applicant
    context = {
        "office": office,
        "queue": QUEUES.get(queue),
        "tabs": [
            {"queue": q, "count": count, "current": q.key == queue}
            for q, count in zip(
                queues,
                _counts_in_order(queue_counts(viewer=office.user, conditions=conditions), keys),
                strict=True,
            )
        ],
        "form": form,
        "page": page,
        "now": now,
        "overdue_statuses": {Status.RECEIVED, Status.PROCESSING},
    }
    if getattr(request, "htmx", False):
        return render(request, "backoffice/_queue_results.html", context)
    return render(request, "backoffice/queues.html", context)


def _audit_reads(user: User, dossiers: list[Dossier]) -> None:
    """Staff reading applicants' personal data leave a trace (as the API does), one INSERT."""
    others = [d for d in dossiers if user.pk not in {d.owner_id, d.assisted_by_id}]
    if others:
        record_personal_data_access_many(user=user, dossiers=others, channel="office")


def _counts_in_order(counts: dict[str, int], keys: list[str]) -> list[int]:
    return [int(counts.get(key) or 0) for key in keys]
