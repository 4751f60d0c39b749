"""Who is in the back office, and how far they have logged in.

The session holds two stages (never personal data):

- ``PENDING``: the password was right but a TOTP code is still due (verification, or
  enrolment for a leader or administrator without a device). The person is *not* logged in to
  Django yet, so nothing else of the site (pages, API) treats them as authenticated.
- ``AUTH``: the back office's own login has completed for this user, recording whether a TOTP
  code was given. A session logged in elsewhere (the citizen pages, the admin) does not count.

``staff_view`` guards every page of the shell and puts an ``Office`` on the request: the user,
their memberships and the active one (kept in the session, switchable).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from motcua.accounts.models import Membership, User
from motcua.accounts.selectors import has_totp_device, staff_memberships, two_factor_mandatory

PENDING = "backoffice_pending"
AUTH = "backoffice_auth"
ACTIVE_MEMBERSHIP = "backoffice_membership"
PENDING_SECONDS = 300  # a password proves nothing for longer than this without the code
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Office:
    user: User
    memberships: list[Membership]
    active: Membership
    two_factor: bool

    @property
    def two_factor_required(self) -> bool:
        return two_factor_mandatory(user=self.user, memberships=self.memberships)


def start_pending(request: HttpRequest, user: User) -> None:
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "at": int(time.time())}


def pending_user(request: HttpRequest) -> User | None:
    """The user whose password was right in this session a moment ago, awaiting a code."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def complete_login(request: HttpRequest, user: User, *, two_factor: bool) -> None:
    """Log ``user`` in (a new session key) as having passed the back office's login."""
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=MODEL_BACKEND)
    request.session[AUTH] = {"user": user.pk, "two_factor": two_factor}


def mark_two_factor(request: HttpRequest) -> None:
    auth = dict(request.session.get(AUTH) or {})
    auth["two_factor"] = True
    request.session[AUTH] = auth


def logged_in_here(request: HttpRequest, *, with_code: bool = False) -> bool:
    """Whether this session's user went through the back office's own login (``with_code``:
    and gave a TOTP code there or enrolled since)."""
    user = request.user
    auth = request.session.get(AUTH)
    return (
        isinstance(user, User)
        and user.is_authenticated
        and isinstance(auth, dict)
        and auth.get("user") == user.pk
        and (not with_code or bool(auth.get("two_factor")))
    )


def _login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('backoffice:login')}?{query}")


def office_for(request: HttpRequest) -> Office | HttpResponse:
    """The request's ``Office``, or the response that sends the person where they must go."""
    user = request.user
    if not logged_in_here(request) or not isinstance(user, User):
        return _login_redirect(request)
    memberships = staff_memberships(user=user)
    if not memberships:
        return render(request, "backoffice/not_staff.html", status=403)
    two_factor = logged_in_here(request, with_code=True)
    if two_factor_mandatory(user=user, memberships=memberships) and not two_factor:
        # The role came after this login (or the device went away): log in again with a code.
        request.session.pop(AUTH, None)
        if not has_totp_device(user=user):
            start_pending(request, user)
            return redirect("backoffice:enrol")
        return _login_redirect(request)
    chosen = request.session.get(ACTIVE_MEMBERSHIP)
    active = next((m for m in memberships if m.pk == chosen), memberships[0])
    return Office(user=user, memberships=memberships, active=active, two_factor=two_factor)


View = Callable[..., HttpResponse]


def staff_view(view: View) -> View:
    """Let through only a staff member logged in by the back office (with a TOTP code where
    their role needs one); the view receives ``request.office``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        office = office_for(request)
        if isinstance(office, HttpResponse):
            return office
        request.office = office  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
