"""The figures of API.md "Statistics" and the Decision 766/QĐ-TTg service index, as pure
functions over counts. No database and no clock: selectors count, this module defines.

Definitions (docs/adr/0010-statistics-and-service-index.md has the reasons):

* A period is ``[start, end)`` in local time; the stock figures are taken at ``start``
  (``carried_over``) and at ``as_of = min(end, now)`` (``pending_*``).
* ``received``: received in the period (``received_at``); ``online_received`` those of them that
  came online. ``carried_over``: received before the period and neither resolved nor stopped
  before it. ``resolved_early|on_time|late``: resolved in the period, by the timeliness judged at
  resolution against ``original_due_at`` (supplement waiting excluded). ``pending_not_due`` /
  ``pending_overdue``: received before ``as_of``, neither resolved nor stopped by then; overdue
  when ``due_at`` had passed (for a dossier now waiting for the applicant since before ``as_of``:
  when it had passed at the pause, as ``deadlines.is_overdue``). ``returned``: results handed over
  in the period; ``refused``: submissions of the period that the counter refused; ``stopped``:
  stopped in the period.
* Rates are percentages with two decimals, ``None`` when there is nothing to divide by:
  ``on_time_rate = (early + on_time) / resolved``, ``online_rate = online_received / received``,
  ``satisfaction_avg`` the mean rating (1–5) of the dossiers returned in the period.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

COUNT_FIELDS = (
    "received",
    "carried_over",
    "online_received",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_not_due",
    "pending_overdue",
    "returned",
    "refused",
    "stopped",
)
RATE_FIELDS = ("on_time_rate", "online_rate", "satisfaction_avg")
SUMMARY_FIELDS = COUNT_FIELDS + RATE_FIELDS

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, two decimals (half up); ``None`` when ``whole`` is 0."""
    if part < 0 or whole < 0 or part > whole:
        raise ValueError(f"not a share: {part} of {whole}")
    if whole == 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    if count == 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Counts:
    """What the selectors count for one group of dossiers over one period."""

    received: int = 0
    carried_over: int = 0
    online_received: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending_not_due: int = 0
    pending_overdue: int = 0
    returned: int = 0
    refused: int = 0
    stopped: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Counts:
        return cls(**{f.name: int(row.get(f.name) or 0) for f in fields(cls)})

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def resolved_in_time(self) -> int:
        return self.resolved_early + self.resolved_on_time

    @property
    def pending(self) -> int:
        return self.pending_not_due + self.pending_overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.resolved_in_time, self.resolved)

    @property
    def online_rate(self) -> Decimal | None:
        return percent(self.online_received, self.received)

    @property
    def late_rate(self) -> Decimal | None:
        return percent(self.resolved_late, self.resolved)

    @property
    def satisfaction_avg(self) -> Decimal | None:
        return mean(self.rating_sum, self.rating_count)

    def summary(self) -> dict[str, Any]:
        """The figures of API.md, in its order (counts, then the rates)."""
        out: dict[str, Any] = {name: getattr(self, name) for name in COUNT_FIELDS}
        for name in RATE_FIELDS:
            value = getattr(self, name)
            out[name] = float(value) if value is not None else None
        return out

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# --- Decision 766/QĐ-TTg service index --------------------------------------------------------

# Points per indicator group (PRODUCT.md); they add up to 100.
WEIGHTS: dict[str, int] = {
    "publicity": 18,
    "timeliness": 20,
    "online": 12,
    "online_payment": 10,
    "satisfaction": 18,
    "digitization": 22,
}
assert sum(WEIGHTS.values()) == 100
INDICATORS = tuple(WEIGHTS)

ONLINE_SUBMISSION_FULL_AT = Decimal(50)  # % of dossiers filed online that earns full marks
ONLINE_SERVICE_FULL_AT = Decimal(80)  # % of procedures offered fully online that earns full marks
COMPLAINT_MAX_SCORE = 2  # a rating of 1 or 2 stars counts as a complaint (no feedback module yet)


