"""The daily roll-up of the statistics' flows (PostgreSQL only) and how reads use it.

``rollup_refresh(now)`` recomputes, in one transaction, the ``DailyFigures`` rows of the days
that can have changed since the last refresh: the local days from the one before the last
refresh up to today (every flow is stamped with the time it happens: receipt, resolution,
return, stop, submission), plus the return days of dossiers rated since then (a rating counts on
the day its dossier was returned). It locks ``RollupState`` so two runs never interleave.
``rollup_refresh(now, full=True)`` rebuilds everything (after an import of past dossiers).

Reads use the roll-up only when it is fresh (refreshed within ``FRESH_FOR``) and the period runs
up to now: then the flows are sums of daily rows, ``carried_over`` is received − resolved −
stopped-after-receipt summed over the days before the period, and the pending figures are
the open dossiers counted at the refresh (``PendingFigures``). Anything else is answered by the direct aggregation.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from motcua.worktime.calendar import VN_TZ

from .models import RollupState

FRESH_FOR = dt.timedelta(minutes=2)
FLOWS = (
    "received",
    "online_received",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "returned",
    "refused",
    "stopped",
    "stopped_received",
    "rating_sum",
    "rating_count",
)

# One pass over the dossiers that touch [start, end): each flow is unpivoted to (agency, day of
# its own time, figure, amount), then summed per agency and day.
_RECOMPUTE = """
INSERT INTO reports_dailyfigures (agency_id, day, {columns})
SELECT f.agency_id, f.day, {sums}
FROM (
    SELECT d.agency_id, (v.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, v.figure, v.amount
    FROM dossiers_dossier d
    LEFT JOIN dossiers_rating r ON r.dossier_id = d.id
    CROSS JOIN LATERAL (VALUES
        (d.received_at, 'received', 1),
        (CASE WHEN d.channel = 'online' THEN d.received_at END, 'online_received', 1),
        (CASE WHEN d.timeliness = 'early' THEN d.resolved_at END, 'resolved_early', 1),
        (CASE WHEN d.timeliness = 'on_time' THEN d.resolved_at END, 'resolved_on_time', 1),
        (CASE WHEN d.timeliness = 'late' THEN d.resolved_at END, 'resolved_late', 1),
        (d.returned_at, 'returned', 1),
        (CASE WHEN d.status = 'refused' THEN d.submitted_at END, 'refused', 1),
        (d.stopped_at, 'stopped', 1),
        (CASE WHEN d.received_at IS NOT NULL THEN d.stopped_at END, 'stopped_received', 1),
        (CASE WHEN r.score IS NOT NULL THEN d.returned_at END, 'rating_sum', coalesce(r.score, 0)),
        (CASE WHEN r.score IS NOT NULL THEN d.returned_at END, 'rating_count', 1)
    ) AS v(at, figure, amount)
    WHERE (d.received_at >= %(start)s OR d.resolved_at >= %(start)s OR d.returned_at >= %(start)s
           OR d.stopped_at >= %(start)s OR d.submitted_at >= %(start)s)
      AND v.at >= %(start)s AND v.at < %(end)s
) f
GROUP BY f.agency_id, f.day
"""


def _recompute_sql() -> str:
    sums = ", ".join(
        f"coalesce(sum(f.amount) FILTER (WHERE f.figure = '{name}'), 0)" for name in FLOWS
    )
    return _RECOMPUTE.format(columns=", ".join(FLOWS), sums=sums)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)


def rollup_supported() -> bool:
    return connection.vendor == "postgresql"


@transaction.atomic
def rollup_refresh(*, now: dt.datetime | None = None, full: bool = False) -> int:
    """Bring the roll-up up to ``now``; returns how many daily rows were written."""
    if not rollup_supported():
        return 0
    now = now or timezone.now()
    state, _ = RollupState.objects.select_for_update().get_or_create(id=1)
    today = timezone.localtime(now, VN_TZ).date()
    end = _day_start(today + dt.timedelta(days=1))
    with connection.cursor() as cursor:
        if full or state.refreshed_at is None:
            cursor.execute("DELETE FROM reports_dailyfigures")
            cursor.execute(_recompute_sql(), {"start": _day_start(dt.date(1900, 1, 1)), "end": end})
            written = cursor.rowcount
            state.rebuilt_at = now
        else:
            first = timezone.localtime(state.refreshed_at, VN_TZ).date() - dt.timedelta(days=1)
            # Days of returned dossiers rated since the last refresh (a rating counts on the
            # day of the return, which may be long ago).
            cursor.execute(
                "SELECT DISTINCT (d.returned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date "
                "FROM dossiers_rating r JOIN dossiers_dossier d ON d.id = r.dossier_id "
                "WHERE r.created_at >= %s AND d.returned_at < %s",
                [state.refreshed_at - dt.timedelta(minutes=1), _day_start(first)],
            )
            rated_days = sorted(row[0] for row in cursor.fetchall())
            written = 0
            for start_day, end_day in [(first, today + dt.timedelta(days=1))] + [
                (d, d + dt.timedelta(days=1)) for d in rated_days
            ]:
                cursor.execute(
                    "DELETE FROM reports_dailyfigures WHERE day >= %s AND day < %s",
                    [start_day, end_day],
                )
                cursor.execute(
                    _recompute_sql(),
                    {"start": _day_start(start_day), "end": _day_start(end_day)},
                )
                written += cursor.rowcount
    _snapshot_pending(now)
    state.refreshed_at = now
    state.save()
    return written


def _snapshot_pending(now: dt.datetime) -> None:
    """The open dossiers of each receiving agency as of ``now``, by the statistics' own rule."""
    from django.db.models import Count

    from motcua.dossiers.models import Dossier

    from .models import PendingFigures
    from .selectors import OPEN, Period, count_expressions

    today = timezone.localtime(now, VN_TZ).date()
    expressions = count_expressions(Period(today, today), now=now)
    rows = (
        Dossier.objects.filter(status__in=OPEN)
        .order_by()
        .values("agency_id")
        .annotate(
            not_due=Count("pk", filter=expressions["pending_not_due"].filter),
            overdue=Count("pk", filter=expressions["pending_overdue"].filter),
        )
    )
    PendingFigures.objects.all().delete()
    PendingFigures.objects.bulk_create(
        PendingFigures(
            agency_id=r["agency_id"], pending_not_due=r["not_due"], pending_overdue=r["overdue"]
        )
        for r in rows
    )


def rollup_fresh_at(now: dt.datetime) -> bool:
    """Whether reads at ``now`` may use the roll-up."""
    if not rollup_supported():
        return False
    state = RollupState.objects.filter(id=1).values_list("refreshed_at", flat=True).first()
    return state is not None and now - state <= FRESH_FOR
