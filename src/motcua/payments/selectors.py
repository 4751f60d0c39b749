"""Reads of the payments app. Visibility follows the dossier's: whoever may see the dossier
(``dossiers.selectors.dossier_get``) may see its payments; the applicant sees their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.catalog import fees
from motcua.dossiers.constants import Actor
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import actor_roles, dossier_get

from . import ledger
from .constants import PaymentState
from .models import Obligation, Payment, PaymentLine


def payments_of(*, dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).order_by("-created_at")


def applicant_dossier(*, viewer: User, dossier_id: Any) -> Dossier | None:
    """The dossier if ``viewer`` is its applicant (owner, or the assistant who filed it)."""
    dossier = dossier_get(viewer=viewer, code_or_id=str(dossier_id))
    if dossier is None or Actor.APPLICANT not in actor_roles(viewer=viewer, dossier=dossier):
        return None
    return dossier


def applicant_payment(*, viewer: User, payment_id: Any) -> Payment | None:
    """A payment of a dossier whose applicant ``viewer`` is."""
    payment = Payment.objects.select_related("dossier").filter(pk=payment_id).first()
    if payment is None or applicant_dossier(viewer=viewer, dossier_id=payment.dossier_id) is None:
        return None
    return payment


def visible_payment(*, viewer: User, payment_id: Any) -> Payment | None:
    """A payment of a dossier ``viewer`` may see (staff or applicant)."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or dossier_get(viewer=viewer, code_or_id=str(payment.dossier_id)) is None:
        return None
    return payment


def fee_lines(*, dossier: Dossier) -> list[fees.Line]:
    """What the dossier owes, line by line: its obligations when written, else the procedure's
    fees computed (and the amounts requested so far)."""
    written = list(Obligation.objects.filter(dossier=dossier))
    if written:
        return [
            fees.Line(name=o.name, amount=o.amount, quantity=o.quantity, exempt=o.exempt)
            for o in written
        ]
    lines = ledger.preview_lines(dossier)
    from motcua.dossiers.constants import Action

    for event in dossier.events.filter(action=Action.REQUEST_PAYMENT).order_by("seq"):
        try:
            line = fees.requested_line((event.data or {}).get("amount"), event.note)
        except fees.FeeError:
            continue
        lines.append(line)
    return lines


@dataclass(frozen=True)
class FeeRow:
    """A line of the dossier's fee table as the counter sees it."""

    key: str  # obligation:<id>, or fee:<id> / event:<id> while not written yet
    name: str
    amount: int
    quantity: int
    exempt: bool
    exemption_reason: str
    paid: bool


def fee_rows(*, dossier: Dossier) -> list[FeeRow]:
    """Every line the dossier owes or owed, written or not (reads only)."""
    written = list(Obligation.objects.filter(dossier=dossier).order_by("created_at", "name"))
    settled = set(
        PaymentLine.objects.filter(obligation__in=written, settled=True).values_list(
            "obligation_id", flat=True
        )
    )
    rows = [
        FeeRow(
            key=f"obligation:{o.pk}",
            name=o.name,
            amount=o.amount,
            quantity=o.quantity,
            exempt=o.exempt,
            exemption_reason=o.exemption_reason,
            paid=o.pk in settled,
        )
        for o in written
    ]
    fees_written = {o.fee_id for o in written if o.fee_id is not None}
    events_written = {o.request_event_id for o in written if o.request_event_id is not None}
    if not settled:
        for line in ledger.preview_lines(dossier):
            if line.fee_id not in fees_written:
                rows.append(
                    FeeRow(
                        f"fee:{line.fee_id}",
                        line.name,
                        line.amount,
                        line.quantity,
                        False,
                        "",
                        False,
                    )
                )
    from motcua.dossiers.constants import Action

    for event in dossier.events.filter(action=Action.REQUEST_PAYMENT).order_by("seq"):
        if event.pk in events_written:
            continue
        try:
            line = fees.requested_line((event.data or {}).get("amount"), event.note)
        except fees.FeeError:
            continue
        rows.append(FeeRow(f"event:{event.pk}", line.name, line.amount, 1, False, "", False))
    return rows


def amount_due(*, dossier: Dossier) -> int:
    """What is still to pay, from the lines (a per-copy fee not yet written included)."""
    summary = fees.summarize(fee_lines(dossier=dossier), paid=dossier.fees_paid)
    return summary.due


def paid_payments(*, dossier: Dossier) -> QuerySet[Payment]:
    return payments_of(dossier=dossier).filter(state=PaymentState.PAID)
