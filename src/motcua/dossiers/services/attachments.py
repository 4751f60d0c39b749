"""Documents attached to dossiers, and the applicant's rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from motcua.accounts.models import User
from motcua.core.compiled import update
from motcua.core.exceptions import (
    Conflict,
    NotFound,
    PermissionDenied,
)

from ..constants import Actor, Status
from ..documents import document_store
from ..exceptions import ActionNotAllowed
from ..models import Document, Rating
from ..selectors import actor_roles
from ._common import (
    acting_for,
    lock_dossier,
    record_event,
)

# -- documents and rating ------------------------------------------------------------------------

# Who may attach what, when: the applicant while preparing or completing the dossier; the counter
# of the receiving desk while it holds the papers; the handling agency's staff for results.
_APPLICANT_UPLOAD = {Status.DRAFT, Status.SUPPLEMENT_REQUESTED}
_COUNTER_UPLOAD = {
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.SUPPLEMENT_REQUESTED,
    Status.PROCESSING,
}


@transaction.atomic
def dossier_attach(
    *,
    dossier_id: Any,
    actor: User,
    uploaded_file: Any,
    kind: str,
    required_document: Any = None,
    now: dt.datetime | None = None,
) -> Document:
    """Attach a file to a dossier, checked by content; one event, and a new version.

    ``now`` is for loading history (the demo, transfers from older systems): the document and
    its event are dated then. Interfaces never pass it."""
    # What is needed: ids for the roles and the checks, the current step's agency for the event.
    dossier = lock_dossier(dossier_id, "current_step__agency")
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    roles = actor_roles(viewer=actor, dossier=dossier)
    status = Status(dossier.status)
    if kind == Document.Kind.RESULT:
        allowed = status == Status.PROCESSING and bool(roles & {Actor.SPECIALIST, Actor.LEADER})
    else:
        allowed = (Actor.APPLICANT in roles and status in _APPLICANT_UPLOAD) or (
            Actor.COUNTER_OFFICER in roles and status in _COUNTER_UPLOAD
        )
    if not allowed:
        if not roles:
            raise PermissionDenied(
                "Bạn không có quyền thêm tệp vào hồ sơ này.", code="action_forbidden"
            )
        raise ActionNotAllowed(
            "Không thể thêm tệp ở trạng thái hiện tại của hồ sơ.",
            extra={"reason": "upload_not_allowed"},
        )
    document = document_store(
        dossier=dossier,
        uploaded_file=uploaded_file,
        kind=kind,
        required_document=required_document,
        actor=actor,
        at=now,
    )
    dossier.version += 1
    update(dossier, ("version", "updated_at"))  # the UPDATE built once (core.compiled)
    record_event(
        dossier,
        action="attach_document",
        actor=actor,
        # A volunteer attaching for the citizen is recorded as such, as for the other actions.
        on_behalf_of=acting_for(actor, dossier) if Actor.APPLICANT in roles else "",
        from_status=dossier.status,
        data={
            "document": str(document.pk),
            "kind": kind,
            "sha256": document.sha256,
            "size": document.size,
        },
        at=now,
    )
    return document


@transaction.atomic
def dossier_rate(*, dossier_id: Any, actor: User, score: int, comment: str = "") -> Rating:
    """The applicant's rating, once, after the result was returned."""
    dossier = lock_dossier(dossier_id, "current_step__agency", "current_agency")
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    if Actor.APPLICANT not in actor_roles(viewer=actor, dossier=dossier):
        raise PermissionDenied("Chỉ người nộp hồ sơ được đánh giá.", code="action_forbidden")
    if dossier.status != Status.RETURNED:
        raise ActionNotAllowed(
            "Chỉ đánh giá sau khi nhận kết quả.", extra={"reason": "not_returned"}
        )
    if Rating.objects.filter(dossier=dossier).exists():
        raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated")
    rating = Rating.objects.create(dossier=dossier, score=score, comment=comment)
    record_event(
        dossier,
        action="rate",
        actor=actor,
        from_status=dossier.status,
        data={"score": score},
        note=comment,
    )
    return rating
