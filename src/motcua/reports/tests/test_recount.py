"""Generated data: the SQL statistics agree with a plain recount in Python, dossier by dossier,
written from API.md's definitions (not from the selector's expressions)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from motcua.dossiers.constants import Channel, Status, Timeliness
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierFactory, RatingFactory
from motcua.reports.selectors import Period, Scope, stats_summary

from .conftest import HCM, NOW

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 8, 1, tzinfo=HCM)


def _random_dossier(rng: random.Random, world: World) -> Dossier:
    agency = rng.choice([world.desk_a, world.desk_b])
    procedure = rng.choice([world.birth, world.permit])
    received = START + dt.timedelta(minutes=rng.randrange(0, 110 * 24 * 60))
    received = min(received, NOW - dt.timedelta(hours=1))
    due = received + dt.timedelta(days=rng.randint(1, 12))
    channel = rng.choice([Channel.ONLINE, Channel.COUNTER, Channel.POST])
    fate = rng.choice(["resolved", "returned", "processing", "paused", "stopped", "refused"])
    fields: dict[str, Any] = {
        "agency": agency,
        "procedure": procedure,
        "channel": channel,
        "at": received,
        "due_at": due,
    }
    finish = received + dt.timedelta(hours=rng.randint(1, 20 * 24))
    if fate in {"resolved", "returned"} and finish < NOW:
        late = finish > due
        fields.update(
            status=Status.RETURNED if fate == "returned" else Status.RESOLVED,
            resolved_at=finish,
            timeliness=Timeliness.LATE
            if late
            else rng.choice([Timeliness.EARLY, Timeliness.ON_TIME]),
        )
        if fate == "returned":
            fields["returned_at"] = min(finish + dt.timedelta(hours=rng.randint(1, 72)), NOW)
    elif fate == "paused":
        fields.update(
            status=rng.choice([Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED]),
            clock_paused_at=min(finish, NOW),
        )
    elif fate == "stopped" and finish < NOW:
        fields.update(status=Status.STOPPED, stopped_at=finish, received_at=received)
    elif fate == "refused":
        fields.update(status=Status.REFUSED, online=True, channel=Channel.ONLINE)
    else:
        fields.update(status=Status.PROCESSING)
    dossier = DossierFactory(**fields)
    if dossier.status == Status.STOPPED:
        Dossier.objects.filter(pk=dossier.pk).update(code=f"X-{dossier.pk.hex[:12]}")
    if dossier.status == Status.RETURNED and rng.random() < 0.7:
        RatingFactory(dossier=dossier, score=rng.randint(1, 5))
    return dossier


def _pct(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    return float((Decimal(part) * 100 / whole).quantize(Decimal("0.01"), ROUND_HALF_UP))


def recount(dossiers: list[Dossier], period: Period, now: dt.datetime) -> dict[str, Any]:
    start, end = period.start, period.end
    as_of = min(end, now)
    c: dict[str, int] = defaultdict(int)
    scores: list[int] = []

    def inside(t: dt.datetime | None) -> bool:
        return t is not None and start <= t < end

    def unfinished(d: Dossier, t: dt.datetime) -> bool:
        return (
            d.received_at is not None
            and d.received_at < t
            and not (d.resolved_at is not None and d.resolved_at < t)
            and not (d.stopped_at is not None and d.stopped_at < t)
        )

    for d in dossiers:
        if inside(d.received_at):
            c["received"] += 1
            c["online_received"] += d.channel == Channel.ONLINE
        c["carried_over"] += unfinished(d, start)
        if inside(d.resolved_at):
            c[f"resolved_{d.timeliness}"] += 1
        if unfinished(d, as_of):
            paused = (
                d.status
                in {
                    Status.SUPPLEMENT_REQUESTED,
                    Status.PAYMENT_REQUESTED,
                    Status.WITHDRAWAL_REQUESTED,
                }
                and d.clock_paused_at is not None
                and d.clock_paused_at < as_of
            )
            assert d.due_at is not None
            overdue = d.clock_paused_at > d.due_at if paused else d.due_at < as_of  # type: ignore[operator]
            c["pending_overdue" if overdue else "pending_not_due"] += 1
        if inside(d.returned_at):
            c["returned"] += 1
            rating = getattr(d, "rating", None)
            if rating is not None:
                scores.append(rating.score)
        c["refused"] += d.status == Status.REFUSED and inside(d.submitted_at)
        c["stopped"] += inside(d.stopped_at)
    resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
    names = [
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
    ]
    out: dict[str, Any] = {n: c[n] for n in names}
    out["on_time_rate"] = _pct(c["resolved_early"] + c["resolved_on_time"], resolved)
    out["online_rate"] = _pct(c["online_received"], c["received"])
    out["satisfaction_avg"] = (
        float((Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        if scores
        else None
    )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_statistics_agree_with_a_plain_recount(world: World, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        _random_dossier(rng, world)
    dossiers = list(Dossier.objects.select_related("rating", "agency").all())
    for _ in range(4):
        first = dt.date(2026, 8, 1) + dt.timedelta(days=rng.randrange(0, 100))
        last = first + dt.timedelta(days=rng.randrange(0, 60))
        period = Period(first, last)
        summary = stats_summary(
            scope=Scope(everything=True), period=period, group_by="agency", now=NOW
        )
        assert summary.total.summary() == recount(dossiers, period, NOW), period
        for row in summary.rows:
            mine = [d for d in dossiers if d.agency.code == row.key]
            assert row.counts.summary() == recount(mine, period, NOW), (period, row.key)
        assert {r.key for r in summary.rows} <= {world.desk_a.code, world.desk_b.code}


FLOWS = ("received", "online_received", "resolved_early", "resolved_on_time", "resolved_late")


@pytest.mark.parametrize("seed", [4, 5])
def test_monthly_flows_agree_with_the_month_by_month_statistics(world: World, seed: int) -> None:
    from motcua.reports.selectors import monthly_flows

    rng = random.Random(seed)
    for _ in range(50):
        _random_dossier(rng, world)
    period = Period(dt.date(2026, 8, 15), dt.date(2026, 11, 20))
    scope = Scope(everything=True)
    by_month = stats_summary(scope=scope, period=period, group_by="month", now=NOW).rows
    flows = monthly_flows(scope=scope, period=period, agency=None)
    assert [r.key for r in flows] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert [r.key for r in flows] == [r.key for r in by_month]
    for fast, slow in zip(flows, by_month, strict=True):
        assert {k: getattr(fast.counts, k) for k in FLOWS} == {
            k: getattr(slow.counts, k) for k in FLOWS
        }
    assert sum(r.counts.received for r in flows) > 0
