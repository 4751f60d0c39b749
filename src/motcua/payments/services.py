"""Writes of the payments app: cash at the counter, an online payment started by the applicant,
the gateway's notification confirming it, and fee exemptions.

Each service is atomic, locks the dossier's row first (then its payments: always in that order),
keeps the dossier's totals in step with the ledger and writes one history event per change of
the dossier. The ``pay`` transition of the status machine is taken through ``dossier_act``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.dossiers.constants import Action, Actor, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import actor_roles
from motcua.dossiers.services import dossier_act
from motcua.dossiers.services._common import lock_dossier, record_event
from motcua.outbox.services import outbox_enqueue

from . import gateway, ledger
from .constants import FINAL_STATES, Method, PaymentState, Verdict
from .exceptions import NothingDue, PaymentNotPossible
from .models import GatewayNotification, Obligation, Payment, PaymentLine
from .tasks import QUERY_KIND

QUERY_GRACE_MINUTES = 5

logger = logging.getLogger(__name__)

# A dossier takes payments from submission until its result is handed over; never as a draft,
# and not while a withdrawal is pending or after it is closed.
PAYABLE: frozenset[str] = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
        Status.RESOLVED,
    }
)


def _locked(dossier_id: Any) -> Dossier:
    dossier = lock_dossier(dossier_id, "procedure", "agency", "current_agency", "current_step")
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return dossier


def _check_payable(dossier: Dossier) -> None:
    if dossier.status not in PAYABLE:
        raise PaymentNotPossible(
            "Hồ sơ ở tình trạng này không nhận thanh toán.",
            extra={"status": dossier.status},
        )


def _record_payment_event(
    dossier: Dossier, *, payment: Payment, actor: User | None, now: dt.datetime
) -> None:
    """A payment that is not the ``pay`` transition (the dossier was not waiting for it): the
    dossier's totals changed, so it is a change of its own, with its event."""
    dossier.version += 1
    dossier.save(update_fields=["fees_total", "fees_paid", "version", "updated_at"])
    record_event(
        dossier,
        action=Action.PAY,
        actor=actor,
        from_status=dossier.status,
        at=now,
        data={
            "method": payment.method,
            "amount": payment.amount,
            "receipt_number": payment.receipt_number,
            "payment": str(payment.pk),
        },
    )


@transaction.atomic
def payment_record_cash(
    *,
    dossier_id: Any,
    receipt_number: str,
    actor: User,
    method: str = Method.CASH,
    note: str = "",
    now: dt.datetime | None = None,
) -> Payment:
    """Cash (or a transfer) taken at the counter by its officer for everything the dossier still
    owes, with the number of the receipt handed over. A dossier waiting for payment takes the
    ``pay`` transition; otherwise the payment is recorded with its own event."""
    now = now or timezone.now()
    dossier = _locked(dossier_id)
    if Actor.COUNTER_OFFICER not in actor_roles(viewer=actor, dossier=dossier):
        raise PermissionDenied("Chỉ cán bộ một cửa của hồ sơ được thu phí tại quầy.")
    _check_payable(dossier)
    if dossier.status == Status.PAYMENT_REQUESTED:
        updated = dossier_act(
            dossier_id=dossier.pk,
            action=Action.PAY,
            actor=actor,
            fields={"method": method, "receipt_number": receipt_number, "note": note},
            now=now,
        )
        event = updated.events.order_by("-seq").first()
        paid_id = (event.data or {}).get("payment") if event is not None else None
        if not paid_id:
            # Nothing was owed (exempted meanwhile): the dossier went on, no money changed hands.
            raise NothingDue("Hồ sơ không còn khoản phải nộp.")
        return Payment.objects.get(pk=paid_id)
    payment_or_none = ledger.record_counter_payment(
        dossier=dossier, method=method, receipt_number=receipt_number, actor=actor, now=now
    )
    if payment_or_none is None:
        raise NothingDue("Hồ sơ không còn khoản phải nộp.")
    _record_payment_event(dossier, payment=payment_or_none, actor=actor, now=now)
    return payment_or_none


