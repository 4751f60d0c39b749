"""How a person proves who they are: identity providers behind one interface.

The login flows (``views``) know only this module: they list ``providers()``, render a form for
each ``FormProvider`` and a button for each ``RedirectProvider``, and log in the ``User`` a
provider vouches for. Which providers exist is configuration (``MOTCUA_IDENTITY_PROVIDERS``,
dotted paths), so a national e-ID (VNeID, through OpenID Connect) is added by writing one
``RedirectProvider`` and listing it there, without touching the flows. See
docs/adr/0006-identity-providers.md.

Implemented today: ``PasswordProvider`` (phone or email, and a password hashed with Argon2).
"""

from __future__ import annotations

import datetime as dt
import functools
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .forms import LoginForm
from .models import User


class IdentityError(Exception):
    """A provider could not vouch for the person (refused, expired, tampered with)."""


@dataclass(frozen=True)
class VerifiedIdentity:
    """What an external provider vouches for: a stable subject and the claims it releases."""

    provider: str
    subject: str
    full_name: str = ""
    id_number: str = ""
    date_of_birth: dt.date | None = None
    phone: str = ""
    email: str = ""


class IdentityProvider(ABC):
    """One way to log in. ``key`` appears in URLs and in the account's linked identities."""

    key: ClassVar[str]
    label: ClassVar[str | Promise]


class FormProvider(IdentityProvider):
    """The person types credentials into our own form (rendered by ``template_name``)."""

    form_class: ClassVar[type[forms.Form]]
    template_name: ClassVar[str]

    @abstractmethod
    def authenticate(self, request: HttpRequest, data: dict[str, Any]) -> User | None:
        """The active user these cleaned form data prove, or None. Must not say why not."""


class RedirectProvider(IdentityProvider):
    """The person logs in at the provider, which sends them back to ``callback_url`` with proof
    (OpenID Connect's authorization-code flow has exactly this shape)."""

    @abstractmethod
    def begin(self, request: HttpRequest, *, callback_url: str) -> HttpResponse:
        """The redirect to the provider; keep state and nonce in ``request.session``."""

    @abstractmethod
    def complete(self, request: HttpRequest) -> VerifiedIdentity:
        """Check the provider's answer on ``callback_url``; raise IdentityError if it fails."""


class PasswordProvider(FormProvider):
    """Phone number or email address, and password (``backends.PhoneOrEmailBackend``)."""

    key = "password"
    label = _("Số điện thoại hoặc email và mật khẩu")
    template_name = "accounts/providers/password.html"
    form_class = LoginForm

    def authenticate(self, request: HttpRequest, data: dict[str, Any]) -> User | None:
        user = authenticate(request, identifier=data["identifier"], password=data["password"])
        return user if isinstance(user, User) else None


@functools.cache
def _registry() -> dict[str, IdentityProvider]:
    registry: dict[str, IdentityProvider] = {}
    for path in settings.MOTCUA_IDENTITY_PROVIDERS:
        provider = import_string(path)()
        if provider.key in registry:
            raise ValueError(f"Two identity providers use the key {provider.key!r}.")
        registry[provider.key] = provider
    return registry


def providers() -> list[IdentityProvider]:
    """The configured providers, in the order of ``MOTCUA_IDENTITY_PROVIDERS``."""
    return list(_registry().values())


def provider_get(key: str) -> IdentityProvider | None:
    return _registry().get(key)


def reset_registry() -> None:
    """Forget the loaded providers (tests that change ``MOTCUA_IDENTITY_PROVIDERS``)."""
    _registry.cache_clear()
