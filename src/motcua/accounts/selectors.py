"""Reads about accounts: the applicant details a citizen keeps in their account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from .constants import UserKind
from .models import User


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