@transaction.atomic
def payment_start_online(
    *, dossier_id: Any, actor: User, now: dt.datetime | None = None
) -> Payment:
    """The applicant starts paying online everything the dossier still owes: a pending payment
    whose id is the gateway's transaction reference. An earlier pending one is cancelled (one
    trip to the gateway at a time; a late success for it is listed for refund)."""
    now = now or timezone.now()
    dossier = _locked(dossier_id)
    if Actor.APPLICANT not in actor_roles(viewer=actor, dossier=dossier):
        raise PermissionDenied("Chỉ người nộp hồ sơ được thanh toán trực tuyến.")
    _check_payable(dossier)
    before = (dossier.fees_total, dossier.fees_paid)
    ledger.sync_obligations(dossier)
    if (dossier.fees_total, dossier.fees_paid) != before:
        dossier.save(update_fields=["fees_total", "updated_at"])
    owed = ledger.open_obligations(dossier)
    if not owed:
        raise NothingDue("Hồ sơ không còn khoản phải nộp.")
    cfg = gateway.config()
    Payment.objects.filter(
        dossier=dossier, method=Method.ONLINE, state=PaymentState.PENDING
    ).update(state=PaymentState.CANCELLED, closed_at=now)
    payment = Payment.objects.create(
        dossier=dossier,
        method=Method.ONLINE,
        amount=sum(o.amount for o in owed),
        state=PaymentState.PENDING,
        payer_name=dossier.applicant_name[:200],
        gateway=cfg.name,
        created_by=actor,
        created_at=now,
    )
    PaymentLine.objects.bulk_create(
        PaymentLine(payment=payment, obligation=o, amount=o.amount) for o in owed
    )
    # If the gateway's notification never comes, ask the gateway after the attempt expired.
    outbox_enqueue(
        kind=QUERY_KIND,
        payload={"payment": str(payment.pk)},
        idempotency_key=f"payment-query:{payment.pk}",
        available_at=now + dt.timedelta(minutes=cfg.expire_minutes + QUERY_GRACE_MINUTES),
    )
    return payment


def payment_redirect_url(*, payment: Payment, client_ip: str) -> str:
    """Where to send the payer's browser for a pending online payment."""
    cfg = gateway.config(payment.gateway)
    code = payment.dossier.code or ""
    return gateway.payment_url(
        cfg,
        reference=payment.reference,
        amount=payment.amount,
        order_info=f"Thanh toan ho so {code}".strip(),
        client_ip=client_ip,
        created_at=payment.created_at,
    )


@dataclass(frozen=True)
class IpnAnswer:
    code: str
    message: str
    verdict: str

    def as_json(self) -> dict[str, str]:
        return {"RspCode": self.code, "Message": self.message}


