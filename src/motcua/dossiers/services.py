"""Writes to dossiers: creation and every action of the status machine (API.md "Dossiers").

Each public service is ``dossier_<action>``-shaped, keyword-only, atomic, and writes exactly one
history event per change in the same transaction. Whether an action is allowed is decided by
``rules`` (pure); deadlines by ``deadlines`` (pure) over the agency's calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.core.exceptions import (
    ApplicationError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from motcua.core.text import fold
from motcua.workflow.models import ProcessStep
from motcua.workflow.selectors import process_current, process_steps, step_agency
from motcua.worktime.selectors import calendar_for_agency

from . import deadlines, rules
from .codes import dossier_code_issue
from .constants import Action, Actor, Channel, Delivery, Status
from .history import event_append
from .models import Document, Dossier, DossierAgency, DossierStep, Rating
from .selectors import actor_roles, staff_scope


class ActionNotAllowed(ApplicationError):
    code = "action_not_allowed"
    status = 409
    title = "Action not allowed now"


class StaleVersion(Conflict):
    code = "stale_version"
    title = "The dossier changed since you read it"


class PreconditionFailed(ApplicationError):
    code = "precondition_failed"
    status = 412
    title = "If-Match does not match the current version"


class MissingDocuments(ApplicationError):
    code = "missing_documents"
    status = 422
    title = "Required documents are missing"


@dataclass(frozen=True)
class ApplicantData:
    type: str
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "type": self.type,
            "full_name": self.full_name,
            "id_number": self.id_number,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
        }


def _actor_name(user: User | None) -> str:
    return (user.full_name or user.username) if user is not None else "Hệ thống"


def _event(
    dossier: Dossier,
    *,
    action: str,
    actor: User | None,
    from_status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    on_behalf_of: str = "",
    at: dt.datetime | None = None,
) -> None:
    step = dossier.current_step
    event_append(
        dossier=dossier,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=dossier.status,
        agency_code=(step.agency.code if step is not None else dossier.current_agency.code),
        step=(step.name if step is not None else ""),
        note=note,
        data=data or {},
        on_behalf_of=on_behalf_of,
        at=at,
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
) -> Dossier:
    """Create a dossier. Online: a ``draft`` of the applicant (or of an assistant, with the
    citizen's consent). Counter or post: registered by a counter officer of ``agency`` and
    received at once (code, receipt and appointment)."""
    if not procedure.is_active:
        raise ValidationFailed(
            "Thủ tục không còn áp dụng.",
            code="procedure_inactive",
            errors={"procedure": ["inactive"]},
        )
    if not procedure.agencies.filter(pk=agency.pk).exists():
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
    process = process_current(procedure=procedure)
    dossier = Dossier(
        procedure=procedure,
        agency=agency,
        current_agency=agency,
        process=process,
        channel=channel,
        status=Status.DRAFT,
        applicant=applicant.as_dict(),
        applicant_name=applicant.full_name,
        applicant_name_folded=fold(applicant.full_name),
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        on_behalf_of=on_behalf_of,
        form_data=form_data or {},
        result_delivery=result_delivery,
        owner=owner_user,
        created_by=actor,
        assisted_by=assisted_by,
        consent_recorded=consent,
        sets_received=sets_received,
        fees_total=sum(fee.amount for fee in procedure.fees.all() if fee.unit == "fixed"),
    )
    now = timezone.now()
    if channel == Channel.ONLINE:
        dossier.save()
        _event(dossier, action="create", actor=actor, from_status="", at=now)
        return dossier
    dossier.save()
    _receive(dossier, actor=actor, now=now)
    dossier.save()
    _event(
        dossier,
        action=Action.RECEIVE,
        actor=actor,
        from_status="",
        at=now,
        data={"channel": channel},
    )
    return dossier


# -- helpers shared by the actions -------------------------------------------------------------


def _ordered_steps(dossier: Dossier) -> list[ProcessStep]:
    if dossier.process_id is None:
        return []
    return list(process_steps(process=dossier.process))  # type: ignore[arg-type]


def _assign_code(dossier: Dossier, now: dt.datetime) -> None:
    if dossier.code is None:
        local_day = timezone.localtime(now).date()
        dossier.code = dossier_code_issue(agency_code=dossier.agency.code, day=local_day)


def _open_step(
    dossier: Dossier,
    step: ProcessStep | None,
    *,
    position: int,
    agency: Agency,
    now: dt.datetime,
    handed_over_by: User | None,
    assignee: User | None,
) -> DossierStep:
    cal = calendar_for_agency(agency)
    started = deadlines.clock_start(cal, now)
    budget = step.budget_hours if step is not None else Decimal("0")
    row = DossierStep.objects.create(
        dossier=dossier,
        process_step=step,
        position=position,
        name=step.name if step is not None else "Tiếp nhận hồ sơ",
        role=step.role if step is not None else "counter_officer",
        agency=agency,
        assignee=assignee,
        handed_over_by=handed_over_by,
        started_at=now,
        due_at=deadlines.step_due(cal, started, budget),
    )
    DossierAgency.objects.get_or_create(dossier=dossier, agency=agency)
    dossier.current_step = row
    dossier.current_agency = agency
    dossier.assignee = assignee
    return row


def _close_step(dossier: Dossier, *, actor: User | None, now: dt.datetime, outcome: str) -> None:
    row = dossier.current_step
    if row is None or row.finished_at is not None:
        return
    row.finished_at = now
    row.finished_by = actor
    row.outcome = outcome
    if row.due_at is not None:
        row.timeliness = deadlines.step_timeliness(calendar_for_agency(row.agency), now, row.due_at)
    row.save(update_fields=["finished_at", "finished_by", "outcome", "timeliness"])


def _receive(dossier: Dossier, *, actor: User, now: dt.datetime) -> None:
    """Receipt: code, clock start, appointment, and the first (reception) step."""
    _assign_code(dossier, now)
    cal = calendar_for_agency(dossier.agency)
    dossier.received_at = now
    dossier.clock_started_at = deadlines.clock_start(cal, now)
    due = deadlines.initial_due(
        cal,
        dossier.clock_started_at,
        dossier.procedure.processing_time_value,
        dossier.procedure.processing_time_unit,
    )
    dossier.due_at = dossier.original_due_at = due
    dossier.status = Status.RECEIVED
    steps = _ordered_steps(dossier)
    first = steps[0] if steps else None
    agency = (
        step_agency(step=first, receiving=dossier.agency) if first is not None else dossier.agency
    )
    _open_step(
        dossier, first, position=1, agency=agency, now=now, handed_over_by=None, assignee=actor
    )


def _check_version(dossier: Dossier, *, version: int | None, if_match: int | None) -> None:
    if if_match is not None and if_match != dossier.version:
        raise PreconditionFailed(
            f"If-Match {if_match} does not match the current version {dossier.version}.",
            extra={"version": dossier.version},
        )
    if version is not None and version != dossier.version:
        raise StaleVersion(
            f"Version {version} is stale; the dossier is now at version {dossier.version}.",
            extra={"version": dossier.version},
        )


def dossier_facts(dossier: Dossier, *, now: dt.datetime | None = None) -> rules.Facts:
    """The facts the status machine needs about this dossier now."""
    now = now or timezone.now()
    position = dossier.current_step.position if dossier.current_step is not None else 0
    total = len(_ordered_steps(dossier)) if dossier.process_id else 0
    return rules.Facts(
        status=Status(dossier.status),
        resume_status=Status(dossier.resume_status) if dossier.resume_status else None,
        received=dossier.received_at is not None,
        has_next_step=position < total,
        has_previous_step=position > 1,
        extended=dossier.extended_at is not None,
        before_due=dossier.due_at is not None and now < dossier.due_at,
    )


def available_actions(*, dossier: Dossier, viewer: Any) -> list[str]:
    return rules.available_actions(
        dossier_facts(dossier), actor_roles(viewer=viewer, dossier=dossier)
    )


# -- actions ---------------------------------------------------------------------------------


def _required(fields: dict[str, Any], name: str, message: str) -> Any:
    value = fields.get(name)
    if value in (None, "", []):
        raise ValidationFailed(message, code="invalid", errors={name: [message]})
    return value


@transaction.atomic
def dossier_act(
    *,
    dossier_id: Any,
    action: str,
    actor: User | None,
    fields: dict[str, Any] | None = None,
    version: int | None = None,
    if_match: int | None = None,
    system: bool = False,
) -> Dossier:
    """Take ``action`` on a dossier for ``actor`` (or the system). Locks the row, checks the
    version, asks the status machine, applies the action and writes its event."""
    fields = fields or {}
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "current_agency", "current_step__agency", "process")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    _check_version(dossier, version=version, if_match=if_match)
    now = timezone.now()
    roles = (
        {Actor.SYSTEM} if system or actor is None else actor_roles(viewer=actor, dossier=dossier)
    )
    facts = dossier_facts(dossier, now=now)
    try:
        target = rules.check(action, facts, roles)
    except rules.Refusal as refusal:
        if refusal.forbidden:
            raise PermissionDenied(
                "Bạn không có quyền thực hiện thao tác này.", code="action_forbidden"
            ) from None
        raise ActionNotAllowed(
            f"“{action}” is not allowed now ({refusal.reason}).", extra={"reason": refusal.reason}
        ) from None
    before = dossier.status
    handler = _HANDLERS[Action(action)]
    note, data = handler(dossier, actor=actor, fields=fields, now=now, target=target)
    dossier.version += 1
    dossier.save()
    on_behalf = ""
    if actor is not None and Actor.APPLICANT in roles and dossier.owner_id not in (None, actor.pk):
        on_behalf = dossier.applicant_name
    _event(
        dossier,
        action=action,
        actor=actor,
        from_status=before,
        note=note,
        data=data,
        on_behalf_of=on_behalf,
        at=now,
    )
    if action in (Action.APPROVE, Action.REJECT) and dossier.result_delivery == Delivery.ONLINE:
        # A result delivered online is returned the moment it exists: a second change, by the system.
        _return_result(dossier, actor=None, fields={}, now=now, target=Status.RETURNED)
        dossier.version += 1
        dossier.save()
        _event(
            dossier,
            action=Action.RETURN_RESULT,
            actor=None,
            from_status=Status.RESOLVED,
            at=now,
            data={"delivery": "online"},
        )
    return dossier


Handled = tuple[str, dict[str, Any]]


def _submit(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    required = {rd.pk: rd.name for rd in d.procedure.required_documents.all() if rd.required}
    attached = set(
        Document.objects.filter(dossier=d, kind=Document.Kind.APPLICATION).values_list(
            "required_document_id", flat=True
        )
    )
    missing = {pk: name for pk, name in required.items() if pk not in attached}
    if missing:
        raise MissingDocuments(
            "Hồ sơ còn thiếu giấy tờ bắt buộc.",
            errors={"documents": [f"Thiếu: {name}" for name in missing.values()]},
            extra={"missing_required_documents": [str(pk) for pk in missing]},
        )
    _assign_code(d, now)
    d.submitted_at = now
    d.status = target
    return "", {}


def _receive_action(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    assert actor is not None
    _receive(d, actor=actor, now=now)
    return "", {}


def _pause(d: Dossier, now: dt.datetime, target: Status) -> None:
    d.resume_status = d.status
    if d.received_at is not None:
        d.clock_paused_at = deadlines.pause(now, waiting_in=target)
    d.status = target


def _resume(d: Dossier, now: dt.datetime, target: Status) -> None:
    waited_in = d.status
    if d.clock_paused_at is not None and d.due_at is not None and d.original_due_at is not None:
        deadline = deadlines.resume(
            calendar_for_agency(d.agency),
            deadlines.Deadline(due_at=d.due_at, original_due_at=d.original_due_at),
            paused_at=d.clock_paused_at,
            resumed_at=now,
            waited_in=waited_in,
            restart_on_supplement=d.procedure.restart_on_supplement,
            value=d.procedure.processing_time_value,
            unit=d.procedure.processing_time_unit,
        )
        d.due_at, d.original_due_at = deadline.due_at, deadline.original_due_at
    d.clock_paused_at = None
    d.resume_status = ""
    d.status = target


def _request_supplement(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    items = _required(fields, "items", "Liệt kê giấy tờ cần bổ sung.")
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise ValidationFailed(
            "items must be a list of texts", errors={"items": ["Danh sách giấy tờ không hợp lệ."]}
        )
    _pause(d, now, target)
    return str(fields.get("note", "")), {"items": [i.strip() for i in items]}


def _supplement(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    _resume(d, now, target)
    return str(fields.get("note", "")), {}


def _refuse(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    note = _required(fields, "note", "Ghi rõ lý do từ chối.")
    d.status = target
    return str(note), {}


def _move(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, forward: bool
) -> Handled:
    steps = _ordered_steps(d)
    position = d.current_step.position if d.current_step is not None else 0
    if forward:
        to = fields.get("to_step")
        new_position = int(str(to)) if to not in (None, "") else position + 1
        if not position < new_position <= len(steps):
            raise ValidationFailed(
                "to_step must be a later step", errors={"to_step": ["Bước không hợp lệ."]}
            )
    else:
        new_position = position - 1
    step = steps[new_position - 1]
    agency = step_agency(step=step, receiving=d.agency)
    assignee = _assignee(fields.get("assignee"), agency=agency, role=step.role)
    _close_step(d, actor=actor, now=now, outcome="forward" if forward else "send_back")
    _open_step(
        d,
        step,
        position=new_position,
        agency=agency,
        now=now,
        handed_over_by=actor,
        assignee=assignee,
    )
    d.status = Status.PROCESSING
    return str(fields.get("note", "")), {"to_step": new_position, "to_agency": agency.code}


def _assignee(username: Any, *, agency: Agency, role: str) -> User | None:
    if username in (None, ""):
        return None
    user = User.objects.filter(
        username=str(username),
        is_active=True,
        memberships__agency=agency,
        memberships__is_active=True,
    ).first()
    if user is None:
        raise ValidationFailed(
            "assignee is not a member of the receiving agency",
            errors={"assignee": ["Người được giao không thuộc cơ quan xử lý bước này."]},
        )
    return user


def _forward(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    return _move(d, actor=actor, fields=fields, now=now, forward=True)


def _send_back(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    _required(fields, "note", "Ghi rõ lý do trả lại.")
    return _move(d, actor=actor, fields=fields, now=now, forward=False)


def _request_payment(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    amount = _required(fields, "amount", "Nhập số tiền.")
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0:
        raise ValidationFailed(
            "amount must be a positive number of đồng",
            errors={"amount": ["Số tiền phải lớn hơn 0."]},
        )
    d.fees_total += amount
    _pause(d, now, target)
    return str(fields.get("note", "")), {"amount": amount}


def _pay(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    method = str(fields.get("method") or "cash")
    if method not in {"cash", "online", "transfer"}:
        raise ValidationFailed("unknown method", errors={"method": ["Hình thức nộp không hợp lệ."]})
    paid = d.fees_total - d.fees_paid
    d.fees_paid = d.fees_total
    _resume(d, now, target)
    return str(fields.get("note", "")), {
        "method": method,
        "amount": paid,
        "receipt_number": str(fields.get("receipt_number", "")),
    }


def _decide(
    d: Dossier, *, actor: User | None, now: dt.datetime, target: Status, decision: str
) -> None:
    _close_step(d, actor=actor, now=now, outcome=decision)
    d.status = target
    d.resolved_at = now
    d.decision = decision
    if d.original_due_at is not None:
        d.timeliness = deadlines.timeliness(calendar_for_agency(d.agency), now, d.original_due_at)


def _approve(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    ids = fields.get("result_documents") or []
    if ids:
        found = Document.objects.filter(dossier=d, pk__in=ids)
        if found.count() != len(set(map(str, ids))):
            raise ValidationFailed(
                "unknown result document",
                errors={"result_documents": ["Tệp kết quả không hợp lệ."]},
            )
        found.update(kind=Document.Kind.RESULT)
    _decide(d, actor=actor, now=now, target=target, decision="approved")
    return str(fields.get("note", "")), {"result_documents": [str(i) for i in ids]}


def _reject(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    note = _required(fields, "note", "Ghi rõ lý do không giải quyết.")
    _decide(d, actor=actor, now=now, target=target, decision="rejected")
    return str(note), {}


def _extend(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    note = _required(fields, "note", "Ghi rõ lý do gia hạn để gửi phiếu xin lỗi.")
    new_due = _required(fields, "new_due_at", "Chọn thời hạn mới.")
    if isinstance(new_due, str):
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(new_due)
        if parsed is None or parsed.tzinfo is None:
            raise ValidationFailed(
                "new_due_at must be ISO 8601 with offset",
                errors={"new_due_at": ["Thời hạn không hợp lệ."]},
            )
        new_due = parsed
    assert d.due_at is not None
    old_due = d.due_at
    d.due_at = deadlines.extend(
        calendar_for_agency(d.agency), now, d.due_at, new_due, d.extended_at is not None
    )
    d.extended_at = now
    d.status = target
    return str(note), {"previous_due_at": old_due.isoformat(), "new_due_at": d.due_at.isoformat()}


def _withdraw(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    if d.received_at is not None and d.clock_paused_at is None:
        d.clock_paused_at = now
    d.status = target
    if target == Status.STOPPED:
        d.stopped_at = now
    return str(fields.get("note", "")), {}


def _stop(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    _close_step(d, actor=actor, now=now, outcome="stopped")
    d.status = target
    d.stopped_at = now
    return str(fields.get("note", "")), {}


def _return_result(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    delivery = str(fields.get("delivery") or d.result_delivery)
    if delivery not in Delivery.values:
        raise ValidationFailed(
            "unknown delivery", errors={"delivery": ["Hình thức trả kết quả không hợp lệ."]}
        )
    d.status = target
    d.returned_at = now
    return str(fields.get("note", "")), {"delivery": delivery}


_HANDLERS = {
    Action.SUBMIT: _submit,
    Action.RECEIVE: _receive_action,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT: _supplement,
    Action.REFUSE: _refuse,
    Action.FORWARD: _forward,
    Action.SEND_BACK: _send_back,
    Action.REQUEST_PAYMENT: _request_payment,
    Action.PAY: _pay,
    Action.APPROVE: _approve,
    Action.REJECT: _reject,
    Action.EXTEND: _extend,
    Action.WITHDRAW: _withdraw,
    Action.STOP: _stop,
    Action.RETURN_RESULT: _return_result,
}
assert set(_HANDLERS) == set(Action)


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
) -> Document:
    """Attach a file to a dossier, checked by content; one event, and a new version."""
    from .documents import document_store

    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "current_agency", "current_step__agency")
        .get(pk=dossier_id)
    )
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
    )
    dossier.version += 1
    dossier.save(update_fields=["version", "updated_at"])
    _event(
        dossier,
        action="attach_document",
        actor=actor,
        from_status=dossier.status,
        data={
            "document": str(document.pk),
            "kind": kind,
            "sha256": document.sha256,
            "size": document.size,
        },
    )
    return document


@transaction.atomic
def dossier_rate(*, dossier_id: Any, actor: User, score: int, comment: str = "") -> Rating:
    """The applicant's rating, once, after the result was returned."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("current_step__agency", "current_agency")
        .get(pk=dossier_id)
    )
    if Actor.APPLICANT not in actor_roles(viewer=actor, dossier=dossier):
        raise PermissionDenied("Chỉ người nộp hồ sơ được đánh giá.", code="action_forbidden")
    if dossier.status != Status.RETURNED:
        raise ActionNotAllowed(
            "Chỉ đánh giá sau khi nhận kết quả.", extra={"reason": "not_returned"}
        )
    if Rating.objects.filter(dossier=dossier).exists():
        raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated")
    rating = Rating.objects.create(dossier=dossier, score=score, comment=comment)
    _event(
        dossier,
        action="rate",
        actor=actor,
        from_status=dossier.status,
        data={"score": score},
        note=comment,
    )
    return rating