@dataclass(frozen=True)
class ServiceFacts:
    """What the 766 index needs about one agency (or the province) over one period, beyond the
    statistics' ``Counts``."""

    counts: Counts
    procedures: int = 0  # procedures the agency handles (active)
    procedures_published: int = 0  # of which the public record is complete
    procedures_full_online: int = 0  # of which offered as a full online service
    complaints: int = 0  # ratings ≤ COMPLAINT_MAX_SCORE of dossiers returned in the period
    paid: int = 0  # dossiers resolved in the period that paid a fee
    paid_online: int = 0  # of which paid online
    digitized_received: int = 0  # received in the period with their application documents stored
    resolved_with_result_file: int = 0  # resolved in the period with an electronic result


def _capped(value: Decimal | None, full_at: Decimal) -> Decimal | None:
    if value is None:
        return None
    return min(value / full_at, Decimal(1))


@dataclass(frozen=True)
class IndexScore:
    """The 766 rates (percent) and points of one row; ``None`` where there is nothing to judge."""

    publicity_rate: Decimal | None
    timeliness_rate: Decimal | None
    online_submission_rate: Decimal | None
    online_service_rate: Decimal | None
    online_payment_rate: Decimal | None
    satisfaction_rate: Decimal | None
    digitization_rate: Decimal | None
    points: dict[str, Decimal | None]

    @property
    def total(self) -> Decimal | None:
        """The index out of 100 over the indicators that could be judged (their points scaled to
        100), so an agency is neither rewarded nor punished for what it had no dossiers for."""
        judged = {k: v for k, v in self.points.items() if v is not None}
        if not judged:
            return None
        possible = sum(WEIGHTS[k] for k in judged)
        return (sum(judged.values(), Decimal(0)) * HUNDRED / possible).quantize(CENT, ROUND_HALF_UP)


def satisfaction_rate(counts: Counts, complaints: int) -> Decimal | None:
    """100% − late% − complaint%, both shares of the dossiers resolved in the period; not below 0."""
    if counts.resolved == 0:
        return None
    late = Decimal(counts.resolved_late) * HUNDRED / counts.resolved
    complained = Decimal(min(complaints, counts.resolved)) * HUNDRED / counts.resolved
    return max(HUNDRED - late - complained, Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def service_index(facts: ServiceFacts) -> IndexScore:
    """The Decision 766 rates and points (weights of PRODUCT.md) of one row."""
    c = facts.counts
    publicity = percent(facts.procedures_published, facts.procedures)
    timeliness = c.on_time_rate
    online_submission = c.online_rate
    online_service = percent(facts.procedures_full_online, facts.procedures)
    payment = percent(facts.paid_online, facts.paid)
    satisfaction = satisfaction_rate(c, facts.complaints)
    digitized = facts.digitized_received + facts.resolved_with_result_file
    digitization = percent(digitized, c.received + c.resolved)

    def share(rate: Decimal | None, weight: Decimal) -> Decimal | None:
        return None if rate is None else rate / HUNDRED * weight

    online_parts = [
        p
        for p in (
            _capped(online_submission, ONLINE_SUBMISSION_FULL_AT),
            _capped(online_service, ONLINE_SERVICE_FULL_AT),
        )
        if p is not None
    ]
    online_points = (
        sum(online_parts, Decimal(0)) / len(online_parts) * WEIGHTS["online"]
        if online_parts
        else None
    )
    raw: dict[str, Decimal | None] = {
        "publicity": share(publicity, Decimal(WEIGHTS["publicity"])),
        "timeliness": share(timeliness, Decimal(WEIGHTS["timeliness"])),
        "online": online_points,
        "online_payment": share(payment, Decimal(WEIGHTS["online_payment"])),
        "satisfaction": share(satisfaction, Decimal(WEIGHTS["satisfaction"])),
        "digitization": share(digitization, Decimal(WEIGHTS["digitization"])),
    }
    points = {k: None if v is None else v.quantize(CENT, ROUND_HALF_UP) for k, v in raw.items()}
    return IndexScore(
        publicity_rate=publicity,
        timeliness_rate=timeliness,
        online_submission_rate=online_submission,
        online_service_rate=online_service,
        online_payment_rate=payment,
        satisfaction_rate=satisfaction,
        digitization_rate=digitization,
        points=points,
    )


def rank(totals: list[tuple[str, Decimal | None]]) -> dict[str, int | None]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; unjudged rows get no rank."""
    judged = sorted((t for _, t in totals if t is not None), reverse=True)
    out: dict[str, int | None] = {}
    for key, total in totals:
        out[key] = None if total is None else judged.index(total) + 1
    return out