def _fingerprint(params: Mapping[str, str]) -> str:
    text = json.dumps(sorted((str(k), str(v)) for k, v in params.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _note(
    gateway_name: str,
    params: Mapping[str, str],
    *,
    verdict: Verdict,
    answer: tuple[str, str],
    now: dt.datetime,
    payment: Payment | None = None,
    result: gateway.Result | None = None,
    fingerprint: str = "",
) -> IpnAnswer:
    kept = {
        str(k)[:64]: str(v)[: gateway.MAX_PARAM_CHARS]
        for k, v in list(params.items())[:40]
        if str(k).startswith("vnp_")
    }
    GatewayNotification.objects.create(
        gateway=gateway_name[:32],
        received_at=now,
        fingerprint=fingerprint or _fingerprint(params),
        params=kept,
        transaction_ref=(result.reference if result else str(params.get("vnp_TxnRef", "")))[:100],
        payment=payment,
        amount=result.amount if result else None,
        verdict=verdict,
        answer_code=answer[0],
        answer_message=answer[1],
    )
    if verdict not in (Verdict.CONFIRMED, Verdict.FAILED, Verdict.DUPLICATE):
        # No parameters in the log: the reference and the verdict are enough to find it again.
        logger.warning(
            "payment notification not applied: gateway=%s ref=%s verdict=%s",
            gateway_name,
            kept.get("vnp_TxnRef", "")[:40],
            verdict,
        )
    return IpnAnswer(code=answer[0], message=answer[1], verdict=verdict)


def _payment_id(reference: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=reference)
    except ValueError:
        return None


@transaction.atomic
def payment_confirm_from_ipn(
    *, gateway_name: str, params: Mapping[str, str], now: dt.datetime | None = None
) -> IpnAnswer:
    """Apply the gateway's server-to-server notification: the only way an online payment
    becomes paid. Checks the signature, the merchant, the payment and the amount; applies a
    result once (a repeated notification gets the same answer and changes nothing); a paid
    payment settles its obligations and, when the dossier waits for it, takes ``pay`` as the
    system. Every notification is kept with its verdict for the reconciliation report."""
    now = now or timezone.now()
    try:
        cfg = gateway.config(gateway_name)
    except gateway.GatewayError:
        raise NotFound("Không có cổng thanh toán này.") from None
    params = {str(k): str(v) for k, v in params.items()}
    if not gateway.verify(params, cfg.secret):
        return _note(
            cfg.name,
            params,
            verdict=Verdict.BAD_SIGNATURE,
            answer=gateway.ANSWER_INVALID_SIGNATURE,
            now=now,
        )
    try:
        result = gateway.parse_result(params)
    except gateway.GatewayError:
        return _note(
            cfg.name,
            params,
            verdict=Verdict.MALFORMED,
            answer=gateway.ANSWER_UNKNOWN_ERROR,
            now=now,
        )
    payment_id = _payment_id(result.reference)
    found = (
        Payment.objects.filter(pk=payment_id, method=Method.ONLINE, gateway=cfg.name)
        .values_list("dossier_id", flat=True)
        .first()
        if payment_id is not None and result.merchant_code == cfg.merchant_code
        else None
    )
    if found is None or payment_id is None:
        return _note(
            cfg.name,
            params,
            verdict=Verdict.UNKNOWN_PAYMENT,
            answer=gateway.ANSWER_NOT_FOUND,
            now=now,
            result=result,
        )
    # The dossier first, then the payment: the order every payment service locks in.
    dossier = _locked(found)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    fingerprint = _fingerprint(params)
    earlier = (
        GatewayNotification.objects.filter(gateway=cfg.name, fingerprint=fingerprint)
        .order_by("received_at", "pk")
        .first()
    )
    if earlier is not None:
        return _note(
            cfg.name,
            params,
            verdict=Verdict.DUPLICATE,
            answer=(earlier.answer_code, earlier.answer_message),
            now=now,
            payment=payment,
            result=result,
            fingerprint=fingerprint,
        )
    common: dict[str, Any] = {
        "now": now,
        "payment": payment,
        "result": result,
        "fingerprint": fingerprint,
    }
    if result.amount != payment.amount:
        return _note(
            cfg.name,
            params,
            verdict=Verdict.AMOUNT_MISMATCH,
            answer=gateway.ANSWER_INVALID_AMOUNT,
            **common,
        )
    if payment.state in FINAL_STATES:
        return _note(
            cfg.name,
            params,
            verdict=Verdict.ALREADY_FINAL,
            answer=gateway.ANSWER_ALREADY_CONFIRMED,
            **common,
        )
    if (
        result.transaction_no
        and Payment.objects.filter(gateway=cfg.name, gateway_transaction_no=result.transaction_no)
        .exclude(pk=payment.pk)
        .exists()
    ):
        # The gateway's number names another payment already: nothing is applied, it is listed.
        return _note(
            cfg.name,
            params,
            verdict=Verdict.CONFLICT,
            answer=gateway.ANSWER_UNKNOWN_ERROR,
            **common,
        )
    payment.gateway_transaction_no = result.transaction_no
    payment.gateway_bank_code = result.bank_code
    payment.gateway_response_code = result.response_code
    if not result.succeeded:
        payment.state = PaymentState.CANCELLED if result.cancelled else PaymentState.FAILED
        payment.closed_at = now
        payment.save()
        return _note(
            cfg.name, params, verdict=Verdict.FAILED, answer=gateway.ANSWER_CONFIRMED, **common
        )
    already = PaymentLine.objects.filter(
        obligation__in=Obligation.objects.filter(lines__payment=payment), settled=True
    ).exists()
    if already or dossier.status not in PAYABLE:
        # The money arrived but what it was for was paid meanwhile (at the counter), or the
        # dossier was closed (withdrawn, stopped): it is kept as a paid payment that settles
        # nothing, listed for refund.
        payment.state = PaymentState.PAID
        payment.paid_at = now
        payment.closed_at = now
        payment.save()
        return _note(
            cfg.name, params, verdict=Verdict.NOT_OWED, answer=gateway.ANSWER_CONFIRMED, **common
        )
    ledger.settle(payment, dossier, now=now)
    if dossier.status == Status.PAYMENT_REQUESTED and dossier.fees_paid >= dossier.fees_total:
        dossier.save(update_fields=["fees_paid", "updated_at"])
        dossier_act(
            dossier_id=dossier.pk,
            action=Action.PAY,
            actor=None,
            system=True,
            fields={"method": Method.ONLINE, "amount": payment.amount, "payment": str(payment.pk)},
            now=now,
        )
    else:
        _record_payment_event(dossier, payment=payment, actor=None, now=now)
    return _note(
        cfg.name, params, verdict=Verdict.CONFIRMED, answer=gateway.ANSWER_CONFIRMED, **common
    )


@transaction.atomic
def payment_apply_query_answer(
    *, payment_id: Any, answer: Mapping[str, str], now: dt.datetime | None = None
) -> str:
    """Apply the gateway's answer to a transaction query (``tasks.deliver_gateway_query``).
    A transaction the gateway never had is an abandoned attempt: cancelled if still pending.
    Any other answer is a signed result, checked and applied like a notification. Returns the
    verdict."""
    now = now or timezone.now()
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("Không tìm thấy khoản thanh toán.")
    cfg = gateway.config(payment.gateway)
    answer = {str(k): str(v) for k, v in answer.items()}
    if (
        gateway.verify(answer, cfg.secret)
        and answer.get("vnp_ResponseCode") == gateway.QUERY_NOT_FOUND
        and answer.get("vnp_TxnRef") == payment.reference
    ):
        _locked(payment.dossier_id)
        cancelled = Payment.objects.filter(pk=payment.pk, state=PaymentState.PENDING).update(
            state=PaymentState.CANCELLED, closed_at=now
        )
        return Verdict.FAILED if cancelled else Verdict.ALREADY_FINAL
    return payment_confirm_from_ipn(gateway_name=cfg.name, params=answer, now=now).verdict


def payment_from_return(*, params: Mapping[str, str]) -> Payment | None:
    """The payment a browser return names, if its signature is the gateway's. Reads only: the
    return page shows the payment's state as the notification left it."""
    params = {str(k): str(v) for k, v in params.items()}
    cfg = gateway.config()
    if not gateway.verify(params, cfg.secret):
        return None
    try:
        result = gateway.parse_result(params)
    except gateway.GatewayError:
        return None
    payment_id = _payment_id(result.reference)
    if payment_id is None:
        return None
    return Payment.objects.filter(pk=payment_id, gateway=cfg.name).first()


@transaction.atomic
def fee_exemption_grant(
    *,
    dossier_id: Any,
    obligation_id: Any = None,
    line_key: str = "",
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> Obligation:
    """Waive one obligation not yet paid (a fee the law exempts this applicant from), with the
    reason; granted by the dossier's counter officer or a leader holding it. The obligation is
    named by its id, or by the ``key`` of a line of ``selectors.fee_rows`` (one not written
    yet: a procedure fee, an amount requested)."""
    now = now or timezone.now()
    dossier = _locked(dossier_id)
    roles = actor_roles(viewer=actor, dossier=dossier)
    if not roles & {Actor.COUNTER_OFFICER, Actor.LEADER}:
        raise PermissionDenied("Chỉ cán bộ một cửa hoặc lãnh đạo được miễn phí, lệ phí.")
    _check_payable(dossier)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "reason is required", errors={"reason": ["Ghi rõ căn cứ miễn phí, lệ phí."]}
        )
    ledger.sync_obligations(dossier)
    obligation = next(
        (
            o
            for o in ledger.open_obligations(dossier)
            if (obligation_id is not None and str(o.pk) == str(obligation_id))
            or (line_key and line_key in ledger.keys_of(o))
        ),
        None,
    )
    if obligation is None:
        raise NotFound("Không có khoản phải nộp này, hoặc khoản đã nộp hay đã được miễn.")
    # A trip to the gateway for it is abandoned: a success arriving later is listed for refund.
    Payment.objects.filter(lines__obligation=obligation, state=PaymentState.PENDING).update(
        state=PaymentState.CANCELLED, closed_at=now
    )
    obligation.exempted_at = now
    obligation.exempted_by = actor
    obligation.exemption_reason = reason[:500]
    obligation.save()
    ledger.sync_obligations(dossier)
    dossier.version += 1
    dossier.save(update_fields=["fees_total", "version", "updated_at"])
    record_event(
        dossier,
        action="fee_exemption",
        actor=actor,
        from_status=dossier.status,
        note=reason,
        at=now,
        data={"obligation": str(obligation.pk), "amount": obligation.amount},
    )
    return obligation
