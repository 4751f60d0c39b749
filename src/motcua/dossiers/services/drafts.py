"""Editing an online draft before it is submitted (the portal's application wizard saves each
step through this, so a draft can be resumed from another device)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.core.exceptions import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from motcua.core.text import fold

from ..constants import Actor, Delivery, Status
from ..exceptions import ActionNotAllowed
from ..models import Dossier
from ..selectors import actor_roles
from ._common import (
    ApplicantData,
    acting_for,
    lock_dossier,
    procedure_fees_total,
    record_event,
)

_UNCHANGED: Any = object()


@transaction.atomic
def dossier_update_draft(
    *,
    dossier_id: Any,
    actor: User,
    applicant: ApplicantData | None = None,
    on_behalf_of: dict[str, Any] | None = _UNCHANGED,
    form_data: dict[str, Any] | None = None,
    result_delivery: str | None = None,
    agency: Agency | None = None,
) -> Dossier:
    """Change what the applicant wrote in a draft: the applicant, for whom, the form data, the
    result delivery, the receiving agency. Only the applicant, only while it is a draft.

    Arguments left out keep their value. One event (``update_draft``, naming the changed fields)
    and a new version when something changed; nothing at all when nothing did.
    """
    dossier = lock_dossier(dossier_id, "procedure", "agency", "current_agency", "current_step")
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    if Actor.APPLICANT not in actor_roles(viewer=actor, dossier=dossier):
        raise PermissionDenied("Chỉ người nộp hồ sơ được sửa hồ sơ nháp.", code="action_forbidden")
    if dossier.status != Status.DRAFT:
        raise ActionNotAllowed("Hồ sơ đã nộp, không sửa được nữa.", extra={"reason": "not_a_draft"})
    changed: list[str] = []  # what the applicant changed, as the event names it
    columns: list[str] = []  # the other columns that follow from it
    if applicant is not None and applicant.as_dict() != dossier.applicant:
        dossier.applicant = applicant.as_dict()
        dossier.applicant_name = applicant.full_name
        dossier.applicant_name_folded = fold(applicant.full_name)
        dossier.applicant_id_number = applicant.id_number
        dossier.applicant_phone = applicant.phone
        changed.append("applicant")
        columns += ["applicant_name", "applicant_name_folded"]
        columns += ["applicant_id_number", "applicant_phone"]
    if on_behalf_of is not _UNCHANGED and on_behalf_of != dossier.on_behalf_of:
        dossier.on_behalf_of = on_behalf_of
        changed.append("on_behalf_of")
    if form_data is not None and form_data != dossier.form_data:
        dossier.form_data = form_data
        changed.append("form_data")
        # The copies and pages declared may have changed: the total follows (ADR 0011).
        fees_total = procedure_fees_total(procedure_id=dossier.procedure_id, form_data=form_data)
        if fees_total != dossier.fees_total:
            dossier.fees_total = fees_total
            columns.append("fees_total")
    if result_delivery is not None and result_delivery != dossier.result_delivery:
        if result_delivery not in Delivery.values:
            raise ValidationFailed(
                "Hình thức nhận kết quả không hợp lệ.",
                errors={"result_delivery": ["Hình thức nhận kết quả không hợp lệ."]},
            )
        dossier.result_delivery = result_delivery
        changed.append("result_delivery")
    if agency is not None and agency.pk != dossier.agency_id:
        if not dossier.procedure.agencies.filter(pk=agency.pk).exists():
            raise ApplicationError(
                "Cơ quan này không tiếp nhận thủ tục đã chọn.",
                code="agency_not_handling_procedure",
                errors={"agency": ["Cơ quan này không tiếp nhận thủ tục đã chọn."]},
            )
        dossier.agency = dossier.current_agency = agency
        changed.append("agency")
        columns.append("current_agency")
    if not changed:
        return dossier
    dossier.version += 1
    dossier.save(update_fields=[*changed, *columns, "version", "updated_at"])
    record_event(
        dossier,
        action="update_draft",
        actor=actor,
        from_status=dossier.status,
        data={"fields": changed},
        on_behalf_of=acting_for(actor, dossier),
    )
    return dossier
