"""The ledger of one dossier: its obligations and the money settling them, kept in step with the
dossier's totals (``fees_total``: what is owed after exemptions, ``fees_paid``: what was paid).

Every function here works on a dossier whose row the caller has locked in the current
transaction, changes the instance's totals and leaves saving the dossier (and writing its history
event) to the caller: the ``pay`` action of the status machine, or the payments services.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Sum

from motcua.catalog import fees
from motcua.catalog.selectors import procedure_fee_lines
from motcua.core.exceptions import ValidationFailed

from .constants import Method, ObligationKind, PaymentState
from .models import Obligation, Payment, PaymentLine

if TYPE_CHECKING:
    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier

DEFAULT_REQUEST_NAME = "Khoản thu bổ sung"


def preview_lines(dossier: Dossier) -> list[fees.Line]:
    """The procedure's fee lines for this dossier, computed, nothing written: the same function
    gave the dossier its ``fees_total`` at creation (``catalog.selectors.procedure_fee_lines``)."""
    return procedure_fee_lines(procedure_id=dossier.procedure_id, form_data=dossier.form_data)


def sync_obligations(dossier: Dossier) -> list[Obligation]:
    """Write what the dossier owes: the procedure's fees (once, while nothing has been paid; a
    fee row added to the catalogue later does not reach back), and one obligation per
    ``request_payment`` event. Then set ``fees_total`` to their sum, exemptions taken off."""
    from motcua.dossiers.constants import Action

    existing = list(Obligation.objects.filter(dossier=dossier))
    nothing_paid = not PaymentLine.objects.filter(
        obligation__dossier=dossier, settled=True
    ).exists()
    if nothing_paid:
        have = {o.fee_id for o in existing if o.kind == ObligationKind.PROCEDURE_FEE}
        for line in preview_lines(dossier):
            if line.fee_id not in have:
                existing.append(
                    Obligation.objects.create(
                        dossier=dossier,
                        kind=ObligationKind.PROCEDURE_FEE,
                        fee_id=line.fee_id,
                        name=line.name,
                        quantity=line.quantity,
                        amount=line.amount,
                    )
                )
    requested = dossier.events.filter(action=Action.REQUEST_PAYMENT, obligation__isnull=True)
    for event in requested.order_by("seq"):
        line = fees.requested_line((event.data or {}).get("amount"), event.note)
        existing.append(
            Obligation.objects.create(
                dossier=dossier,
                kind=ObligationKind.REQUESTED,
                request_event=event,
                name=event.note.strip()[:500] or DEFAULT_REQUEST_NAME,
                amount=line.amount,
                created_at=event.at,
            )
        )
    summary = fees.summarize(_lines(existing), paid=dossier.fees_paid)
    dossier.fees_total = max(summary.total, dossier.fees_paid)
    return existing


def _lines(obligations: list[Obligation]) -> list[fees.Line]:
    return [
        fees.Line(name=o.name, amount=o.amount, quantity=o.quantity, exempt=o.exempt)
        for o in obligations
    ]


def open_obligations(dossier: Dossier) -> list[Obligation]:
    """Obligations not exempted and not yet paid, oldest first."""
    return list(
        Obligation.objects.filter(dossier=dossier, exempted_at__isnull=True)
        .exclude(lines__settled=True)
        .order_by("created_at", "name")
    )


def keys_of(obligation: Obligation) -> set[str]:
    """The keys a line of the fee table may name this obligation by (see selectors.fee_rows)."""
    keys = {f"obligation:{obligation.pk}"}
    if obligation.fee_id is not None:
        keys.add(f"fee:{obligation.fee_id}")
    if obligation.request_event_id is not None:
        keys.add(f"event:{obligation.request_event_id}")
    return keys


def settle(payment: Payment, dossier: Dossier, *, now: dt.datetime) -> None:
    """Mark the payment paid and its lines settled; add it to the dossier's paid total."""
    payment.state = PaymentState.PAID
    payment.paid_at = now
    payment.closed_at = now
    payment.save()
    PaymentLine.objects.filter(payment=payment).update(settled=True)
    dossier.fees_paid += payment.amount


def settled_amount(dossier: Dossier) -> int:
    total = PaymentLine.objects.filter(obligation__dossier=dossier, settled=True).aggregate(
        total=Sum("amount")
    )["total"]
    return int(total or 0)


def record_counter_payment(
    *,
    dossier: Dossier,
    method: str,
    receipt_number: str,
    actor: User | None,
    now: dt.datetime,
) -> Payment | None:
    """Cash (or a transfer) taken at the counter for everything still open; None when nothing
    is due. The receipt's number is required: it is how the money is found again."""
    if method not in (Method.CASH, Method.TRANSFER):
        raise ValidationFailed(
            "counter payments are cash or transfer",
            errors={"method": ["Hình thức nộp không hợp lệ."]},
        )
    sync_obligations(dossier)
    owed = open_obligations(dossier)
    if not owed:
        return None
    receipt_number = receipt_number.strip()
    if not receipt_number:
        raise ValidationFailed(
            "receipt_number is required for a payment at the counter",
            code="receipt_number_required",
            errors={"receipt_number": ["Nhập số biên lai đã giao cho người nộp."]},
        )
    payment = Payment.objects.create(
        dossier=dossier,
        method=method,
        amount=sum(o.amount for o in owed),
        state=PaymentState.PAID,
        payer_name=dossier.applicant_name[:200],
        receipt_number=receipt_number[:64],
        created_by=actor,
        created_at=now,
        paid_at=now,
        closed_at=now,
    )
    PaymentLine.objects.bulk_create(
        PaymentLine(payment=payment, obligation=o, amount=o.amount, settled=True) for o in owed
    )
    dossier.fees_paid += payment.amount
    return payment
