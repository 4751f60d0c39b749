"""The actions of the status machine, one handler each, behind ``dossier_act``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.core.exceptions import (
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from motcua.workflow.selectors import step_agency
from motcua.worktime.selectors import calendar_for_agency

from .. import deadlines, rules
from ..constants import Action, Actor, Delivery, Status
from ..exceptions import ActionNotAllowed, MissingDocuments, PayOnlineAtGateway
from ..models import Document, Dossier
from ..selectors import actor_roles
from ._common import (
    acting_for,
    assign_code,
    check_version,
    close_step,
    dossier_facts,
    lock_dossier,
    open_step,
    ordered_steps,
    receive_now,
    record_event,
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
    now: dt.datetime | None = None,
) -> Dossier:
    """Take ``action`` on a dossier for ``actor`` (or the system). Locks the row, checks the
    version, asks the status machine, applies the action and writes its event.

    ``now`` is for loading history (the demo, transfers from older systems): the action is
    recorded as taken then. Interfaces never pass it."""
    fields = fields or {}
    dossier = lock_dossier(
        dossier_id, "procedure", "agency", "current_agency", "current_step__agency", "process"
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    check_version(dossier, version=version, if_match=if_match)
    now = now or timezone.now()
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
    on_behalf = acting_for(actor, dossier) if Actor.APPLICANT in roles else ""
    record_event(
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
        record_event(
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
    assign_code(d, now)
    d.submitted_at = now
    d.status = target
    return "", {}


def _receive_action(
    d: Dossier, *, actor: User | None, fields: dict[str, Any], now: dt.datetime, target: Status
) -> Handled:
    assert actor is not None
    receive_now(d, actor=actor, now=now)
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
    steps = ordered_steps(d)
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
    close_step(d, actor=actor, now=now, outcome="forward" if forward else "send_back")
    open_step(
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
    # The money is the payments ledger's (docs/adr/0011-payments-ledger-and-gateway.md): cash or
    # a transfer taken at the counter is recorded there now, with its receipt number; an online
    # payment only ever becomes paid from the gateway's signed notification, which then takes
    # this action as the system.
    from motcua.payments.ledger import record_counter_payment

    roles = actor_roles(viewer=actor, dossier=d) if actor is not None else set()
    if Actor.APPLICANT in roles and Actor.COUNTER_OFFICER not in roles:
        # The applicant is offered ``pay`` but takes it at the gateway, whatever the method they
        # name (cash is handed at the counter, whose officer records it): nothing is recorded
        # on the client's word. The answer says where an online payment starts.
        raise PayOnlineAtGateway(
            "Người nộp thanh toán trực tuyến qua cổng thanh toán (hoặc nộp tiền mặt tại bộ phận "
            "một cửa).",
            extra={
                "payment_url": reverse(
                    "api:dossier-payment-online", kwargs={"code": d.code or str(d.pk)}
                )
            },
        )
    method = str(fields.get("method") or "cash")
    if method not in {"cash", "online", "transfer"}:
        raise ValidationFailed("unknown method", errors={"method": ["Hình thức nộp không hợp lệ."]})
    if method == "online":
        if actor is not None:
            raise ValidationFailed(
                "online payments are confirmed by the payment gateway only",
                code="online_payment_by_gateway",
                errors={"method": ["Thanh toán trực tuyến do cổng thanh toán xác nhận."]},
            )
        amount = int(fields.get("amount") or 0)
        receipt = ""
        payment_id = str(fields.get("payment") or "")
    else:
        # Money at the counter is taken by its officer; the applicant pays online.
        if actor is None or Actor.COUNTER_OFFICER not in roles:
            raise PermissionDenied(
                "Chỉ cán bộ một cửa ghi nhận tiền nộp tại quầy; người nộp thanh toán trực tuyến.",
                code="action_forbidden",
            )
        receipt = str(fields.get("receipt_number", "")).strip()
        payment = record_counter_payment(
            dossier=d, method=method, receipt_number=receipt, actor=actor, now=now
        )
        amount = payment.amount if payment is not None else 0
        payment_id = str(payment.pk) if payment is not None else ""
    _resume(d, now, target)
    data: dict[str, Any] = {"method": method, "amount": amount, "receipt_number": receipt}
    if payment_id:
        data["payment"] = payment_id
    return str(fields.get("note", "")), data


def _decide(
    d: Dossier, *, actor: User | None, now: dt.datetime, target: Status, decision: str
) -> None:
    close_step(d, actor=actor, now=now, outcome=decision)
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
    close_step(d, actor=actor, now=now, outcome="stopped")
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
