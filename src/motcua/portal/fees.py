"""What a dossier's fees come to, line by line, for the pages that tell the applicant before
and after submitting (the wizard's review, its receipt page, the desk's page after
registering): the lines the payments ledger charges (``payments.selectors.fee_lines``), so the
total shown is the one that will be asked for."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.catalog import fees
from motcua.core.exceptions import ApplicationError
from motcua.dossiers.models import Dossier
from motcua.payments.selectors import fee_lines


@dataclass(frozen=True)
class FeeRow:
    name: str
    quantity: int
    unit_price: int  # đồng per copy or page (the line's amount for a single unit)
    amount: int
    exempt: bool


@dataclass(frozen=True)
class FeeSummary:
    rows: list[FeeRow]
    total: int  # what is owed, exemptions taken off: the ledger's total


def fee_summary(dossier: Dossier) -> FeeSummary:
    """The dossier's fee lines and their total. Should its declared numbers be refused (form
    data sent through the API before they were checked), its recorded ``fees_total``."""
    try:
        lines = fee_lines(dossier=dossier)
    except ApplicationError:
        return FeeSummary(rows=[], total=dossier.fees_total)
    rows = [
        FeeRow(
            name=line.name,
            quantity=line.quantity,
            unit_price=line.amount // line.quantity if line.quantity else line.amount,
            amount=line.amount,
            exempt=line.exempt,
        )
        for line in lines
    ]
    return FeeSummary(rows=rows, total=fees.summarize(lines).total)
