"""The daily roll-up (PostgreSQL) gives exactly the direct aggregation's figures, after a full
rebuild and after incremental refreshes; reads fall back to the direct aggregation when it is
stale or the period ended before now."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier, Rating
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierFactory, RatingFactory
from motcua.reports.models import DailyFigures, RollupState
from motcua.reports.rollup import rollup_refresh
from motcua.reports.selectors import (
    Period,
    Scope,
    counts_by_path,
    monthly_flows,
    rollup_usable,
    stats_summary,
)

from .conftest import NOW
from .test_recount import _random_dossier

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the roll-up is PostgreSQL's"),
]
EVERYTHING = Scope(everything=True)


def _same(world: World, period: Period, now: dt.datetime) -> None:
    assert rollup_usable(period, now)
    for group_by in (None, "agency"):
        for agency, descendants in ((None, True), (world.province, True), (world.desk_a, False)):
            fast = stats_summary(
                scope=EVERYTHING,
                period=period,
                agency=agency,
                include_descendants=descendants,
                group_by=group_by,
                now=now,
            )
            slow = stats_summary(
                scope=EVERYTHING,
                period=period,
                agency=agency,
                include_descendants=descendants,
                group_by=group_by,
                now=now,
                use_rollup=False,
            )
            assert fast.total == slow.total, (period, group_by, agency)
            assert fast.rows == slow.rows, (period, group_by, agency)
    assert counts_by_path(scope=EVERYTHING, period=period, agency=None, now=now) == counts_by_path(
        scope=EVERYTHING, period=period, agency=None, now=now, use_rollup=False
    )
    fast_months = monthly_flows(scope=EVERYTHING, period=period, agency=None, now=now)
    slow_months = stats_summary(
        scope=EVERYTHING, period=period, group_by="month", now=now, use_rollup=False
    ).rows
    for fast_month, slow_month in zip(fast_months, slow_months, strict=True):
        assert fast_month.counts.received == slow_month.counts.received
        assert fast_month.counts.resolved == slow_month.counts.resolved


@pytest.mark.parametrize("seed", [11, 12])
def test_full_rebuild_agrees_with_the_direct_aggregation(world: World, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        _random_dossier(rng, world)
    assert rollup_refresh(now=NOW, full=True) > 0
    assert DailyFigures.objects.exists()
    for first in (dt.date(2026, 1, 1), dt.date(2026, 9, 15), dt.date(2026, 11, 20)):
        _same(world, Period(first, dt.date(2026, 12, 31)), NOW)
        _same(world, Period(first, NOW.date()), NOW)


def test_incremental_refresh_picks_up_new_work_and_late_ratings(world: World) -> None:
    rng = random.Random(13)
    for _ in range(40):
        _random_dossier(rng, world)
    rollup_refresh(now=NOW, full=True)
    later = NOW + dt.timedelta(seconds=50)
    # New work after the refresh, and a rating of a dossier returned in August.
    DossierFactory(agency=world.desk_b, procedure=world.permit, at=NOW + dt.timedelta(seconds=5))
    old = DossierFactory(
        agency=world.desk_a,
        procedure=world.birth,
        status=Status.RETURNED,
        at=dt.datetime(2026, 8, 3, 9, tzinfo=NOW.tzinfo),
    )
    rollup_refresh(now=NOW, full=True)
    RatingFactory(dossier=old, score=1)
    assert Rating.objects.filter(dossier=old).exists()
    rollup_refresh(now=later)
    _same(world, Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), later)
    _same(world, Period(dt.date(2026, 8, 1), dt.date(2026, 11, 30)), later)


def test_stale_or_past_periods_are_read_directly(world: World) -> None:
    DossierFactory(agency=world.desk_a, procedure=world.birth, at=NOW - dt.timedelta(days=2))
    this_year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert not rollup_usable(this_year, NOW)  # never refreshed
    rollup_refresh(now=NOW)
    assert RollupState.objects.get().refreshed_at == NOW
    assert rollup_usable(this_year, NOW + dt.timedelta(minutes=2))
    assert not rollup_usable(this_year, NOW + dt.timedelta(minutes=2, seconds=1))
    assert not rollup_usable(Period(dt.date(2026, 1, 1), dt.date(2026, 10, 31)), NOW)
    summary = stats_summary(scope=EVERYTHING, period=this_year, now=NOW)
    assert summary.total.received == 1
    assert summary.total.pending == 1
    assert Dossier.objects.count() == 1
