"""Reads about accounts: the applicant details a citizen keeps in their account, and who must
log in with a second factor."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from .constants import Role, UserKind
from .models import Membership, TotpDevice, User


@dataclass(frozen=True)
class CitizenProfile:
    """A citizen's own details, as the apply wizard prefills the applicant step with them."""

    full_name: str
    id_number: str
    date_of_birth: dt.date | None
    phone: str
    email: str
    address: str
    type: str = "citizen"

    def applicant(self) -> dict[str, str]:
        """The keys of ``dossiers.services.ApplicantData``: ``ApplicantData(**p.applicant())``."""
        return {
            "type": self.type,
            "full_name": self.full_name,
            "id_number": self.id_number,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
        }

    @property
    def missing(self) -> list[str]:
        """Names of the details an application needs that the account does not hold yet."""
        needed = {"full_name": self.full_name, "id_number": self.id_number}
        return [name for name, value in needed.items() if not value]


def citizen_profile(user: User | AnonymousUser) -> CitizenProfile | None:
    """The applicant details of a logged-in citizen; None for anyone else (anonymous, staff)."""
    if not isinstance(user, User) or not user.is_authenticated or user.kind != UserKind.CITIZEN:
        return None
    return CitizenProfile(
        full_name=user.full_name,
        id_number=user.id_number,
        date_of_birth=user.date_of_birth,
        phone=user.phone,
        email=user.email,
        address=user.address,
    )


def citizen_find(*, identifier: str) -> User | None:
    """The active citizen account whose phone, email or ID number is exactly ``identifier``
    (as a desk officer reads it off a card or hears it); None when none or several match.

    Exact matches only, on one identifier at a time: a lookup can confirm a person the officer
    has in front of them, never browse accounts."""
    text = identifier.strip()
    if not text:
        return None
    digits = re.sub(r"[\s.\-]", "", text)
    if "@" in text:
        condition = Q(email__iexact=text)
    elif re.fullmatch(r"\d{12}", digits):
        condition = Q(id_number=digits)
    elif re.fullmatch(r"(\+84|0)\d{9,10}", digits):
        phone = "0" + digits[3:] if digits.startswith("+84") else digits
        condition = Q(phone=phone)
    else:
        return None
    found = list(
        User.objects.filter(condition, kind=UserKind.CITIZEN, is_active=True).order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


# -- two-factor login ------------------------------------------------------------------------

# Roles whose accounts can change what many dossiers become: they must use two-factor login.
TWO_FACTOR_ROLES = frozenset({Role.LEADER, Role.ADMINISTRATOR})


def staff_memberships(*, user: User) -> list[Membership]:
    """The active memberships through which ``user`` may work in the back office, with their
    agencies; empty for a citizen account (whatever rows it might have)."""
    if not user.is_authenticated or not user.is_active or user.kind != UserKind.STAFF:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("agency")
        .order_by("agency__name", "role", "pk")
    )


def two_factor_required(memberships: list[Membership]) -> bool:
    return any(m.role in TWO_FACTOR_ROLES for m in memberships)


def two_factor_mandatory(*, user: User, memberships: list[Membership]) -> bool:
    """Whether ``user`` may log in only with a TOTP code: a leader or administrator, or anyone
    the Django admin admits (``is_staff``, ``is_superuser``), since the admin configures
    everything (ADR 0007)."""
    return two_factor_required(memberships) or bool(user.is_staff or user.is_superuser)


def has_totp_device(*, user: User) -> bool:
    return TotpDevice.objects.filter(user=user).exists()
