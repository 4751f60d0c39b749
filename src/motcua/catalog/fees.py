"""Fees of a dossier, as pure arithmetic (no database): what is owed, what is waived, what is due.

Amounts are whole đồng (int). A procedure's fee rows (catalog.Fee) are ``fixed`` (once per
dossier), ``per_copy`` or ``per_page`` (times a quantity the applicant declared in the form, see
``quantity``). Extra obligations come from ``request_payment`` (an amount and a note). An
exemption waives one obligation entirely (with a reason and who granted it): an exempted
obligation counts for nothing in the total.

The same lines are what the dossier is told at creation (``dossiers``: ``fees_total``) and what
the payments ledger charges (docs/adr/0011-payments-ledger-and-gateway.md), so this module lives
in the catalogue, below both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FIXED = "fixed"
PER_COPY = "per_copy"
PER_PAGE = "per_page"
UNITS = frozenset({FIXED, PER_COPY, PER_PAGE})

# Where the quantity of a per-copy or per-page fee is read from the dossier's form data, first
# key found wins. Copies are owed only when asked for ("bản sao (nếu yêu cầu)"): without a
# declared number, none, and a declared 0 is a valid answer. Pages: without a declared number,
# one page (a per-page fee is the fee of the work itself, done on at least one page); the
# counter asks for the rest with ``request_payment`` when there are more (ADR 0011).
QUANTITY_KEYS: dict[str, tuple[str, ...]] = {
    PER_COPY: ("so_ban", "so_ban_sao", "copies"),
    PER_PAGE: ("so_trang", "pages"),
}
DEFAULT_QUANTITY: dict[str, int] = {PER_COPY: 0, PER_PAGE: 1}
# The numbers that may be declared: copies from 0 to 100, pages from 1 to 10,000 (every path:
# the portal's and the desk's forms, the API's form data).
QUANTITY_RANGE: dict[str, tuple[int, int]] = {PER_COPY: (0, 100), PER_PAGE: (1, 10_000)}


class FeeError(ValueError):
    """A fee row or a quantity that cannot be turned into an amount."""


@dataclass(frozen=True)
class FeeRule:
    """One fee row of a procedure."""

    fee_id: int | None
    name: str
    amount: int  # per unit, đồng
    unit: str = FIXED


@dataclass(frozen=True)
class Line:
    """One obligation: a fee of the procedure times a quantity, or a requested amount."""

    name: str
    amount: int  # total of the line, đồng
    quantity: int = 1
    fee_id: int | None = None
    exempt: bool = False

    @property
    def due(self) -> int:
        return 0 if self.exempt else self.amount


def quantity(unit: str, form_data: Mapping[str, Any] | None) -> int:
    """How many units a fee is charged for: 1 for a fixed fee; the declared number of copies
    (0 when none is declared) or pages (1 when none is declared)."""
    if unit not in UNITS:
        raise FeeError(f"unknown fee unit {unit!r}")
    if unit == FIXED:
        return 1
    data = form_data or {}
    least, most = QUANTITY_RANGE[unit]
    for key in QUANTITY_KEYS[unit]:
        raw = data.get(key)
        if raw in (None, ""):
            continue
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            raise FeeError(f"{key} must be a whole number")
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise FeeError(f"{key} must be a whole number") from None
        if not least <= value <= most:
            raise FeeError(f"{key} must be between {least} and {most}")
        return value
    return DEFAULT_QUANTITY[unit]


def procedure_lines(rules: Iterable[FeeRule], form_data: Mapping[str, Any] | None) -> list[Line]:
    """The lines a dossier owes for its procedure's fee rows. Free rows (amount 0) and copies
    nobody asked for owe nothing and make no line."""
    lines = []
    for rule in rules:
        if rule.amount < 0:
            raise FeeError("a fee cannot be negative")
        if rule.amount == 0:
            continue
        count = quantity(rule.unit, form_data)
        if count == 0:
            continue
        lines.append(
            Line(name=rule.name, amount=rule.amount * count, quantity=count, fee_id=rule.fee_id)
        )
    return lines


def procedure_total(rules: Iterable[FeeRule], form_data: Mapping[str, Any] | None) -> int:
    """What the procedure's fees come to for this form (the sum of ``procedure_lines``)."""
    return sum(line.due for line in procedure_lines(rules, form_data))


def requested_line(amount: Any, note: str = "") -> Line:
    """An extra obligation from ``request_payment``."""
    if isinstance(amount, bool):
        raise FeeError("amount must be a whole number of đồng")
    try:
        value = int(amount)
    except (TypeError, ValueError):
        raise FeeError("amount must be a whole number of đồng") from None
    if value <= 0:
        raise FeeError("amount must be positive")
    return Line(name=note.strip() or "Khoản thu bổ sung", amount=value)


def exempt(line: Line) -> Line:
    return Line(
        name=line.name, amount=line.amount, quantity=line.quantity, fee_id=line.fee_id, exempt=True
    )


@dataclass(frozen=True)
class Summary:
    total: int  # what is owed after exemptions
    paid: int
    waived: int  # what exemptions took off

    @property
    def due(self) -> int:
        return max(0, self.total - self.paid)


def summarize(lines: Iterable[Line], paid: int = 0) -> Summary:
    """The dossier's fees: total owed (exemptions taken off), paid, waived."""
    if paid < 0:
        raise FeeError("paid cannot be negative")
    items = list(lines)
    total = sum(line.due for line in items)
    waived = sum(line.amount for line in items if line.exempt)
    return Summary(total=total, paid=paid, waived=waived)
