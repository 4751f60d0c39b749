"""Creating dossiers: online drafts, counter and post receipts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.core.compiled import insert
from motcua.core.exceptions import (
    ApplicationError,
    PermissionDenied,
    ValidationFailed,
)
from motcua.core.text import fold
from motcua.workflow.selectors import IntakeFacts, intake_facts

from ..constants import Action, Channel, Delivery, Status
from ..models import Dossier
from ..selectors import staff_scope
from ._common import (
    NEW,
    ApplicantData,
    acting_for,
    procedure_fees_total,
    receive_now,
    record_event,
)

# -- creation --------------------------------------------------------------------------------


@transaction.atomic
def dossier_create(
    *,
    actor: User,
    procedure: Procedure,
    agency: Agency,
    channel: str,
    applicant: ApplicantData,
    on_behalf_of: dict[str, Any] | None = None,
    form_data: dict[str, Any] | None = None,
    result_delivery: str = Delivery.COUNTER,
    assisted_by: User | None = None,
    consent: bool = False,
    owner: User | None = None,
    sets_received: int = 1,
    now: dt.datetime | None = None,
    facts: IntakeFacts | None = None,
) -> Dossier:
    """Create a dossier. Online: a ``draft`` of the applicant (or of an assistant, with the
    citizen's consent). Counter or post: registered by a counter officer of ``agency`` and
    received at once (code, receipt and appointment). ``facts``: the procedure's
    ``IntakeFacts`` at ``agency`` if the caller has read them (``intake_by_codes``)."""
    if not procedure.is_active:
        raise ValidationFailed(
            "Thủ tục không còn áp dụng.",
            code="procedure_inactive",
            errors={"procedure": ["inactive"]},
        )
    facts = facts or intake_facts(procedure=procedure, agency=agency)
    if not facts.handled_here:
        raise ApplicationError(
            "Cơ quan này không tiếp nhận thủ tục đã chọn.",
            code="agency_not_handling_procedure",
            errors={"agency": ["Cơ quan này không tiếp nhận thủ tục đã chọn."]},
        )
    scope = staff_scope(actor)
    from motcua.accounts.constants import Role

    if channel in (Channel.COUNTER, Channel.POST):
        if not scope.has(agency.pk, Role.COUNTER_OFFICER):
            raise PermissionDenied(
                "Chỉ cán bộ một cửa của cơ quan này được tiếp nhận hồ sơ trực tiếp."
            )
        owner_user = owner
    else:
        is_assistant = scope.has(agency.pk, Role.ASSISTANT) or any(
            Role.ASSISTANT in roles for roles in scope.roles.values()
        )
        if assisted_by is not None or is_assistant:
            if not is_assistant:
                raise PermissionDenied("Chỉ tình nguyện viên hỗ trợ mới nộp thay công dân.")
            if not consent:
                raise ApplicationError(
                    "Cần ghi nhận sự đồng ý của công dân khi nộp thay.",
                    code="consent_required",
                    errors={"consent": ["Cần ghi nhận sự đồng ý của công dân."]},
                )
            assisted_by = actor
            owner_user = owner
        else:
            if scope.roles:
                raise PermissionDenied("Cán bộ tiếp nhận hồ sơ trực tiếp dùng kênh “counter”.")
            owner_user = actor
    now = now or timezone.now()
    form_data = form_data or {}
    # What the applicant is told now is what the ledger will charge (ADR 0011): a procedure
    # with only fixed fees (the common case) has its total from the intake facts; one counted
    # per copy or page reads its fee rows and the form.
    fees_total = procedure_fees_total(
        procedure_id=procedure.pk,
        form_data=form_data,
        fixed_fees=None if facts.per_unit_fees else facts.fixed_fees,
    )
    dossier = Dossier(
        created_at=now,
        procedure=procedure,
        agency=agency,
        current_agency=agency,
        process_id=facts.process_id,
        channel=channel,
        status=Status.DRAFT,
        applicant=applicant.as_dict(),
        applicant_name=applicant.full_name,
        applicant_name_folded=fold(applicant.full_name),
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        on_behalf_of=on_behalf_of,
        form_data=form_data,
        result_delivery=result_delivery,
        owner=owner_user,
        created_by=actor,
        assisted_by=assisted_by,
        consent_recorded=consent,
        sets_received=sets_received,
        fees_total=fees_total,
    )
    if channel == Channel.ONLINE:
        insert(dossier)
        dossier.__dict__[NEW] = True
        record_event(
            dossier,
            action="create",
            actor=actor,
            from_status="",
            at=now,
            on_behalf_of=acting_for(actor, dossier),
        )
        return dossier
    # Received at once: the step and its route rows first (the foreign keys to the dossier are
    # checked at commit), then the dossier is inserted once, complete, with its code.
    dossier.__dict__[NEW] = True
    receive_now(dossier, actor=actor, now=now, calendar_token=facts.calendar_token)
    insert(dossier)
    record_event(
        dossier,
        action=Action.RECEIVE,
        actor=actor,
        from_status="",
        at=now,
        data={"channel": channel},
    )
    return dossier
