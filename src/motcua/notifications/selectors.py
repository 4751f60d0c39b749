"""Reads of the notifications app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier

from .constants import Channel
from .models import NotificationPreference, StaffNotice


@dataclass(frozen=True)
class Choice:
    """A user's channels as a page shows them (a preference row or the defaults)."""

    email: bool
    sms: bool
    zalo: bool


DEFAULT_CHOICE = Choice(email=True, sms=True, zalo=False)


def preference_get(*, user: User) -> Choice:
    row = NotificationPreference.objects.filter(user=user).first()
    if row is None:
        return DEFAULT_CHOICE
    return Choice(email=row.email, sms=row.sms, zalo=row.zalo)


def recipients_for(dossier: Dossier) -> list[tuple[str, str]]:
    """(channel, address) pairs for a dossier's applicant: the contact given on the dossier
    (else the owner's account) on each channel chosen by the owner (else the defaults:
    email and SMS). Zalo goes to the phone number."""
    applicant: dict[str, Any] = dossier.applicant or {}
    owner = dossier.owner
    email = str(applicant.get("email") or (owner.email if owner is not None else "") or "")
    phone = str(
        applicant.get("phone")
        or dossier.applicant_phone
        or (owner.phone if owner is not None else "")
        or ""
    )
    choice = preference_get(user=owner) if owner is not None else DEFAULT_CHOICE
    pairs: list[tuple[str, str]] = []
    if choice.email and email:
        pairs.append((Channel.EMAIL, email))
    if choice.sms and phone:
        pairs.append((Channel.SMS, phone))
    if choice.zalo and phone:
        pairs.append((Channel.ZALO, phone))
    return pairs


def notice_list(*, viewer: User) -> QuerySet[StaffNotice]:
    """The viewer's own notices, newest first (nobody sees another officer's)."""
    return StaffNotice.objects.filter(user=viewer).select_related("dossier", "dossier__procedure")


def notice_unread_count(*, viewer: User) -> int:
    return StaffNotice.objects.filter(user=viewer, read_at__isnull=True).count()
