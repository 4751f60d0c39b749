"""Reads of the payments app. Visibility follows the dossier's: whoever may see the dossier
(``dossiers.selectors.dossier_get``) may see its payments; the applicant sees their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.dossiers.constants import Actor
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import actor_roles, dossier_get

from . import fees, ledger
from .constants import PaymentState
from .models import Obligation, Payment


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


def amount_due(*, dossier: Dossier) -> int:
    """What is still to pay, from the lines (a per-copy fee not yet written included)."""
    summary = fees.summarize(fee_lines(dossier=dossier), paid=dossier.fees_paid)
    return summary.due


def paid_payments(*, dossier: Dossier) -> QuerySet[Payment]:
    return payments_of(dossier=dossier).filter(state=PaymentState.PAID)
