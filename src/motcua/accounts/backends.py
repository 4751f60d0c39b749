"""Django authentication backend for citizens: phone number or email address, and password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .contact import InvalidPhone, is_email, normalise_email, normalise_phone
from .models import User


class PhoneOrEmailBackend(ModelBackend):
    """``authenticate(request, identifier=..., password=...)``: the identifier is a phone number
    in any usual Vietnamese form, or an email address in any case."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        identifier: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not identifier or password is None:
            return None
        user = None
        if is_email(identifier):
            user = User.objects.filter(email=normalise_email(identifier)).first()
        else:
            try:
                user = User.objects.filter(phone=normalise_phone(identifier)).first()
            except InvalidPhone:
                user = None
        if user is None:
            # Hash anyway, so the answer takes as long for an unknown identifier as for a wrong
            # password (no way to learn who has an account by timing; Django does the same).
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
