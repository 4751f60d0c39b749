"""Reassignment (giao lại): a leader hands a dossier's current step to another officer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed

from .. import rules
from ..constants import Status
from ..exceptions import ActionNotAllowed
from ..models import Dossier
from ..selectors import actor_roles, assignable_officers
from ._common import check_version, lock_dossier, record_event


@transaction.atomic
def dossier_reassign(
    *,
    dossier_id: Any,
    assignee: str,
    actor: User,
    version: int | None = None,
    if_match: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Give the dossier (and its current step) to ``assignee``, a username among the
    ``assignable_officers`` of the agency holding it, for a leader of that agency.

    Locks the row and checks ``version`` (stale: ``StaleVersion``, 409) or ``if_match`` (the
    API's ``If-Match``: ``PreconditionFailed``, 412); a role that may never
    reassign gets ``PermissionDenied`` (403), a status that does not allow it
    ``ActionNotAllowed`` (409); an assignee outside the agency, or the current one,
    ``ValidationFailed``. Writes one ``reassign`` event with the previous and new assignee."""
    dossier = lock_dossier(
        dossier_id, "agency", "current_agency", "current_step__agency", "assignee"
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    check_version(dossier, version=version, if_match=if_match)
    now = now or timezone.now()
    try:
        rules.check_reassign(Status(dossier.status), actor_roles(viewer=actor, dossier=dossier))
    except rules.Refusal as refusal:
        if refusal.forbidden:
            raise PermissionDenied(
                "Bạn không có quyền giao lại hồ sơ này.", code="action_forbidden"
            ) from None
        raise ActionNotAllowed(
            f"“{rules.REASSIGN}” is not allowed now ({refusal.reason}).",
            extra={"reason": refusal.reason},
        ) from None
    officer = (
        assignable_officers(agency_id=dossier.current_agency_id)
        .filter(username=str(assignee))
        .first()
    )
    if officer is None:
        message = "Người được giao không thuộc cơ quan đang xử lý hồ sơ."
        raise ValidationFailed(
            "assignee is not an officer of the agency holding the dossier",
            errors={"assignee": [message]},
        )
    if officer.pk == dossier.assignee_id:
        message = "Hồ sơ đang được giao cho người này."
        raise ValidationFailed("assignee unchanged", errors={"assignee": [message]})
    previous = dossier.assignee
    dossier.assignee = officer
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        step.assignee = officer
        step.save(update_fields=["assignee"])
    dossier.version += 1
    dossier.save()
    record_event(
        dossier,
        action=rules.REASSIGN,
        actor=actor,
        from_status=dossier.status,
        note=note,
        data={
            "from": previous.get_username() if previous is not None else None,
            "to": officer.get_username(),
        },
        at=now,
    )
    return dossier
